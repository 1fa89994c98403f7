import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { best, headerValues, hmac, mismatch, missing, result, safeEqual, windowOutcome, type TOutcome } from "../verify-helpers";

/** webhookTimestamp (Unix ms) inside the signed JSON body; read only after the MAC matched. */
function bodyTimestampMs(body: Uint8Array): number | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body).toString("utf8"));
    const value = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>).webhookTimestamp : undefined;
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

/** Linear-Signature = hex HMAC-SHA256 of the body; 60 s window both ways on the body's timestamp. */
export function verifyLinear(input: TVerifyInput, config: TSchemeConfig<"linear">): TVerifyResult {
  const tolerance = config.toleranceSeconds ?? 60;
  const recipe = "hex(HMAC-SHA256(signing secret, body)) in Linear-Signature; webhookTimestamp (ms) in the body is the replay guard";
  const values = headerValues(input, "linear-signature");
  if (values.length === 0) return result(recipe, missing("Linear-Signature"));
  const expected = hmac("sha256", config.secret, input.body).toString("hex");
  const outcomes = values.map((received): TOutcome => {
    if (!safeEqual(received.trim(), expected)) return mismatch(received, expected);
    const ms = bodyTimestampMs(input.body);
    if (ms === null) return { reason: "ok", detail: "The signature matches the stored body (the body has no webhookTimestamp to check).", received, expected };
    return windowOutcome(Math.round((input.receivedAt.getTime() - ms) / 1000), tolerance, true, { received, expected });
  });
  return result(recipe, best(outcomes));
}
