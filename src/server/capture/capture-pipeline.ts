import type { EventBus } from "../events/event-bus";
import type { CaptureBin, CaptureFn, CaptureStore } from "./capture-request";
import { createCaptureRateLimits, type LimiterFactory } from "./capture-rate-limits";
import { createCaptureWriter } from "./create-capture-writer";
import { andThen, type MaybePromise } from "./maybe-promise";

export type Admission =
  | { kind: "unknown-bin" }
  | { kind: "rate-limited"; retryAfterSeconds: number }
  | { kind: "admitted"; bin: CaptureBin };

const UNKNOWN_BIN: Admission = { kind: "unknown-bin" };

export interface CapturePipeline {
  /**
   * Decides, before the body is read, whether a request to `slug` will be stored; synchronously
   * when the lookup and the limits can.
   */
  admit(slug: string, ip: string | null): MaybePromise<Admission>;
  capture: CaptureFn;
  /** Whether captures are flooding in: over about 1,000 a second lately. */
  busy(): boolean;
  /** Writes pending counters. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Everything a capture goes through, whatever server received it: bin lookup, rate limits (IP,
 * then bin), grouped storage, and the refused-request counters, which are summed in memory and
 * written once a second so a flood of refusals does not become a flood of writes.
 */
export function createCapturePipeline(deps: {
  store: CaptureStore;
  bus: EventBus;
  rateLimitPerIp: number;
  /** Where rate-limit counters live (this process by default). */
  limiters?: LimiterFactory;
  onOverLimit?: (binIds: string[]) => void;
  /** A round wrote outbox rows: the delivery worker should look now rather than at its next poll. */
  onDeliveriesQueued?: (targetIds: string[]) => void;
  onError?: (error: unknown, what: string) => void;
}): CapturePipeline {
  const writer = createCaptureWriter({ store: deps.store, bus: deps.bus, onOverLimit: deps.onOverLimit, onDeliveriesQueued: deps.onDeliveriesQueued });
  const limits = createCaptureRateLimits(deps.rateLimitPerIp, deps.limiters);
  let refused = new Map<string, number>();

  async function flush() {
    if (refused.size === 0) return;
    const pending = refused;
    refused = new Map();
    await deps.store.countRateLimited(pending);
  }
  const timer = setInterval(() => void flush().catch((error: unknown) => (deps.onError ?? console.error)(error, "counting refusals failed")), 1_000);
  timer.unref();

  return {
    admit(slug, ip) {
      return andThen(deps.store.lookupBin(slug), (bin): MaybePromise<Admission> => {
        if (!bin) return UNKNOWN_BIN;
        const byIp = limits.checkIp(ip);
        const decided = andThen(byIp, (ipDecision) => (ipDecision.allowed ? limits.checkBin(bin.id, bin.rateLimitPerMinute) : ipDecision));
        return andThen(decided, (decision): Admission => {
          if (decision.allowed) return { kind: "admitted", bin };
          refused.set(bin.id, (refused.get(bin.id) ?? 0) + 1);
          return { kind: "rate-limited", retryAfterSeconds: decision.retryAfterSeconds };
        });
      });
    },
    capture: writer.capture,
    busy: () => writer.recentCaptures() >= 150,
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
