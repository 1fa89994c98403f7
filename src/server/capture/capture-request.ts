import { v7 as uuidv7 } from "uuid";
import { z } from "zod";
import type { MaybePromise } from "./maybe-promise";
import { isHeader } from "./sanitize-headers";
import type { Db } from "../db/create-db";
import type { CaptureSummary, EventBus } from "../events/event-bus";
import { planDeliveries, ZTargetFilterRow, type TargetFilter } from "../delivery/plan-deliveries";

/** The distinct targets of some outbox rows. */
export function targetIdsOf(deliveries: readonly { targetId: string }[]): string[] {
  return deliveries.length === 0 ? [] : [...new Set(deliveries.map((d) => d.targetId))];
}

/** Enabled targets' rows grouped by bin, in their order. */
export function groupTargets(rows: { id: string; binId: string; methods: string | null; pathPrefix: string | null }[]): Map<string, TargetFilter[]> {
  const byBin = new Map<string, TargetFilter[]>();
  for (const row of rows) {
    const list = byBin.get(row.binId) ?? [];
    list.push(ZTargetFilterRow.parse(row));
    byBin.set(row.binId, list);
  }
  return byBin;
}

/** One HTTP request as it arrived, independent of the server that received it. */
export interface CaptureInput {
  slug: string;
  method: string;
  /** The sub-path after /b/<slug>, always starting with "/". */
  path: string;
  /** Raw query string without "?". */
  query: string;
  /** Header pairs in the order received, duplicates kept, original case. */
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  truncated: boolean;
  /** The body ended before the sender finished it (idle timeout, or it hung up): what arrived is kept. */
  incomplete?: boolean;
  declaredSize: number | null;
  ip: string | null;
  receivedAt?: Date;
  /** The status the sender is answered with, recorded with the request (default 200). */
  responseStatus?: number;
}

export type CaptureResult =
  | { status: "stored"; id: string; seq: number; truncated: boolean; incomplete: boolean }
  | { status: "unknown-bin" };

export interface CaptureDeps {
  db: Db;
  bus: EventBus;
}

/** Stores one request; what an adapter calls. */
export type CaptureFn = (input: CaptureInput) => Promise<CaptureResult>;

/** A row of the captured_request table, as both stores write it. */
export interface CaptureRow {
  id: string;
  binId: string;
  seq: number;
  method: string;
  path: string;
  query: string;
  headers: string;
  body: Uint8Array<ArrayBuffer>;
  bodySize: number;
  truncated: boolean;
  declaredSize: number | null;
  contentType: string | null;
  ip: string | null;
  receivedAt: Date;
  responseStatus: number;
  incomplete: boolean;
}

export interface CaptureOutcome {
  result: CaptureResult;
  /** Present when stored: what to publish once the transaction has committed. */
  published?: { userId: string; summary: CaptureSummary };
}

/** What the capture path needs to know about a bin before it reads the body. */
export interface CaptureBin {
  id: string;
  userId: string;
  rateLimitPerMinute: number;
  response: {
    status: number;
    headers: [string, string][];
    body: string;
    contentType: string | null;
    delayMs: number;
  } | null;
}

export interface StoreResult {
  outcomes: CaptureOutcome[];
  /** Bins that now hold more than they keep: the pruner should run. */
  overLimitBinIds: string[];
  /** Forward targets that got outbox rows with these captures: the delivery worker should look. */
  deliveryTargetIds: string[];
}

export interface CaptureStore {
  /** May answer synchronously (the SQLite store does, from its cache). */
  lookupBin(slug: string): MaybePromise<CaptureBin | null>;
  /** Stores a group of captures in one transaction; sequence numbers follow the order of the inputs. */
  store(inputs: CaptureInput[]): Promise<StoreResult>;
  /** Adds refused-request counts per bin. */
  countRateLimited(perBin: Map<string, number>): Promise<void>;
}

const ZStoredPairs = z.array(z.tuple([z.string(), z.string()]));

/** Builds a CaptureBin from the bin row's columns (shared by both stores). */
export function captureBinFromRow(row: {
  id: string;
  userId: string;
  rateLimitPerMinute: number;
  responseStatus: number | null;
  responseHeaders: string;
  responseBody: string;
  responseContentType: string | null;
  responseDelayMs: number;
}): CaptureBin {
  return {
    id: row.id,
    userId: row.userId,
    rateLimitPerMinute: row.rateLimitPerMinute,
    response:
      row.responseStatus === null
        ? null
        : {
            status: row.responseStatus,
            headers: ZStoredPairs.parse(JSON.parse(row.responseHeaders)),
            body: row.responseBody,
            contentType: row.responseContentType,
            delayMs: row.responseDelayMs,
          },
  };
}

/** How many of the given inputs were truncated. */
export function countTruncated(inputs: CaptureInput[], indexes: number[]): number {
  return indexes.filter((i) => inputs[i]?.truncated).length;
}

/** How many of the given inputs arrived incomplete. */
export function countIncomplete(inputs: CaptureInput[], indexes: number[]): number {
  return indexes.filter((i) => inputs[i]?.incomplete === true).length;
}

export interface BinRef {
  id: string;
  slug: string;
  userId: string;
}

/**
 * Input positions per known bin (each in arrival order), the bins in id order: every store bumps
 * bins in this order, so concurrent rounds lock them in the same order and cannot deadlock.
 */
export function groupByBin(inputs: CaptureInput[], binBySlug: Map<string, BinRef>): [binId: string, indexes: number[]][] {
  const perBin = new Map<string, number[]>();
  inputs.forEach((input, index) => {
    const bin = binBySlug.get(input.slug);
    if (!bin) return;
    const indexes = perBin.get(bin.id);
    if (indexes) indexes.push(index);
    else perBin.set(bin.id, [index]);
  });
  return [...perBin].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A bin's counters right after a round bumped them. */
export interface BumpedBin {
  lastSeq: number;
  requestCount: number;
  maxRequests: number;
}

/**
 * One round's sequence numbers, collected bin by bin as each store bumps the bin's counters: a
 * bin bumped by n ends at lastSeq, so its inputs get lastSeq - n + 1 … lastSeq in arrival order.
 */
export function createRoundSequences() {
  const seqByIndex = new Map<number, number>();
  const overLimitBinIds: string[] = [];
  const binIds = new Set<string>();
  return {
    seqByIndex,
    overLimitBinIds,
    /** Every bin that got captures this round. */
    binIds,
    assign(binId: string, indexes: number[], bumped: BumpedBin) {
      binIds.add(binId);
      if (bumped.requestCount > bumped.maxRequests) overLimitBinIds.push(binId);
      indexes.forEach((inputIndex, position) => seqByIndex.set(inputIndex, bumped.lastSeq - indexes.length + 1 + position));
    },
  };
}

/** The newest receive time among some inputs. */
export function latestReceivedAt(inputs: CaptureInput[], indexes: number[], now: Date): Date {
  return indexes.reduce((latest, i) => {
    const at = inputs[i]?.receivedAt ?? now;
    return at > latest ? at : latest;
  }, new Date(0));
}

/** Rows to insert and outcomes to report, once each bin's sequence range is known. */
export function buildCaptureRows(
  inputs: CaptureInput[],
  binBySlug: Map<string, BinRef>,
  seqByIndex: Map<number, number>,
  now: Date,
): { rows: CaptureRow[]; outcomes: CaptureOutcome[] } {
  const rows: CaptureRow[] = [];
  const outcomes = inputs.map((input, index): CaptureOutcome => {
    const bin = binBySlug.get(input.slug);
    const seq = seqByIndex.get(index);
    if (!bin || seq === undefined) return { result: { status: "unknown-bin" } };
    // Time-ordered ids (UUIDv7): each new row's key lands at the end of the primary-key index.
    // Random (v4) ids scattered every insert across the whole index, which cost a fifth of capture
    // throughput on a table of a few hundred thousand rows (README, "Benchmarks").
    const id = uuidv7();
    const receivedAt = input.receivedAt ?? now;
    const contentType = input.headers.find(([key]) => isHeader(key, "content-type"))?.[1] ?? null;
    const row: CaptureRow = {
      id,
      binId: bin.id,
      seq,
      method: input.method,
      path: input.path,
      query: input.query,
      headers: JSON.stringify(input.headers),
      body: input.body,
      bodySize: input.body.byteLength,
      truncated: input.truncated,
      declaredSize: input.declaredSize,
      contentType,
      ip: input.ip,
      receivedAt,
      responseStatus: input.responseStatus ?? 200,
      incomplete: input.incomplete === true,
    };
    rows.push(row);
    // What subscribers get: the row without headers, body, declared size and IP.
    const summary: CaptureSummary = {
      id,
      binId: row.binId,
      seq,
      method: row.method,
      path: row.path,
      query: row.query,
      bodySize: row.bodySize,
      truncated: row.truncated,
      incomplete: row.incomplete,
      contentType,
      receivedAt: receivedAt.toISOString(),
      responseStatus: row.responseStatus,
    };
    return { result: { status: "stored", id, seq, truncated: input.truncated, incomplete: row.incomplete }, published: { userId: bin.userId, summary } };
  });
  return { rows, outcomes };
}

const CAPTURE_BIN_SELECT = {
  id: true,
  userId: true,
  rateLimitPerMinute: true,
  responseStatus: true,
  responseHeaders: true,
  responseBody: true,
  responseContentType: true,
  responseDelayMs: true,
} as const;

/** The portable store, through Prisma: any database Prisma speaks. */
export function createPrismaCaptureStore(db: Db): CaptureStore {
  return {
    async lookupBin(slug) {
      const row = await db.bin.findUnique({ where: { slug }, select: CAPTURE_BIN_SELECT });
      return row ? captureBinFromRow(row) : null;
    },
    store: (inputs) =>
      db.$transaction(async (tx) => {
        const slugs = [...new Set(inputs.map((input) => input.slug))];
        const bins = await tx.bin.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true, userId: true } });
        const binBySlug = new Map(bins.map((bin) => [bin.slug, bin]));
        const now = new Date();
        const round = createRoundSequences();
        for (const [binId, indexes] of groupByBin(inputs, binBySlug)) {
          const bumped = await tx.bin.update({
            where: { id: binId },
            data: {
              lastSeq: { increment: indexes.length },
              requestCount: { increment: indexes.length },
              tooLargeCount: { increment: countTruncated(inputs, indexes) },
              incompleteCount: { increment: countIncomplete(inputs, indexes) },
              lastRequestAt: latestReceivedAt(inputs, indexes, now),
            },
            select: { lastSeq: true, requestCount: true, maxRequests: true },
          });
          round.assign(binId, indexes, bumped);
        }
        const { rows, outcomes } = buildCaptureRows(inputs, binBySlug, round.seqByIndex, now);
        if (rows.length > 0) {
          await tx.capturedRequest.createMany({
            data: rows.map((row) => ({ ...row, declaredSize: row.declaredSize === null ? null : BigInt(row.declaredSize) })),
          });
        }
        const targets = await tx.forwardTarget.findMany({
          where: { binId: { in: [...round.binIds] }, enabled: true },
          orderBy: { position: "asc" },
          select: { id: true, binId: true, methods: true, pathPrefix: true },
        });
        const deliveries = planDeliveries(rows, groupTargets(targets), now);
        if (deliveries.length > 0) {
          await tx.delivery.createMany({ data: deliveries.map((d) => ({ ...d, createdAt: now, updatedAt: now })) });
        }
        return { outcomes, overLimitBinIds: round.overLimitBinIds, deliveryTargetIds: targetIdsOf(deliveries) };
      }),
    async countRateLimited(perBin) {
      // One row at a time: a transaction over several bins could deadlock with a capture round.
      for (const [id, n] of perBin) await db.bin.updateMany({ where: { id }, data: { rateLimitedCount: { increment: n } } });
    },
  };
}

/**
 * Stores one captured request and announces it. Resolves only once the row is committed, so an
 * adapter that acknowledges after it never acknowledges a request that could still be lost.
 */
export async function captureRequest(deps: CaptureDeps, input: CaptureInput): Promise<CaptureResult> {
  const { outcomes } = await createPrismaCaptureStore(deps.db).store([input]);
  const [outcome] = outcomes;
  if (!outcome) throw new Error("the capture store returned no outcome");
  if (outcome.published) deps.bus.publish([outcome.published]);
  return outcome.result;
}
