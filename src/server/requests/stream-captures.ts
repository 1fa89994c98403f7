import type { Db } from "../db/create-db";
import type { CaptureSummary, EventBus } from "../events/event-bus";
import { followCaptures } from "./follow-captures";

export interface StreamCapturesOptions {
  binId: string;
  /** Deliver captures with seq greater than this. */
  afterSeq: number;
  signal?: AbortSignal;
  /** Captures buffered for a slow consumer; beyond this, following pauses and resumes from the database. */
  maxQueue?: number;
  /** Rows per database read while catching up (and the most one yielded batch holds then). */
  pageSize?: number;
}

/**
 * followCaptures for a consumer that pulls at its own pace: every capture of a bin after
 * `afterSeq`, exactly once and in sequence order, in batches. Each yield holds everything that
 * arrived since the previous one, so a consumer that falls behind receives fewer, larger batches
 * instead of a growing backlog; when it keeps up, a batch is exactly what the bus published. Once
 * `maxQueue` captures wait, following stops, and it starts again from the database when the
 * consumer has taken them, so memory stays bounded whatever the consumer's pace.
 */
export async function* streamCaptures(
  deps: { db: Db; bus: EventBus },
  options: StreamCapturesOptions,
): AsyncGenerator<readonly CaptureSummary[]> {
  const { signal } = options;
  const maxQueue = options.maxQueue ?? 1_000;
  let buffered: (readonly CaptureSummary[])[] = [];
  let count = 0;
  let lastBuffered = options.afterSeq;
  let failed = false;
  let failure: unknown;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };

  let follower = new AbortController();
  let following = Promise.resolve();
  const follow = () => {
    const controller = new AbortController();
    follower = controller;
    following = followCaptures(deps, { ...options, afterSeq: lastBuffered, signal: controller.signal, maxHeld: maxQueue }, (batch) => {
      buffered.push(batch);
      count += batch.length;
      lastBuffered = batch.at(-1)?.seq ?? lastBuffered;
      if (count >= maxQueue) controller.abort();
      notify();
    }).then(notify, (error: unknown) => {
      failed = true;
      failure = error;
      notify();
    });
  };
  const stop = () => {
    follower.abort();
    notify();
  };
  signal?.addEventListener("abort", stop, { once: true });

  try {
    follow();
    for (;;) {
      if (count > 0) {
        const arrived = buffered;
        buffered = [];
        count = 0;
        // One batch is passed on as the bus's own array, so its serialisation can be shared.
        yield arrived.length === 1 && arrived[0] ? arrived[0] : arrived.flat();
        continue;
      }
      if (failed) throw failure;
      if (signal?.aborted) return;
      if (follower.signal.aborted) {
        // Paused because the consumer fell behind; it has caught up with what was buffered.
        await following;
        follow();
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    follower.abort();
    signal?.removeEventListener("abort", stop);
  }
}
