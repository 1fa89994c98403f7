import crypto from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/** 26 base32 characters from 128 random bits: a capture URL nobody can guess. */
export function randomSlug(): string {
  const bytes = crypto.randomBytes(16);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}
