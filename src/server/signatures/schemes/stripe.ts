import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { ageSeconds, best, headerValues, hmac, mismatch, missing, parseUnixSeconds, result, safeEqual, windowOutcome, type TOutcome } from "../verify-helpers";

/** Stripe-Signature: t=<unix s>,v1=<hex>[,v1=…]; the whole whsec_… string is the key, as text. */
export function verifyStripe(input: TVerifyInput, config: TSchemeConfig<"stripe">): TVerifyResult {
  const tolerance = config.toleranceSeconds ?? 300;
  const values = headerValues(input, "stripe-signature");
  let recipe = `hex(HMAC-SHA256(whsec_… secret as text, t + "." + body)) in Stripe-Signature v1=`;
  if (values.length === 0) return result(recipe, missing("Stripe-Signature"));
  const outcomes = values.map((received): TOutcome => {
    const items = received.split(",").map((item) => item.trim().split("="));
    const t = parseUnixSeconds(items.find(([key]) => key === "t")?.[1] ?? "");
    const v1 = items.filter(([key]) => key === "v1").map(([, value]) => value ?? "");
    if (t === null) return { reason: "malformed_signature_header", detail: "Stripe-Signature has no t=<unix seconds> timestamp.", received };
    if (v1.length === 0) return { reason: "no_supported_signature", detail: "Stripe-Signature carries no v1 signature (v0 is a test-mode leftover).", received };
    recipe = `hex(HMAC-SHA256(whsec_… secret as text, "${t}" + "." + body)) in Stripe-Signature v1=`;
    const expected = hmac("sha256", config.secret, `${t}.`, input.body).toString("hex");
    const match = v1.find((candidate) => safeEqual(candidate, expected));
    if (match === undefined) return { ...mismatch(v1.join(", "), expected, "the body was changed on the way, or the secret is not this endpoint's (the Stripe CLI's whsec_ differs from the dashboard's)"), timestampAgeSeconds: ageSeconds(input, t) };
    return windowOutcome(ageSeconds(input, t), tolerance, false, { received: match, expected });
  });
  return result(recipe, best(outcomes));
}
