import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { best, headerValues, hmac, mismatch, missing, result, safeEqual, type TOutcome } from "../verify-helpers";

/** X-Shopify-Hmac-Sha256 (Events deliveries: shopify-hmac-sha256) = base64 HMAC-SHA256 of the body. */
export function verifyShopify(input: TVerifyInput, config: TSchemeConfig<"shopify">): TVerifyResult {
  const recipe = "base64(HMAC-SHA256(client secret, body)) in X-Shopify-Hmac-Sha256";
  const values = [...headerValues(input, "x-shopify-hmac-sha256"), ...headerValues(input, "shopify-hmac-sha256")];
  if (values.length === 0) return result(recipe, missing("X-Shopify-Hmac-Sha256"));
  const expected = hmac("sha256", config.secret, input.body).toString("base64");
  const outcomes = values.map((received): TOutcome =>
    safeEqual(received.trim(), expected)
      ? { reason: "ok", detail: "The signature matches the stored body.", received, expected }
      : mismatch(received, expected, "the body was changed, or the secret is not the app's client secret (webhooks made in the store admin use the key shown there)"),
  );
  return result(recipe, best(outcomes));
}
