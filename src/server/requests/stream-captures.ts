import type { Db } from "../db/create-db";
import type { CaptureSummary, EventBus } from "../events/event-bus";
import { SUMMARY_FIELDS } from "./requests-service";

export interface StreamCapturesOptions {
  binId: string;
  /** Deliver captures with seq greater than this. */
  afterSeq: number;
  signal?: AbortSignal;
  /** Live events buffered for a slow consumer before falling back to reading the database. */
  maxQueue?: number;
  /** Rows per database read while catching up (and the most one yielded batch holds). */
  pageSize?: number;
}


/**
 * Every capture of a bin after `afterSeq`, exactly once and in sequence order, in batches: listens
 * to the bus first, then catches up from the database, then streams live events. Each yield holds
 * everything that arrived since the previous one, so a consumer that falls behind (many
 * subscribers, a slow socket) receives fewer, larger messages instead of a growing backlog; when
 * it keeps up, a batch is exactly what the bus published, shared by every subscriber of the bin.
 * The bus is only a hint: on a gap in sequence numbers or an overflowing queue the database is
 * read again. Memory stays bounded by `maxQueue` whatever the consumer's pace.
 */
export async function* streamCaptures(
  deps: { db: Db; bus: EventBus },
  options: StreamCapturesOptions,
): AsyncGenerator<readonly CaptureSummary[]> {
  const { db, bus } = deps;
  const { binId, signal } = options;
  const maxQueue = options.maxQueue ?? 1_000;
  const pageSize = options.pageSize ?? 500;
  let queue: (readonly CaptureSummary[])[] = [];
  let queued = 0;
  let overflowed = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };

  const unsubscribe = bus.subscribeBin(binId, (summaries) => {
    if (queued + summaries.length > maxQueue) overflowed = true;
    else {
      queue.push(summaries);
      queued += summaries.length;
    }
    notify();
  });
  signal?.addEventListener("abort", notify, { once: true });

  let last = options.afterSeq;

  // Everything committed after `last`, page by page.
  async function* catchUp(): AsyncGenerator<readonly CaptureSummary[]> {
    for (;;) {
      const rows = await db.capturedRequest.findMany({
        where: { binId, seq: { gt: last } },
        orderBy: { seq: "asc" },
        take: pageSize,
        select: SUMMARY_FIELDS,
      });
      if (rows.length > 0) {
        last = rows.at(-1)?.seq ?? last;
        yield rows.map((row) => ({ ...row, receivedAt: row.receivedAt.toISOString() }));
      }
      if (rows.length < pageSize) return;
    }
  }

  try {
    yield* catchUp();
    while (!signal?.aborted) {
      if (overflowed) {
        overflowed = false;
        queue = [];
        queued = 0;
        yield* catchUp();
        continue;
      }
      if (queue.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const arrived = queue;
      queue = [];
      queued = 0;
      const only = arrived.length === 1 ? arrived[0] : undefined;
      // The common case: one published batch that continues exactly where we are. Pass the bus's
      // own array on, so its serialisation can be shared by every subscriber.
      if (only && only[0]?.seq === last + 1 && isContiguous(only)) {
        last = only.at(-1)?.seq ?? last;
        yield only;
        continue;
      }
      const fresh = arrived.flat().filter((summary) => summary.seq > last);
      if (fresh.length === 0) continue;
      if (fresh[0]?.seq === last + 1 && isContiguous(fresh)) {
        last = fresh.at(-1)?.seq ?? last;
        yield fresh;
      } else {
        // Sequence numbers are handed out under the bin's row lock and published after commit, so
        // anything missing before these is already in the database (or was deleted): read it.
        yield* catchUp();
      }
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener("abort", notify);
  }
}

function isContiguous(summaries: readonly CaptureSummary[]): boolean {
  return summaries.every((summary, i) => i === 0 || summary.seq === (summaries[i - 1]?.seq ?? 0) + 1);
}
