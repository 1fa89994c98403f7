import { createHmac, timingSafeEqual } from "node:crypto";
import type { TSignatureReason, TVerifyInput, TVerifyResult } from "./signature-types";

export type THmacAlgorithm = "sha1" | "sha256" | "sha512";

/** Every value of a header, case-insensitively, in the order received (senders may repeat it). */
export function headerValues(input: TVerifyInput, name: string): string[] {
  const wanted = name.toLowerCase();
  return input.headers.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}

export function hmac(algorithm: THmacAlgorithm, key: string | Uint8Array, ...parts: (string | Uint8Array)[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time comparison of two encoded signatures; unequal lengths are simply unequal. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** How many characters of the expected signature an invalid verdict may show. */
const EXPECTED_PREFIX_LENGTH = 8;

export interface TOutcome {
  reason: TSignatureReason;
  detail: string;
  received?: string | null;
  expected?: string | null;
  timestampAgeSeconds?: number | null;
}

export function result(recipe: string, outcome: TOutcome): TVerifyResult {
  const valid = outcome.reason === "ok";
  const expected = outcome.expected ?? null;
  return {
    verdict: valid ? "valid" : "invalid",
    reason: outcome.reason,
    detail: outcome.detail,
    recipe,
    received: outcome.received ?? null,
    expectedPrefix: expected === null ? null : valid ? expected : expected.slice(0, EXPECTED_PREFIX_LENGTH),
    timestampAgeSeconds: outcome.timestampAgeSeconds ?? null,
  };
}

// When a repeated header gives several outcomes, the one that got furthest explains the failure best.
const RANK: Record<TSignatureReason, number> = {
  ok: 0,
  timestamp_too_old: 1,
  timestamp_too_new: 1,
  body_hash_mismatch: 2,
  signature_mismatch: 3,
  no_supported_signature: 4,
  malformed_signature_header: 5,
  missing_signature_header: 6,
};

export function best(outcomes: TOutcome[]): TOutcome {
  return outcomes.reduce((a, b) => (RANK[b.reason] < RANK[a.reason] ? b : a));
}

/** Seconds between signing and capture; positive means signed before capture. */
export function ageSeconds(input: TVerifyInput, timestampSeconds: number): number {
  return Math.round(input.receivedAt.getTime() / 1000 - timestampSeconds);
}

/**
 * Judges a correct signature's age; a tolerance of 0 (or none) checks nothing, as in stripe-node. `bothWays` also rejects timestamps from the future, as
 * Standard Webhooks and Linear do; Stripe, Slack and Paddle only reject old ones.
 */
export function windowOutcome(
  age: number,
  toleranceSeconds: number | undefined,
  bothWays: boolean,
  signed: { received: string; expected: string },
): TOutcome {
  const base = { ...signed, timestampAgeSeconds: age };
  if (!toleranceSeconds) return { ...base, reason: "ok", detail: "The signature matches the stored body." };
  if (age > toleranceSeconds) {
    return { ...base, reason: "timestamp_too_old", detail: `The signature is correct but was made ${age} s before capture, more than the ${toleranceSeconds} s allowed.` };
  }
  if (bothWays && -age > toleranceSeconds) {
    return { ...base, reason: "timestamp_too_new", detail: `The signature is correct but its timestamp is ${-age} s after capture, more than the ${toleranceSeconds} s allowed.` };
  }
  return { ...base, reason: "ok", detail: "The signature matches the stored body." };
}

export function missing(names: string): TOutcome {
  return { reason: "missing_signature_header", detail: `The request has no ${names} header.` };
}

export function mismatch(received: string, expected: string, hint = "the body was changed on the way or the secret is not the one the sender used"): TOutcome {
  return { reason: "signature_mismatch", detail: `The signature does not match: ${hint}.`, received, expected };
}

export function parseUnixSeconds(text: string): number | null {
  return /^\d{1,12}$/.test(text.trim()) ? Number(text.trim()) : null;
}

export function bodyLength(input: TVerifyInput): string {
  return `body (${input.body.length} bytes)`;
}
