import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_DELAYS_MS, judgeAttempt, MAX_RETRY_AFTER_MS, nextRetryDelay, parseRetryAfter } from "./retry-schedule";

describe("judgeAttempt", () => {
  it.each([
    [200, "delivered"],
    [204, "delivered"],
    [299, "delivered"],
    [500, "retry"],
    [503, "retry"],
    [408, "retry"],
    [429, "retry"],
    [400, "failed"],
    [404, "failed"],
    [410, "failed"],
  ] as const)("status %i is %s", (status, verdict) => {
    expect(judgeAttempt({ status, error: null })).toBe(verdict);
  });

  it.each([
    ["timeout", "retry"],
    ["connection_refused", "retry"],
    ["dns", "retry"],
    ["tls", "retry"],
    ["network", "retry"],
    ["redirect", "failed"],
    ["blocked_address", "failed"],
    ["too_large", "failed"],
  ] as const)("error %s is %s", (code, verdict) => {
    expect(judgeAttempt({ status: code === "redirect" ? 302 : null, error: { code } })).toBe(verdict);
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-12-02T12:00:00Z");
  it("reads seconds", () => expect(parseRetryAfter([["Retry-After", "120"]], now)).toBe(120_000));
  it("reads an HTTP date", () => expect(parseRetryAfter([["retry-after", "Wed, 02 Dec 2026 12:00:30 GMT"]], now)).toBe(30_000));
  it("treats a past date as now", () => expect(parseRetryAfter([["Retry-After", "Wed, 02 Dec 2026 11:00:00 GMT"]], now)).toBe(0));
  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter([], now)).toBeNull();
    expect(parseRetryAfter([["Retry-After", "soon"]], now)).toBeNull();
    expect(parseRetryAfter([["Retry-After", "-5"]], now)).toBeNull();
  });
});

describe("nextRetryDelay", () => {
  it("follows the schedule with ±20 % jitter, then gives up", () => {
    expect(nextRetryDelay(1, null, DEFAULT_RETRY_DELAYS_MS, () => 0)).toBe(8_000);
    expect(nextRetryDelay(1, null, DEFAULT_RETRY_DELAYS_MS, () => 0.5)).toBe(10_000);
    expect(nextRetryDelay(1, null, DEFAULT_RETRY_DELAYS_MS, () => 0.999_999)).toBe(12_000);
    expect(nextRetryDelay(5, null, DEFAULT_RETRY_DELAYS_MS, () => 0.5)).toBe(2_400_000);
    expect(nextRetryDelay(6, null, DEFAULT_RETRY_DELAYS_MS, () => 0.5)).toBeNull();
  });

  it("spends six attempts over about an hour by default", () => {
    const total = DEFAULT_RETRY_DELAYS_MS.reduce((sum, ms) => sum + ms, 0);
    expect(DEFAULT_RETRY_DELAYS_MS).toHaveLength(5);
    expect(total).toBeGreaterThan(55 * 60_000);
    expect(total).toBeLessThan(65 * 60_000);
  });

  it("waits at least as long as Retry-After asks, up to an hour", () => {
    expect(nextRetryDelay(1, 90_000, DEFAULT_RETRY_DELAYS_MS, () => 0.5)).toBe(90_000);
    expect(nextRetryDelay(1, 1_000, DEFAULT_RETRY_DELAYS_MS, () => 0.5)).toBe(10_000);
    expect(nextRetryDelay(1, 10 * 3_600_000, DEFAULT_RETRY_DELAYS_MS, () => 0.5)).toBe(MAX_RETRY_AFTER_MS);
  });
});
