import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeContentEncoding, parseContentEncoding } from "./decode-content-encoding";

const text = Buffer.from(JSON.stringify({ hello: "world", n: 12345678901234567890 }).repeat(20));

describe("decodeContentEncoding", () => {
  it("undoes gzip, deflate (zlib and raw) and br", () => {
    expect(decodeContentEncoding(zlib.gzipSync(text), ["gzip"], 1e6).equals(text)).toBe(true);
    expect(decodeContentEncoding(zlib.deflateSync(text), ["deflate"], 1e6).equals(text)).toBe(true);
    expect(decodeContentEncoding(zlib.deflateRawSync(text), ["deflate"], 1e6).equals(text)).toBe(true);
    expect(decodeContentEncoding(zlib.brotliCompressSync(text), ["br"], 1e6).equals(text)).toBe(true);
  });

  it("undoes stacked codings last to first", () => {
    const stacked = zlib.gzipSync(zlib.brotliCompressSync(text));
    expect(decodeContentEncoding(stacked, parseContentEncoding("br, gzip") ?? [], 1e6).equals(text)).toBe(true);
  });

  it("refuses to inflate a bomb beyond the cap and rejects garbage", () => {
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(() => decodeContentEncoding(bomb, ["gzip"], 1024 * 1024)).toThrow();
    expect(() => decodeContentEncoding(Buffer.from("not gzip"), ["gzip"], 1e6)).toThrow();
  });
});

describe("parseContentEncoding", () => {
  it("knows gzip, x-gzip, deflate and br, ignores identity, refuses the rest", () => {
    expect(parseContentEncoding("GZIP")).toEqual(["gzip"]);
    expect(parseContentEncoding("x-gzip")).toEqual(["gzip"]);
    expect(parseContentEncoding("identity")).toBeNull();
    expect(parseContentEncoding("deflate, br")).toEqual(["deflate", "br"]);
    expect(parseContentEncoding("zstd")).toBeNull();
    expect(parseContentEncoding(null)).toBeNull();
  });
});
