import { describe, expect, it } from "vitest";
import { describeRateLimit, describeRetention, previewResponse, withoutBlankHeaders } from "./describe-rules";

describe("describe-rules", () => {
  it("says the retention rule in words", () => {
    expect(describeRetention(1000, 7)).toBe("keeps the newest 1,000 for 7 days");
    expect(describeRetention(1, 1)).toBe("keeps the newest 1 for 1 day");
    expect(describeRetention(10_000, 0)).toBe("keeps the newest 10,000, forever");
  });

  it("says the rate limit in words", () => {
    expect(describeRateLimit(600)).toBe("at most 600 requests per minute");
    expect(describeRateLimit(0)).toBe("no rate limit");
  });

  it("previews the exact response with the headers the server always adds", () => {
    const text = previewResponse({ status: 201, headers: [["X-A", "1"]], body: "héllo", contentType: "text/plain" });
    expect(text).toBe(
      "HTTP/1.1 201 Created\nContent-Type: text/plain\nX-A: 1\nContent-Security-Policy: sandbox\nX-Content-Type-Options: nosniff\nX-WebhookDump-Request-Id: <id>\nContent-Length: 6\n\nhéllo",
    );
    expect(previewResponse({ status: 204, headers: [], body: "ignored", contentType: null })).not.toContain("ignored");
  });

  it("leaves an empty header row out of the preview (no stray ':' line)", () => {
    const text = previewResponse({ status: 200, headers: [["", ""], ["X-A", "1"], [" ", ""]], body: "", contentType: null });
    expect(text.split("\n").filter((line) => line.trim().startsWith(":"))).toEqual([]);
    expect(text).toContain("\nX-A: 1\n");
    expect(withoutBlankHeaders([["", ""], ["", "v"], ["N", ""]])).toEqual([["", "v"], ["N", ""]]);
  });
});
