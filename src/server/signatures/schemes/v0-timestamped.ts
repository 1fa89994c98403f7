import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { ageSeconds, best, headerValues, hmac, mismatch, missing, parseUnixSeconds, result, safeEqual, windowOutcome, type TOutcome } from "../verify-helpers";

/**
 * Slack's construction, which Zoom copies with other header names: "v0=" + hex HMAC-SHA256 of
 * "v0:" + timestamp + ":" + body. Only stale timestamps are rejected, as Bolt does.
 */
export function verifyV0Timestamped(
  input: TVerifyInput,
  secret: string,
  toleranceSeconds: number,
  headers: { signature: string; timestamp: string; secretName: string },
): TVerifyResult {
  const signatures = headerValues(input, headers.signature);
  const timestamps = headerValues(input, headers.timestamp);
  let recipe = `"v0=" + hex(HMAC-SHA256(${headers.secretName}, "v0:" + timestamp + ":" + body)) in ${headers.signature}`;
  if (signatures.length === 0) return result(recipe, missing(headers.signature));
  if (timestamps.length === 0) return result(recipe, missing(headers.timestamp));
  const outcomes: TOutcome[] = [];
  for (const timestampText of timestamps) {
    const t = parseUnixSeconds(timestampText);
    if (t === null) {
      outcomes.push({ reason: "malformed_signature_header", detail: `${headers.timestamp} is not Unix seconds.`, received: timestampText });
      continue;
    }
    recipe = recipe.replace('timestamp + ":"', `"${t}" + ":"`);
    const expected = "v0=" + hmac("sha256", secret, `v0:${t}:`, input.body).toString("hex");
    for (const received of signatures) {
      if (!/^v\d+=/.test(received)) outcomes.push({ reason: "malformed_signature_header", detail: `${headers.signature} should look like v0=<hex>.`, received });
      else if (!received.startsWith("v0=")) outcomes.push({ reason: "no_supported_signature", detail: `${headers.signature} carries a version other than v0.`, received });
      else if (!safeEqual(received, expected)) outcomes.push({ ...mismatch(received, expected), timestampAgeSeconds: ageSeconds(input, t) });
      else outcomes.push(windowOutcome(ageSeconds(input, t), toleranceSeconds, false, { received, expected }));
    }
  }
  return result(recipe, best(outcomes));
}
