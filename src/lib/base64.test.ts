import { describe, expect, it } from "vitest";
import { base64ToBytes, bytesToBase64 } from "./base64";

describe("base64", () => {
  it("round-trips every byte value, and bodies larger than one chunk", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytesToBase64(all)).toBe(Buffer.from(all).toString("base64"));
    const large = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) % 256);
    expect(Buffer.from(base64ToBytes(bytesToBase64(large))).equals(Buffer.from(large))).toBe(true);
    expect(bytesToBase64(new Uint8Array())).toBe("");
  });
});
