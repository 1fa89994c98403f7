import type { Db } from "../db/create-db";
import type { CaptureSummary, EventBus } from "../events/event-bus";
import { SUMMARY_FIELDS } from "./requests-service";

export interface FollowCapturesOptions {
  binId: string;
  /** Deliver captures with seq greater than this. */
  afterSeq: number;
  /** Following stops (and the promise resolves) when this aborts. */
  signal: AbortSignal;
  /** Live events held while reading the database; beyond this they are dropped and read from it too. */
  maxHeld?: number;
  /** Rows per database read while catching up (and the most one delivered batch holds then). */
  pageSize?: number;
}

export type CaptureBatchSink = (batch: readonly CaptureSummary[]) => void;

/**
 * Calls `deliver` with every capture of a bin after `afterSeq`, exactly once and in sequence
 * order: listens to the bus first, catches up from the database, then passes live batches on
 * synchronously, inside the bus's own delivery. A caught-up follower gets the bus's array itself,
 * so N followers of a bin cost N calls with one shared array and no per-follower queue, promise or
 * timer. The bus is only a hint: on a gap in sequence numbers, or when more arrives during a
 * database read than `maxHeld`, the database is read again.
 *
 * Resolves when `signal` aborts; rejects (and stops) if a database read or `deliver` throws.
 */
export function followCaptures(deps: { db: Db; bus: EventBus }, options: FollowCapturesOptions, deliver: CaptureBatchSink): Promise<void> {
  const { db, bus } = deps;
  const { binId, signal } = options;
  const maxHeld = options.maxHeld ?? 1_000;
  const pageSize = options.pageSize ?? 500;

  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    let last = options.afterSeq;
    let live = false;
    let held: (readonly CaptureSummary[])[] = [];
    let heldCount = 0;
    let heldOverflowed = false;
    let finished = false;
    let unsubscribe = () => {};

    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      unsubscribe();
      signal.removeEventListener("abort", onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = () => finish();

    const send = (batch: readonly CaptureSummary[]) => {
      last = batch.at(-1)?.seq ?? last;
      deliver(batch);
    };

    /** Delivers what the batch adds after `last`; false when it leaves a gap the database must fill. */
    const accept = (batch: readonly CaptureSummary[]): boolean => {
      const first = batch[0];
      if (first === undefined) return true;
      if (first.seq === last + 1 && isContiguous(batch)) {
        send(batch);
        return true;
      }
      const fresh = batch.filter((summary) => summary.seq > last);
      if (fresh.length === 0) return true;
      if (fresh[0]?.seq === last + 1 && isContiguous(fresh)) {
        send(fresh);
        return true;
      }
      return false;
    };

    const catchUp = async () => {
      try {
        for (;;) {
          for (;;) {
            const rows = await db.capturedRequest.findMany({
              where: { binId, seq: { gt: last } },
              orderBy: { seq: "asc" },
              take: pageSize,
              select: SUMMARY_FIELDS,
            });
            if (finished) return;
            if (rows.length > 0) send(rows.map((row) => ({ ...row, receivedAt: row.receivedAt.toISOString() })));
            if (rows.length < pageSize) break;
          }
          // What the bus brought meanwhile either continues where the database left off (then
          // we are live) or shows that more was committed since the read: read again.
          const arrived = held;
          const overflowed = heldOverflowed;
          held = [];
          heldCount = 0;
          heldOverflowed = false;
          if (!overflowed && arrived.every(accept)) {
            live = true;
            return;
          }
        }
      } catch (error) {
        finish(error);
      }
    };

    unsubscribe = bus.subscribeBin(binId, (batch) => {
      if (finished) return;
      if (!live) {
        if (heldCount + batch.length > maxHeld) heldOverflowed = true;
        else {
          held.push(batch);
          heldCount += batch.length;
        }
        return;
      }
      let joined: boolean;
      try {
        joined = accept(batch);
      } catch (error) {
        // Thrown inside the bus's delivery: it must not reach the bus and skip other followers.
        finish(error);
        return;
      }
      if (joined) return;
      // Sequence numbers are handed out under the bin's row lock and published after commit, so
      // whatever is missing before this batch is already in the database (or was deleted).
      live = false;
      void catchUp();
    });
    signal.addEventListener("abort", onAbort, { once: true });
    void catchUp();
  });
}

function isContiguous(summaries: readonly CaptureSummary[]): boolean {
  for (let i = 1; i < summaries.length; i += 1) {
    if (summaries[i]?.seq !== (summaries[i - 1]?.seq ?? 0) + 1) return false;
  }
  return true;
}
