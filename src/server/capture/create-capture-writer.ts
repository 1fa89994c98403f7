import type { EventBus } from "../events/event-bus";
import type { CaptureFn, CaptureInput, CaptureResult, CaptureStore } from "./capture-request";

interface Pending {
  input: CaptureInput;
  resolve: (result: CaptureResult) => void;
  reject: (error: unknown) => void;
}

export interface CaptureWriter {
  capture: CaptureFn;
  /** performance.now() of the last capture handed to the writer (-Infinity before the first). */
  lastCaptureAt(): number;
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
  let lastCaptureAt = -Infinity;

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
    lastCaptureAt: () => lastCaptureAt,
    capture(input) {
      lastCaptureAt = performance.now();
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
