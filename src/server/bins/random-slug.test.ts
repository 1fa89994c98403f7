import { describe, expect, it } from "vitest";
import { ZSlugSchema } from "./bin-schemas";
import { randomSlug } from "./random-slug";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const SAMPLES = 1_000;

describe("randomSlug", () => {
  const samples = Array.from({ length: SAMPLES }, () => randomSlug());

  it("is 26 characters long", () => {
    for (const slug of samples) expect(slug).toHaveLength(26);
  });

  it("uses only the 32-character base32 alphabet", () => {
    expect(new Set(ALPHABET).size).toBe(32);
    for (const slug of samples) expect(slug).toMatch(/^[a-z2-7]{26}$/);
  });

  it("carries at least 96 bits: 26 characters of a 32-letter alphabet", () => {
    const bitsPerChar = Math.log2(ALPHABET.length);
    expect(bitsPerChar).toBe(5);
    expect(samples[0]?.length ?? 0).toBe(26);
    expect(26 * bitsPerChar).toBeGreaterThanOrEqual(96);
  });

  it("is a valid slug (never reserved, never starts or ends with a dash)", () => {
    for (const slug of samples) expect(ZSlugSchema.safeParse(slug)).toEqual({ success: true, data: slug });
  });

  it("gives 1,000 distinct values in 1,000 draws", () => {
    expect(new Set(samples).size).toBe(SAMPLES);
  });

  it("uses every character of the alphabet across the samples (no stuck bits)", () => {
    const seen = new Set(samples.join(""));
    expect([...seen].sort().join("")).toBe([...ALPHABET].sort().join(""));
  });

  it("varies in every one of the first 25 positions", () => {
    // The 26th character holds only the last 3 random bits, so it is checked separately.
    for (let position = 0; position < 25; position += 1) {
      const values = new Set(samples.map((slug) => slug[position]));
      expect(values.size, `position ${position}`).toBeGreaterThan(16);
    }
    const last = new Set(samples.map((slug) => slug[25]));
    expect(last.size).toBeGreaterThan(1);
  });

  it("encodes exactly 128 random bits: the 26th character carries the last 3 bits, zero-padded", () => {
    // 25 full characters hold 125 bits; the last holds 3 bits shifted left by 2, so it is one of 8.
    const padded = new Set([0, 4, 8, 12, 16, 20, 24, 28].map((index) => ALPHABET[index]));
    for (const slug of samples) expect(padded.has(slug[25])).toBe(true);
    expect(25 * 5 + 3).toBe(128);
  });
});
