import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { best, headerValues, hmac, mismatch, missing, result, safeEqual, type TOutcome } from "../verify-helpers";

/** x-square-hmacsha256-signature = base64 HMAC-SHA256(signature key, notification URL + body). */
export function verifySquare(input: TVerifyInput, config: TSchemeConfig<"square">): TVerifyResult {
  const url = config.signedUrl ?? input.url;
  const recipe = `base64(HMAC-SHA256(signature key, "${url}" + body)) in x-square-hmacsha256-signature`;
  const values = headerValues(input, "x-square-hmacsha256-signature");
  if (values.length === 0) return result(recipe, missing("x-square-hmacsha256-signature"));
  const expected = hmac("sha256", config.secret, url, input.body).toString("base64");
  const outcomes = values.map((received): TOutcome =>
    safeEqual(received.trim(), expected)
      ? { reason: "ok", detail: "The signature matches the URL and the stored body.", received, expected }
      : mismatch(received, expected, "the notification URL registered at Square is not this one byte for byte (set signedUrl behind a proxy), the body changed, or the key is wrong"),
  );
  return result(recipe, best(outcomes));
}
