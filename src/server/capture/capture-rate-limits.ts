import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const ALLOWED: RateDecision = { allowed: true };

async function consume(limiter: RateLimiterMemory, key: string): Promise<RateDecision> {
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
export function createCaptureRateLimits(perIpPerMinute: number) {
  const perIp = perIpPerMinute > 0 ? new RateLimiterMemory({ points: perIpPerMinute, duration: 60 }) : null;
  // Bins with the same rate share a limiter; keys are bin ids.
  const perBinByRate = new Map<number, RateLimiterMemory>();

  return {
    checkIp(ip: string | null): Promise<RateDecision> {
      return perIp ? consume(perIp, ip ?? "unknown") : Promise.resolve(ALLOWED);
    },
    checkBin(binId: string, perMinute: number): Promise<RateDecision> {
      if (perMinute <= 0) return Promise.resolve(ALLOWED);
      let limiter = perBinByRate.get(perMinute);
      if (!limiter) {
        limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
        perBinByRate.set(perMinute, limiter);
      }
      return consume(limiter, binId);
    },
  };
}
