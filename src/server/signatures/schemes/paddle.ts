import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { ageSeconds, best, headerValues, hmac, mismatch, missing, parseUnixSeconds, result, safeEqual, windowOutcome, type TOutcome } from "../verify-helpers";

/** Paddle-Signature: ts=<unix s>;h1=<hex>[;h1=…]; 5 s window (the SDK's), only "too old". */
export function verifyPaddle(input: TVerifyInput, config: TSchemeConfig<"paddle">): TVerifyResult {
  const tolerance = config.toleranceSeconds ?? 5;
  const values = headerValues(input, "paddle-signature");
  let recipe = `hex(HMAC-SHA256(pdl_ntfset_… secret as text, ts + ":" + body)) in Paddle-Signature h1=`;
  if (values.length === 0) return result(recipe, missing("Paddle-Signature"));
  const outcomes = values.map((received): TOutcome => {
    const items = received.split(";").map((item) => item.trim().split("="));
    const t = parseUnixSeconds(items.find(([key]) => key === "ts")?.[1] ?? "");
    const h1 = items.filter(([key]) => key === "h1").map(([, value]) => value ?? "");
    if (t === null) return { reason: "malformed_signature_header", detail: "Paddle-Signature has no ts=<unix seconds>.", received };
    if (h1.length === 0) return { reason: "no_supported_signature", detail: "Paddle-Signature carries no h1 signature.", received };
    recipe = `hex(HMAC-SHA256(pdl_ntfset_… secret as text, "${t}" + ":" + body)) in Paddle-Signature h1=`;
    const expected = hmac("sha256", config.secret, `${t}:`, input.body).toString("hex");
    const match = h1.find((candidate) => safeEqual(candidate, expected));
    if (match === undefined) return { ...mismatch(h1.join(", "), expected), timestampAgeSeconds: ageSeconds(input, t) };
    return windowOutcome(ageSeconds(input, t), tolerance, false, { received: match, expected });
  });
  return result(recipe, best(outcomes));
}
