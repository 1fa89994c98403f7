import { describe, expect, it } from "vitest";
import { authorizeMetrics } from "./authorize-metrics";

describe("authorizeMetrics", () => {
  it("lets every scrape in when no token is configured", () => {
    expect(authorizeMetrics(undefined, undefined)).toBe(true);
    expect(authorizeMetrics("Bearer anything", undefined)).toBe(true);
  });

  it("accepts exactly `Bearer <token>` (scheme in any case) and nothing else", () => {
    const token = "s3cret-token";
    expect(authorizeMetrics(`Bearer ${token}`, token)).toBe(true);
    expect(authorizeMetrics(`bearer ${token}`, token)).toBe(true);
    for (const header of [undefined, null, "", token, `Basic ${token}`, `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, "Bearer ", `Bearer ${token} extra`]) {
      expect(authorizeMetrics(header, token), String(header)).toBe(false);
    }
  });
});
