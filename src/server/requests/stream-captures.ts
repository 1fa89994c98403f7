import type { Db } from "../db/create-db";
import type { CaptureSummary, EventBus } from "../events/event-bus";

export interface StreamCapturesOptions {
  binId: string;
  /** Deliver captures with seq greater than this. */
  afterSeq: number;
  signal?: AbortSignal;
  /** Live events buffered for a slow consumer before falling back to reading the database. */
  maxQueue?: number;
  /** Rows per database read while catching up. */
  pageSize?: number;
}

const SUMMARY_SELECT = {
  id: true,
  binId: true,
  seq: true,
  method: true,
  path: true,
  query: true,
  bodySize: true,
  truncated: true,
  contentType: true,
  receivedAt: true,
  responseStatus: true,
} as const;

/**
 * Every capture of a bin after `afterSeq`, exactly once and in sequence order: listens to the bus
 * first, then catches up from the database, then streams live events. The bus is only a hint;
 * whenever it and the database could disagree (a gap in sequence numbers, an overflowing queue),
 * the database is read again. Memory stays bounded by `maxQueue` whatever the consumer's pace.
 */
export async function* streamCaptures(
  deps: { db: Db; bus: EventBus },
  options: StreamCapturesOptions,
): AsyncGenerator<CaptureSummary> {
  const { db, bus } = deps;
  const { binId, signal } = options;
  const maxQueue = options.maxQueue ?? 1_000;
  const pageSize = options.pageSize ?? 500;
  const queue: CaptureSummary[] = [];
  let overflowed = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };

  const unsubscribe = bus.subscribeBin(binId, (summary) => {
    if (queue.length >= maxQueue) overflowed = true;
    else queue.push(summary);
    notify();
  });
  signal?.addEventListener("abort", notify, { once: true });

  try {
    let last = options.afterSeq;

    // Reads everything committed after `last`, page by page.
    async function* catchUp(): AsyncGenerator<CaptureSummary> {
      for (;;) {
        const rows = await db.capturedRequest.findMany({
          where: { binId, seq: { gt: last } },
          orderBy: { seq: "asc" },
          take: pageSize,
          select: SUMMARY_SELECT,
        });
        for (const row of rows) {
          last = row.seq;
          yield { ...row, receivedAt: row.receivedAt.toISOString() };
        }
        if (rows.length < pageSize) return;
      }
    }

    yield* catchUp();
    while (!signal?.aborted) {
      if (overflowed) {
        overflowed = false;
        queue.length = 0;
        yield* catchUp();
        continue;
      }
      const next = queue.shift();
      if (!next) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (next.seq <= last) continue;
      if (next.seq === last + 1) {
        last = next.seq;
        yield next;
      } else {
        // Sequence numbers are handed out under the bin's row lock and published after commit, so
        // anything before `next` is already in the database (or was deleted): read it from there.
        yield* catchUp();
      }
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener("abort", notify);
  }
}
