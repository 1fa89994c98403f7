import type pg from "pg";
import { planDeliveries } from "../delivery/plan-deliveries";
import {
  buildCaptureRows,
  targetIdsOf,
  groupTargets,
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

// Named statements are parsed and planned once per connection, then only bound and executed.
const LOOKUP_BIN = {
  name: "webhookdump_capture_lookup_bin",
  text: `SELECT id, "userId", "rateLimitPerMinute", "responseStatus", "responseHeaders", "responseBody", "responseContentType", "responseDelayMs"
         FROM "bin" WHERE slug = $1`,
};
const FIND_BINS = {
  name: "webhookdump_capture_find_bins",
  text: `SELECT id, slug, "userId" FROM "bin" WHERE slug = ANY($1::text[])`,
};
// The columns are timestamp(3) holding UTC, as Prisma writes them.
const BUMP_SEQ = {
  name: "webhookdump_capture_bump_seq",
  text: `UPDATE "bin" SET "lastSeq" = "lastSeq" + $1, "requestCount" = "requestCount" + $1, "tooLargeCount" = "tooLargeCount" + $2,
           "incompleteCount" = "incompleteCount" + $5, "lastRequestAt" = ($3::timestamptz AT TIME ZONE 'UTC')
         WHERE id = $4 RETURNING "lastSeq", "requestCount", "maxRequests"`,
};
// One statement for the whole round, whatever its size: a column array per field.
const INSERT_ROWS = {
  name: "webhookdump_capture_insert_rows",
  text: `INSERT INTO "captured_request" (id, "binId", seq, method, path, query, headers, body, "bodySize", truncated, "declaredSize", "contentType", ip, "receivedAt", "responseStatus", incomplete)
         SELECT id, "binId", seq, method, path, query, headers, body, "bodySize", truncated, "declaredSize", "contentType", ip, "receivedAt" AT TIME ZONE 'UTC', "responseStatus", incomplete
         FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bytea[], $9::int[], $10::bool[], $11::bigint[], $12::text[], $13::text[], $14::timestamptz[], $15::int[], $16::bool[])
           AS r(id, "binId", seq, method, path, query, headers, body, "bodySize", truncated, "declaredSize", "contentType", ip, "receivedAt", "responseStatus", incomplete)`,
};
const FIND_TARGETS = {
  name: "webhookdump_capture_find_targets",
  text: `SELECT id, "binId", methods, "pathPrefix" FROM "forward_target" WHERE "binId" = ANY($1::text[]) AND enabled ORDER BY position`,
};
const INSERT_DELIVERIES = {
  name: "webhookdump_capture_insert_deliveries",
  text: `INSERT INTO "delivery" (id, "targetId", "requestId", "binId", seq, state, attempts, "nextAttemptAt", "lastError", "createdAt", "updatedAt")
         SELECT id, "targetId", "requestId", "binId", seq, state, 0, $7::timestamptz AT TIME ZONE 'UTC', "lastError", $7::timestamptz AT TIME ZONE 'UTC', $7::timestamptz AT TIME ZONE 'UTC'
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $8::text[])
           AS d(id, "targetId", "requestId", "binId", seq, state, "lastError")`,
};
// One row per statement: a statement holding several bin rows could deadlock with a capture
// round, which locks its bins (in id order) until it commits.
const ADD_RATE_LIMITED = {
  name: "webhookdump_capture_add_rate_limited",
  text: `UPDATE "bin" SET "rateLimitedCount" = "rateLimitedCount" + $1 WHERE id = $2`,
};

/**
 * The capture store for PostgreSQL: plain `pg` on the app's pool, named statements, one
 * transaction per round. Through Prisma each capture cost about a millisecond of this process's
 * CPU (its query pipeline, per query), which capped an instance near 1,000 captures/s while the
 * database idled; this path writes the same rows Prisma would, and everything else still goes
 * through Prisma. Sequence numbers come from the bin row's lock (UPDATE … RETURNING), so they stay
 * strictly increasing per bin with writers on every instance (groupByBin's id order keeps two
 * instances' rounds from deadlocking on each other).
 */
export function createPostgresCaptureStore(pool: pg.Pool): CaptureStore {
  async function storeRound(client: pg.PoolClient, inputs: CaptureInput[]): Promise<StoreResult> {
    const slugs = [...new Set(inputs.map((input) => input.slug))];
    const { rows: bins } = await client.query<BinRef>({ ...FIND_BINS, values: [slugs] });
    const binBySlug = new Map(bins.map((bin) => [bin.slug, bin]));
    const now = new Date();
    const round = createRoundSequences();
    for (const [binId, indexes] of groupByBin(inputs, binBySlug)) {
      const at = latestReceivedAt(inputs, indexes, now).toISOString();
      const { rows } = await client.query<BumpedBin>({ ...BUMP_SEQ, values: [indexes.length, countTruncated(inputs, indexes), at, binId, countIncomplete(inputs, indexes)] });
      const bumped = rows[0];
      if (bumped) round.assign(binId, indexes, bumped); // else deleted since FIND_BINS: its captures answer as unknown
    }
    const { rows, outcomes } = buildCaptureRows(inputs, binBySlug, round.seqByIndex, now);
    if (rows.length > 0) {
      await client.query({
        ...INSERT_ROWS,
        values: [
          rows.map((row) => row.id),
          rows.map((row) => row.binId),
          rows.map((row) => row.seq),
          rows.map((row) => row.method),
          rows.map((row) => row.path),
          rows.map((row) => row.query),
          rows.map((row) => row.headers),
          rows.map((row) => Buffer.from(row.body.buffer, row.body.byteOffset, row.body.byteLength)),
          rows.map((row) => row.bodySize),
          rows.map((row) => row.truncated),
          rows.map((row) => row.declaredSize),
          rows.map((row) => row.contentType),
          rows.map((row) => row.ip),
          rows.map((row) => row.receivedAt.toISOString()),
          rows.map((row) => row.responseStatus),
          rows.map((row) => row.incomplete),
        ],
      });
    }
    const { rows: targets } = await client.query<{ id: string; binId: string; methods: string | null; pathPrefix: string | null }>({
      ...FIND_TARGETS,
      values: [[...round.binIds]],
    });
    const deliveries = targets.length > 0 ? planDeliveries(rows, groupTargets(targets), now) : [];
    if (deliveries.length > 0) {
      await client.query({
        ...INSERT_DELIVERIES,
        values: [
          deliveries.map((d) => d.id),
          deliveries.map((d) => d.targetId),
          deliveries.map((d) => d.requestId),
          deliveries.map((d) => d.binId),
          deliveries.map((d) => d.seq),
          deliveries.map((d) => d.state),
          now.toISOString(),
          deliveries.map((d) => d.lastError),
        ],
      });
    }
    return { outcomes, overLimitBinIds: round.overLimitBinIds, deliveryTargetIds: targetIdsOf(deliveries) };
  }

  return {
    async lookupBin(slug): Promise<CaptureBin | null> {
      const { rows } = await pool.query<Parameters<typeof captureBinFromRow>[0]>({ ...LOOKUP_BIN, values: [slug] });
      const row = rows[0];
      return row ? captureBinFromRow(row) : null;
    },
    async store(inputs) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await storeRound(client, inputs);
        await client.query("COMMIT");
        client.release();
        return result;
      } catch (error) {
        // A connection in an unknown state is not given back to the pool.
        await client.query("ROLLBACK").catch(() => undefined);
        client.release(error instanceof Error ? error : true);
        throw error;
      }
    },
    async countRateLimited(perBin) {
      for (const [binId, count] of perBin) await pool.query({ ...ADD_RATE_LIMITED, values: [count, binId] });
    },
  };
}
