import { createPublicKey, verify as verifySignature } from "node:crypto";
import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { ageSeconds, best, headerValues, mismatch, missing, parseUnixSeconds, result, windowOutcome, type TOutcome } from "../verify-helpers";

/** X-Signature-Ed25519 = hex Ed25519 signature of timestamp + body; the "secret" is the app's public key. */
export function verifyDiscord(input: TVerifyInput, config: TSchemeConfig<"discord">): TVerifyResult {
  const signatures = headerValues(input, "x-signature-ed25519");
  const timestamps = headerValues(input, "x-signature-timestamp");
  let recipe = "hex(Ed25519 signature of timestamp + body) in X-Signature-Ed25519, checked with the application's public key";
  if (signatures.length === 0) return result(recipe, missing("X-Signature-Ed25519"));
  if (timestamps.length === 0) return result(recipe, missing("X-Signature-Timestamp"));
  const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(config.secret, "hex").toString("base64url") }, format: "jwk" });
  const outcomes: TOutcome[] = [];
  for (const timestamp of timestamps) {
    recipe = `hex(Ed25519 signature of "${timestamp}" + body) in X-Signature-Ed25519, checked with the application's public key`;
    const signed = Buffer.concat([Buffer.from(timestamp), input.body]);
    const t = parseUnixSeconds(timestamp);
    const age = t === null ? null : ageSeconds(input, t);
    for (const received of signatures) {
      if (!/^[0-9a-fA-F]{128}$/.test(received.trim())) {
        outcomes.push({ reason: "malformed_signature_header", detail: "X-Signature-Ed25519 should be 128 hex characters.", received });
      } else if (!verifySignature(null, signed, key, Buffer.from(received.trim(), "hex"))) {
        outcomes.push({ ...mismatch(received, "", "the body was changed, or the public key is not this application's"), expected: null, timestampAgeSeconds: age });
      } else if (age !== null) {
        outcomes.push(windowOutcome(age, config.toleranceSeconds, false, { received, expected: received }));
      } else {
        outcomes.push({ reason: "ok", detail: "The signature matches the timestamp and the stored body.", received, expected: received });
      }
    }
  }
  return result(recipe, best(outcomes));
}
