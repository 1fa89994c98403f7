import Database from "better-sqlite3";
import { sqlitePathFromUrl } from "../db/sqlite-path";
import { planDeliveries, ZTargetFilterRow, type TargetFilter } from "../delivery/plan-deliveries";
import {
  buildCaptureRows,
  targetIdsOf,
  captureBinFromRow,
  countIncomplete,
  countTruncated,
  createRoundSequences,
  groupByBin,
  latestReceivedAt,
  type BinRef,
  type BumpedBin,
  type CaptureBin,
  type CaptureInput,
  type CaptureStore,
  type StoreResult,
} from "./capture-request";

// Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit offset; match it so
// Prisma reads these rows exactly like its own.
const sqliteTime = (date: Date) => date.toISOString().replace("Z", "+00:00");

/**
 * The capture store for SQLite: its own better-sqlite3 connection with prepared statements and a
 * synchronous transaction per batch. Prisma's per-query cost capped capture at a fraction of what
 * the disk allows; this path writes the same rows Prisma would, and everything else still goes
 * through Prisma.
 */
export function createSqliteCaptureStore(url: string): CaptureStore & { close(): void } {
  const sqlite = new Database(sqlitePathFromUrl(url), { timeout: 10_000 });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  const findBin = sqlite.prepare<[string], BinRef>(`SELECT id, slug, userId FROM "bin" WHERE slug = ?`);
  const lookupBin = sqlite.prepare<[string], Parameters<typeof captureBinFromRow>[0]>(
    `SELECT id, userId, rateLimitPerMinute, responseStatus, responseHeaders, responseBody, responseContentType, responseDelayMs FROM "bin" WHERE slug = ?`,
  );
  const bumpSeq = sqlite.prepare<[number, number, number, number, string, string], BumpedBin>(
    `UPDATE "bin" SET lastSeq = lastSeq + ?, requestCount = requestCount + ?, tooLargeCount = tooLargeCount + ?, incompleteCount = incompleteCount + ?, lastRequestAt = ?
     WHERE id = ? RETURNING lastSeq, requestCount, maxRequests`,
  );
  // Bins change only through other connections (Prisma's); SQLite's data_version moves exactly
  // when another connection has committed, so the cache below is dropped then and never serves a
  // stale bin, yet a capture costs no bin query while nothing else writes.
  const dataVersion = sqlite.prepare<[], number>("PRAGMA data_version").pluck();
  const binCache = new Map<string, CaptureBin | null>();
  let cachedVersion = -1;
  const addRateLimited = sqlite.prepare<[number, string]>(`UPDATE "bin" SET rateLimitedCount = rateLimitedCount + ? WHERE id = ?`);
  // Positional parameters: binding by name costs a lookup per column per row.
  const insert = sqlite.prepare<
    [string, string, number, string, string, string, string, Buffer, number, number, number | null, string | null, string | null, string, number, number]
  >(
    `INSERT INTO "captured_request" (id, binId, seq, method, path, query, headers, body, bodySize, truncated, declaredSize, contentType, ip, receivedAt, responseStatus, incomplete)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const targetsOf = sqlite.prepare<[string], { id: string; methods: string | null; pathPrefix: string | null }>(
    `SELECT id, methods, pathPrefix FROM "forward_target" WHERE binId = ? AND enabled = 1 ORDER BY position`,
  );
  const insertDelivery = sqlite.prepare<[string, string, string, string, number, string, string, string | null, string, string]>(
    `INSERT INTO "delivery" (id, targetId, requestId, binId, seq, state, attempts, nextAttemptAt, lastError, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
  );

  const storeBatch = sqlite.transaction((inputs: CaptureInput[]): StoreResult => {
    const binBySlug = new Map<string, BinRef>();
    for (const slug of new Set(inputs.map((input) => input.slug))) {
      const bin = findBin.get(slug);
      if (bin) binBySlug.set(slug, bin);
    }
    const now = new Date();
    const round = createRoundSequences();
    const targetsByBin = new Map<string, TargetFilter[]>();
    for (const [binId, indexes] of groupByBin(inputs, binBySlug)) {
      const at = sqliteTime(latestReceivedAt(inputs, indexes, now));
      const bumped = bumpSeq.get(indexes.length, indexes.length, countTruncated(inputs, indexes), countIncomplete(inputs, indexes), at, binId);
      if (bumped) round.assign(binId, indexes, bumped); // else deleted since the lookup: impossible inside one transaction
      const targets = targetsOf.all(binId);
      if (targets.length > 0) targetsByBin.set(binId, targets.map(ZTargetFilterRow.parse));
    }
    const { rows, outcomes } = buildCaptureRows(inputs, binBySlug, round.seqByIndex, now);
    for (const row of rows) {
      const body = Buffer.from(row.body.buffer, row.body.byteOffset, row.body.byteLength);
      insert.run(row.id, row.binId, row.seq, row.method, row.path, row.query, row.headers, body, row.bodySize, row.truncated ? 1 : 0, row.declaredSize, row.contentType, row.ip, sqliteTime(row.receivedAt), row.responseStatus, row.incomplete ? 1 : 0);
    }
    const deliveries = targetsByBin.size > 0 ? planDeliveries(rows, targetsByBin, now) : [];
    const stamp = sqliteTime(now);
    for (const d of deliveries) insertDelivery.run(d.id, d.targetId, d.requestId, d.binId, d.seq, d.state, stamp, d.lastError, stamp, stamp);
    return { outcomes, overLimitBinIds: round.overLimitBinIds, deliveryTargetIds: targetIdsOf(deliveries) };
  });
  const countRateLimited = sqlite.transaction((perBin: Map<string, number>) => {
    for (const [id, n] of perBin) addRateLimited.run(n, id);
  });

  return {
    lookupBin: (slug): CaptureBin | null => {
      const version = dataVersion.get();
      if (version !== cachedVersion || binCache.size > 10_000) {
        binCache.clear();
        cachedVersion = version ?? -1;
      }
      let bin = binCache.get(slug);
      if (bin === undefined) {
        const row = lookupBin.get(slug);
        bin = row ? captureBinFromRow(row) : null;
        binCache.set(slug, bin);
      }
      return bin;
    },
    store: (inputs) => Promise.resolve().then(() => storeBatch.immediate(inputs)),
    countRateLimited: (perBin) => Promise.resolve().then(() => countRateLimited.immediate(perBin)),
    close: () => sqlite.close(),
  };
}
