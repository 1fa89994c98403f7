import { createPublicKey, verify as verifySignature } from "node:crypto";
import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { ageSeconds, best, headerValues, hmac, mismatch, missing, parseUnixSeconds, result, safeEqual, windowOutcome, type TOutcome } from "../verify-helpers";

type TKey = { kind: "v1"; key: Buffer } | { kind: "v1a"; key: ReturnType<typeof createPublicKey> } | null;

/** whsec_ (or bare) base64 is an HMAC key; whpk_ base64 is a raw 32-byte Ed25519 public key. */
function readKey(secret: string): TKey {
  try {
    if (secret.startsWith("whpk_")) {
      const raw = Buffer.from(secret.slice(5), "base64");
      if (raw.length !== 32) return null;
      return { kind: "v1a", key: createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" }) };
    }
    return { kind: "v1", key: Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64") };
  } catch {
    return null;
  }
}

/** webhook-id/-timestamp/-signature (or the same under svix-*): "<id>.<ts>.<body>", 5 minutes both ways. */
export function verifyStandardWebhooks(input: TVerifyInput, config: TSchemeConfig<"standard-webhooks">): TVerifyResult {
  const tolerance = config.toleranceSeconds ?? 300;
  const family = headerValues(input, "webhook-signature").length > 0 ? "webhook" : "svix";
  const ids = headerValues(input, `${family}-id`);
  const timestamps = headerValues(input, `${family}-timestamp`);
  const signatures = headerValues(input, `${family}-signature`);
  const key = readKey(config.secret);
  const version = key?.kind ?? "v1";
  let recipe = `${version},base64(${version === "v1" ? "HMAC-SHA256(base64-decoded secret after whsec_" : "Ed25519 signature (public key after whpk_"}, id + "." + timestamp + "." + body)) in webhook-signature (or svix-signature), space-separated`;
  if (signatures.length === 0) return result(recipe, missing("webhook-signature (or svix-signature)"));
  if (ids.length === 0 || timestamps.length === 0) return result(recipe, missing(`${family}-id or ${family}-timestamp`));
  if (key === null) return result(recipe, { reason: "signature_mismatch", detail: "The configured key is not a valid whsec_ or whpk_ key, so no signature can match." });
  const outcomes: TOutcome[] = [];
  for (const id of ids) {
    for (const timestampText of timestamps) {
      const t = parseUnixSeconds(timestampText);
      if (t === null) {
        outcomes.push({ reason: "malformed_signature_header", detail: `${family}-timestamp is not Unix seconds.`, received: timestampText });
        continue;
      }
      recipe = recipe.replace("id + \".\" + timestamp", `"${id}" + "." + "${t}"`);
      const signed = Buffer.concat([Buffer.from(`${id}.${t}.`), input.body]);
      for (const header of signatures) {
        const entries = header.split(" ").filter(Boolean).map((entry) => entry.split(","));
        const ours = entries.filter(([entryVersion]) => entryVersion === key.kind).map(([, value]) => value ?? "");
        if (ours.length === 0) {
          outcomes.push({ reason: "no_supported_signature", detail: `The signature list has no ${key.kind} entry for this key.`, received: header });
          continue;
        }
        const age = ageSeconds(input, t);
        if (key.kind === "v1") {
          const expected = `v1,${hmac("sha256", key.key, signed).toString("base64")}`;
          const match = ours.find((value) => safeEqual(`v1,${value}`, expected));
          outcomes.push(match === undefined ? { ...mismatch(header, expected, "the body was changed, or the secret is not this endpoint's (the key is the base64 after whsec_, not the text)"), timestampAgeSeconds: age } : windowOutcome(age, tolerance, true, { received: `v1,${match}`, expected }));
        } else {
          const match = ours.find((value) => verifySignature(null, signed, key.key, Buffer.from(value, "base64")));
          outcomes.push(match === undefined ? { ...mismatch(header, "", "the body was changed, or the public key is not the sender's"), expected: null, timestampAgeSeconds: age } : windowOutcome(age, tolerance, true, { received: `v1a,${match}`, expected: `v1a,${match}` }));
        }
      }
    }
  }
  return result(recipe, best(outcomes));
}
