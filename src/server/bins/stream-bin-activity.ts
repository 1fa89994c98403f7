import type { EventBus } from "../events/event-bus";

export interface BinActivity {
  binId: string;
  seq: number;
  receivedAt: string;
}

/**
 * The latest capture per bin of one user, as it happens. A slow consumer gets the newest state of
 * each bin rather than every event, so memory is bounded by the number of bins.
 */
export async function* streamBinActivity(bus: EventBus, userId: string, signal?: AbortSignal): AsyncGenerator<BinActivity> {
  const pending = new Map<string, BinActivity>();
  const newest = new Map<string, number>();
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const unsubscribe = bus.subscribeUser(userId, (summaries) => {
    // With several instances an older capture can arrive after a newer one: only newer news counts.
    for (const { binId, seq, receivedAt } of summaries) {
      if ((newest.get(binId) ?? 0) >= seq) continue;
      newest.set(binId, seq);
      pending.set(binId, { binId, seq, receivedAt });
    }
    notify();
  });
  signal?.addEventListener("abort", notify, { once: true });
  try {
    while (!signal?.aborted) {
      if (pending.size === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      const batch = [...pending.values()];
      pending.clear();
      yield* batch;
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener("abort", notify);
  }
}
