import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { best, headerValues, hmac, mismatch, missing, result, safeEqual, type TOutcome } from "../verify-helpers";

/** X-Hub-Signature-256 decides when present; the legacy SHA-1 header only when it is alone. */
export function verifyGithub(input: TVerifyInput, config: TSchemeConfig<"github">): TVerifyResult {
  const sha256 = headerValues(input, "x-hub-signature-256");
  const legacy = sha256.length === 0;
  const values = legacy ? headerValues(input, "x-hub-signature") : sha256;
  const [algorithm, prefix, header] = legacy ? (["sha1", "sha1=", "X-Hub-Signature"] as const) : (["sha256", "sha256=", "X-Hub-Signature-256"] as const);
  const recipe = `${prefix} + hex(HMAC-${algorithm.toUpperCase()}(secret, body)) in ${header}${legacy ? " (legacy SHA-1)" : ""}`;
  if (values.length === 0) return result(recipe, missing("X-Hub-Signature-256 (or legacy X-Hub-Signature)"));
  const expected = prefix + hmac(algorithm, config.secret, input.body).toString("hex");
  const outcomes = values.map((received): TOutcome => {
    if (!received.startsWith(prefix)) return { reason: "malformed_signature_header", detail: `${header} should start with "${prefix}".`, received };
    if (!safeEqual(received, expected)) return mismatch(received, expected);
    return { reason: "ok", detail: `The ${legacy ? "legacy SHA-1 " : ""}signature matches the stored body.`, received, expected };
  });
  return result(recipe, best(outcomes));
}
