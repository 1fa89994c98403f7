import { describe, expect, it } from "vitest";
import { MAX_RESPONSE_BODY_BYTES, ZBinResponseSchema } from "./bin-response-schema";

const ok = (value: unknown) => ZBinResponseSchema.safeParse(value).success;
const message = (value: unknown) => {
  const result = ZBinResponseSchema.safeParse(value);
  return result.success ? null : result.error.issues.map((i) => i.message).join("; ");
};

describe("ZBinResponseSchema", () => {
  it("accepts statuses 200 and 599 and refuses 199, 600 and fractions with a clear message", () => {
    expect(ok({ status: 200 })).toBe(true);
    expect(ok({ status: 599 })).toBe(true);
    expect(message({ status: 199 })).toContain("200-599");
    expect(message({ status: 600 })).toContain("200-599");
    expect(ok({ status: 201.5 })).toBe(false);
  });

  it("fills defaults: no headers, empty body, text/plain, no delay", () => {
    expect(ZBinResponseSchema.parse({ status: 202 })).toEqual({
      status: 202,
      headers: [],
      body: "",
      contentType: "text/plain; charset=utf-8",
      delayMs: 0,
    });
  });

  it.each(["Connection", "transfer-encoding", "Keep-Alive", "Upgrade", "TE", "Trailer", "Content-Length", "Content-Security-Policy", "X-Content-Type-Options", "Content-Type"])(
    "refuses the header %s, naming it",
    (name) => {
      expect(message({ status: 200, headers: [[name, "x"]] })).toContain(name);
    },
  );

  it("keeps ordinary headers, repeated names included, and refuses line breaks in values", () => {
    expect(ok({ status: 200, headers: [["X-A", "1"], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]] })).toBe(true);
    expect(message({ status: 200, headers: [["X-A", "1\r\nX-Injected: yes"]] })).toContain("line breaks");
    expect(ok({ status: 200, headers: [["Bad Name", "1"]] })).toBe(false);
  });

  it("accepts a body of exactly 64 KiB (in UTF-8 bytes) and refuses one byte more", () => {
    expect(ok({ status: 200, body: "a".repeat(MAX_RESPONSE_BODY_BYTES) })).toBe(true);
    expect(message({ status: 200, body: "a".repeat(MAX_RESPONSE_BODY_BYTES + 1) })).toContain("64 KiB");
    // Multi-byte characters count as bytes, not characters.
    expect(ok({ status: 200, body: "é".repeat(MAX_RESPONSE_BODY_BYTES / 2 + 1) })).toBe(false);
  });

  it("accepts delays 0 and 30000 ms and refuses -1 and 30001", () => {
    expect(ok({ status: 200, delayMs: 0 })).toBe(true);
    expect(ok({ status: 200, delayMs: 30_000 })).toBe(true);
    expect(message({ status: 200, delayMs: -1 })).toContain("0-30000");
    expect(message({ status: 200, delayMs: 30_001 })).toContain("0-30000");
  });
});
