import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { best, headerValues, hmac, mismatch, missing, result, safeEqual, type TOutcome } from "../verify-helpers";

/** The owner's own scheme: prefix + hex|base64 HMAC of the raw body bytes, in a header they name. */
export function verifyHmac(input: TVerifyInput, config: TSchemeConfig<"hmac">): TVerifyResult {
  const { header, algorithm, encoding, prefix } = config;
  const recipe = `${prefix ? `"${prefix}" + ` : ""}${encoding}(HMAC-${algorithm.toUpperCase()}(secret, body)) in ${header}`;
  const values = headerValues(input, header);
  if (values.length === 0) return result(recipe, missing(header));
  const expected = prefix + hmac(algorithm, config.secret, input.body).toString(encoding);
  const outcomes = values.map((received): TOutcome => {
    if (!received.startsWith(prefix)) return { reason: "malformed_signature_header", detail: `${header} should start with "${prefix}".`, received };
    return safeEqual(received.trim(), expected) ? { reason: "ok", detail: "The signature matches the stored body.", received, expected } : mismatch(received, expected);
  });
  return result(recipe, best(outcomes));
}
