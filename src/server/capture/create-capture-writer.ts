import type { EventBus } from "../events/event-bus";
import type { CaptureFn, CaptureInput, CaptureResult, CaptureStore } from "./capture-request";

interface Pending {
  input: CaptureInput;
  resolve: (result: CaptureResult) => void;
  reject: (error: unknown) => void;
}

export interface CaptureWriter {
  capture: CaptureFn;
  /** Captures handed to the writer in the last 100 to 200 ms (the current and the previous 100 ms window). */
  recentCaptures(): number;
}

/**
 * Groups concurrent captures into one transaction per round: while one commit is in flight, the
 * next requests queue up and share the following commit. Under load that turns hundreds of
 * commits into a few, while every caller still resolves only after its own row is committed.
 */
export function createCaptureWriter(
  deps: { store: CaptureStore; bus: EventBus; onOverLimit?: (binIds: string[]) => void; onDeliveriesQueued?: (targetIds: string[]) => void },
  options: { maxBatch?: number } = {},
): CaptureWriter {
  const maxBatch = options.maxBatch ?? 500;
  let queue: Pending[] = [];
  let running = false;
  // Two 100 ms windows of capture counts: cheap enough for every capture, enough to tell a flood.
  let windowStart = 0;
  let inWindow = 0;
  let inPrevious = 0;
  const roll = (now: number) => {
    if (now - windowStart < 100) return;
    inPrevious = now - windowStart < 200 ? inWindow : 0;
    inWindow = 0;
    windowStart = now;
  };

  async function settle(batch: Pending[]) {
    try {
      const { outcomes, overLimitBinIds, deliveryTargetIds } = await deps.store.store(batch.map((p) => p.input));
      if (overLimitBinIds.length > 0) deps.onOverLimit?.(overLimitBinIds);
      if (deliveryTargetIds.length > 0) deps.onDeliveriesQueued?.(deliveryTargetIds);
      deps.bus.publish(outcomes.flatMap((outcome) => (outcome.published ? [outcome.published] : [])));
      outcomes.forEach((outcome, i) => batch[i]?.resolve(outcome.result));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One bad request must not fail its neighbours: retry each on its own.
      await Promise.all(batch.map((pending) => settle([pending])));
    }
  }

  async function drain() {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      await settle(batch);
    }
    running = false;
  }

  return {
    recentCaptures() {
      roll(performance.now());
      return inWindow + inPrevious;
    },
    capture(input) {
      roll(performance.now());
      inWindow++;
      return new Promise<CaptureResult>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        // Start on the next tick so that requests arriving in the same tick share the first commit.
        if (!running) {
          running = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
