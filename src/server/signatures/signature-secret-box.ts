import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * The key that seals bins' signature secrets, derived from BETTER_AUTH_SECRET so a database dump
 * alone reveals none of them. A changed BETTER_AUTH_SECRET makes old secrets unreadable (openSecret
 * returns null) until the owner enters them again.
 */
export function deriveSignatureKey(authSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret, "webhookdump", "bin signature secrets v1", 32));
}

const VERSION = "v1";

/** AES-256-GCM with the bin id as associated data, so a sealed secret only opens for its own bin. */
export function sealSecret(key: Buffer, binId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(binId));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64")}`;
}

/** The secret, or null when it cannot be opened (another key, another bin, damaged data). */
export function openSecret(key: Buffer, binId: string, sealed: string): string | null {
  if (!sealed.startsWith(`${VERSION}:`)) return null;
  const raw = Buffer.from(sealed.slice(VERSION.length + 1), "base64");
  if (raw.length < 28) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(binId));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
