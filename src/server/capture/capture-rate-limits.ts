import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { MaybePromise } from "./maybe-promise";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const ALLOWED: RateDecision = { allowed: true };

/** Makes one limiter of `points` per `duration` seconds whose keys start with `keyPrefix`. */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

/** Counters in this process: right for one instance (SQLite). */
export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

/**
 * Counters in PostgreSQL (table capture_rate_limit, created by the migrations), so every instance
 * behind a load balancer counts against the same limit.
 */
export function postgresLimiters(pool: pg.Pool): LimiterFactory {
  return (options) =>
    new RateLimiterPostgres({
      ...options,
      storeClient: pool,
      storeType: "pool",
      tableName: "capture_rate_limit",
      tableCreated: true,
    });
}

async function consume(limiter: RateLimiterAbstract, key: string): Promise<RateDecision> {
  try {
    await limiter.consume(key);
    return ALLOWED;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    throw rejection;
  }
}

/**
 * Per-minute limits on captures: one per client IP across all bins (the instance's protection from
 * a single flooder) and one per bin at the bin's own rate. Counting is rate-limiter-flexible's.
 */
export function createCaptureRateLimits(perIpPerMinute: number, makeLimiter: LimiterFactory = memoryLimiters) {
  const perIp = perIpPerMinute > 0 ? makeLimiter({ keyPrefix: "ip", points: perIpPerMinute, duration: 60 }) : null;
  // Bins with the same rate share a limiter; keys are bin ids.
  const perBinByRate = new Map<number, RateLimiterAbstract>();

  return {
    /** Synchronous when there is no per-IP limit. */
    checkIp(ip: string | null): MaybePromise<RateDecision> {
      return perIp ? consume(perIp, ip ?? "unknown") : ALLOWED;
    },
    /** Synchronous for a bin without a limit. */
    checkBin(binId: string, perMinute: number): MaybePromise<RateDecision> {
      if (perMinute <= 0) return ALLOWED;
      let limiter = perBinByRate.get(perMinute);
      if (!limiter) {
        // The rate is part of the prefix: a bin whose rate changes starts a fresh count.
        limiter = makeLimiter({ keyPrefix: `bin${perMinute}`, points: perMinute, duration: 60 });
        perBinByRate.set(perMinute, limiter);
      }
      return consume(limiter, binId);
    },
  };
}
