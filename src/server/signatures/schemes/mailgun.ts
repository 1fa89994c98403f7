import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { ageSeconds, hmac, mismatch, parseUnixSeconds, result, safeEqual, windowOutcome, type TOutcome } from "../verify-helpers";

interface TMailgunSignature { timestamp: string; token: string; signature: string }

/** JSON webhooks nest {timestamp, token, signature} under "signature"; route posts send form fields. */
function readSignature(input: TVerifyInput): TMailgunSignature | null {
  const text = Buffer.from(input.body).toString("utf8");
  try {
    const parsed: unknown = JSON.parse(text);
    const signature = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>).signature : undefined;
    if (typeof signature === "object" && signature !== null) {
      const { timestamp, token, signature: value } = signature as Record<string, unknown>;
      return { timestamp: String(timestamp ?? ""), token: String(token ?? ""), signature: String(value ?? "") };
    }
    return null;
  } catch {
    const form = new URLSearchParams(text);
    const signature = form.get("signature");
    return signature === null ? null : { timestamp: form.get("timestamp") ?? "", token: form.get("token") ?? "", signature };
  }
}

/**
 * hex HMAC-SHA256(signing key, timestamp + token). The event itself is not signed: a valid
 * verdict authenticates the sender, not the content. No window unless the bin sets one.
 */
export function verifyMailgun(input: TVerifyInput, config: TSchemeConfig<"mailgun">): TVerifyResult {
  const found = readSignature(input);
  const recipe = found
    ? `hex(HMAC-SHA256(webhook signing key, "${found.timestamp}" + "${found.token}")) in the body's signature.signature (the event data is not signed)`
    : "hex(HMAC-SHA256(webhook signing key, timestamp + token)) in the body's signature.signature (the event data is not signed)";
  if (found === null) return result(recipe, { reason: "missing_signature_header", detail: "The body has no signature object (JSON) or signature field (form)." });
  const t = parseUnixSeconds(found.timestamp);
  if (t === null || found.token === "") return result(recipe, { reason: "malformed_signature_header", detail: "The body's signature lacks a Unix timestamp or a token.", received: found.signature });
  const expected = hmac("sha256", config.secret, found.timestamp + found.token).toString("hex");
  const outcome: TOutcome = safeEqual(found.signature, expected)
    ? windowOutcome(ageSeconds(input, t), config.toleranceSeconds, false, { received: found.signature, expected })
    : { ...mismatch(found.signature, expected, "the signing key is not this domain's (subaccounts: parent-signature uses the primary key)"), timestampAgeSeconds: ageSeconds(input, t) };
  if (outcome.reason === "ok") outcome.detail = "The signature matches the timestamp and token; it authenticates the sender, not the event data.";
  return result(recipe, outcome);
}
