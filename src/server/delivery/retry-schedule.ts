/**
 * When to try a failed auto-forward again. Six attempts over about an hour by default: the
 * first at capture, then after ~10 s, 1 min, 5 min, 15 min and 40 min, each ±20 % so that many
 * deliveries that failed together do not all come back at once.
 */
export const DEFAULT_RETRY_DELAYS_MS = [10_000, 60_000, 300_000, 900_000, 2_400_000];

/** A Retry-After longer than this is not honoured as such: the delivery waits this long instead. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

export type AttemptVerdict = "delivered" | "retry" | "failed";

/** What an attempt's outcome means for its delivery. */
export function judgeAttempt(outcome: { status: number | null; error: { code: string } | null }): AttemptVerdict {
  if (outcome.error) {
    // An answer (3xx) or our own policy will not change by trying again.
    if (outcome.error.code === "redirect" || outcome.error.code === "blocked_address" || outcome.error.code === "too_large") return "failed";
    return "retry";
  }
  const status = outcome.status ?? 0;
  if (status >= 200 && status < 300) return "delivered";
  if (status >= 500 || status === 408 || status === 429) return "retry";
  return "failed";
}

/** Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable. */
export function parseRetryAfter(headers: [string, string][], now: Date): number | null {
  const value = headers.find(([name]) => name.toLowerCase() === "retry-after")?.[1]?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An IMF-fixdate ("Wed, 02 Dec 2026 12:00:30 GMT"); Date.parse alone would take "-5" as a year.
  if (!/^[A-Za-z]{3}, /.test(value)) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * The wait before attempt `attemptsMade + 1`, or null when the schedule is used up.
 * `random` is in [0, 1).
 */
export function nextRetryDelay(
  attemptsMade: number,
  retryAfterMs: number | null,
  delays: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
  random: () => number = Math.random,
): number | null {
  const base = delays[attemptsMade - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  if (retryAfterMs === null) return jittered;
  return Math.min(Math.max(jittered, retryAfterMs), MAX_RETRY_AFTER_MS);
}
