import { z } from "zod";
import { hasFilters, ZRequestFiltersSchema, type TRequestFilters } from "~/lib/request-filters";
import type { Db } from "../db/create-db";
import type { EventBus } from "../events/event-bus";
import { notFound } from "../errors";
import { findFilteredSeqs } from "./find-filtered-seqs";
import { getRequest, type RequestRecord } from "./requests-service";

export const MAX_WAIT_SECONDS = 60;

// Query strings send "" for a parameter left empty: that means "not given".
const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);

/** REST's `?after=&timeout=&method=&path=&q=` of GET /bins/{id}/requests/next. */
export const ZNextRequestQuerySchema = z
  .object({
    /** Sequence number to wait after (exclusive); the bin's newest at the call when absent. */
    after: z.preprocess(emptyAsUnset, z.coerce.number().int("must be a whole sequence number").min(0).optional()),
    /** Seconds to wait before answering 204; fractions allowed. */
    timeout: z.preprocess(emptyAsUnset, z.coerce.number().min(0).max(MAX_WAIT_SECONDS, `must be at most ${MAX_WAIT_SECONDS} seconds`).default(30)),
  })
  .and(ZRequestFiltersSchema)
  .transform(({ after, timeout, ...filters }) => ({ after, timeoutMs: Math.round(timeout * 1000), filters }));
export type TNextRequestQuery = z.output<typeof ZNextRequestQuerySchema>;

/**
 * The first request of a bin after `after` that matches `filters`, waiting up to `timeoutMs` for
 * one to be captured; null when none came in time or `signal` aborted (the client went away).
 *
 * Event-driven: it listens to the bus for the bin before it reads the database, so a capture
 * committed between the read and the wait still wakes it; each read covers the sequence numbers
 * up to the bin's lastSeq read just before, and the next read starts above them.
 */
export async function waitForNextRequest(
  deps: { db: Db; bus: EventBus },
  userId: string,
  binId: string,
  options: { after?: number; timeoutMs: number; filters: TRequestFilters; signal?: AbortSignal },
): Promise<RequestRecord | null> {
  const { db, bus } = deps;
  const start = await db.bin.findFirst({ where: { id: binId, userId }, select: { lastSeq: true } });
  if (!start) throw notFound("Bin");
  let checkedUpTo = options.after ?? start.lastSeq;

  let wake: (() => void) | null = null;
  let pending = false;
  const unsubscribe = bus.subscribeBin(binId, (batch) => {
    if ((batch.at(-1)?.seq ?? 0) <= checkedUpTo) return;
    pending = true;
    wake?.();
  });
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (;;) {
      pending = false;
      const found = await firstMatchAfter(db, binId, checkedUpTo, options.filters);
      if (found.seq !== null) return await getRequest(db, userId, found.id);
      checkedUpTo = Math.max(checkedUpTo, found.upTo);
      if (pending) continue;
      const woken = await new Promise<boolean>((resolve) => {
        const remaining = deadline - Date.now();
        if (remaining <= 0 || options.signal?.aborted) return resolve(false);
        const timer = setTimeout(() => done(false), remaining);
        const onAbort = () => done(false);
        const done = (value: boolean) => {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
          wake = null;
          resolve(value);
        };
        options.signal?.addEventListener("abort", onAbort, { once: true });
        wake = () => done(true);
      });
      if (!woken) return null;
    }
  } finally {
    unsubscribe();
  }
}

/** The first match above `after` among the requests committed so far (up to the bin's lastSeq). */
async function firstMatchAfter(
  db: Db,
  binId: string,
  after: number,
  filters: TRequestFilters,
): Promise<{ seq: number; id: string; upTo: number } | { seq: null; upTo: number }> {
  // lastSeq first: every request up to it is committed, so the read below misses none of them.
  const bin = await db.bin.findUnique({ where: { id: binId }, select: { lastSeq: true } });
  if (!bin) throw notFound("Bin");
  const upTo = bin.lastSeq;
  if (upTo <= after) return { seq: null, upTo };
  let from = after;
  for (;;) {
    const [seq] = hasFilters(filters)
      ? await findFilteredSeqs(db, binId, filters, { afterSeq: from, upToSeq: upTo, limit: 1 })
      : [(await db.capturedRequest.findFirst({ where: { binId, seq: { gt: from, lte: upTo } }, orderBy: { seq: "asc" }, select: { seq: true } }))?.seq];
    if (seq === undefined) return { seq: null, upTo };
    const row = await db.capturedRequest.findFirst({ where: { binId, seq }, select: { id: true } });
    if (row) return { seq, id: row.id, upTo };
    from = seq; // deleted between the two reads: look further
  }
}
