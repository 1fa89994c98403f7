import { createHash } from "node:crypto";
import type { TSchemeConfig } from "../signature-config-schema";
import type { TVerifyInput, TVerifyResult } from "../signature-types";
import { best, headerValues, hmac, mismatch, missing, result, safeEqual, type TOutcome } from "../verify-helpers";

/** Twilio may have called the URL with or without its default port; both forms are tried, as twilio-node does. */
function portVariants(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]+)(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme, host, rest] = match as unknown as [string, string, string, string];
  const defaultPort = scheme.toLowerCase() === "https" ? "443" : "80";
  const bare = host.replace(/:\d+$/, "");
  const withPort = /:\d+$/.test(host) ? host : `${host}:${defaultPort}`;
  return [...new Set([`${scheme}://${bare}${rest}`, `${scheme}://${withPort}${rest}`])];
}

/** Form parameters sorted by name, each name followed by its decoded value(s), de-duplicated and sorted. */
function formData(input: TVerifyInput): string {
  const contentType = headerValues(input, "content-type")[0] ?? "";
  if (!/^application\/x-www-form-urlencoded/i.test(contentType.trim())) return "";
  const params = new Map<string, Set<string>>();
  for (const [name, value] of new URLSearchParams(Buffer.from(input.body).toString("utf8"))) {
    params.set(name, (params.get(name) ?? new Set()).add(value));
  }
  return [...params.keys()]
    .sort()
    .map((name) => [...(params.get(name) ?? [])].sort().map((value) => name + value).join(""))
    .join("");
}

/**
 * X-Twilio-Signature = base64 HMAC-SHA1(auth token, URL + sorted form params). JSON bodies are
 * signed through the URL's bodySHA256 query parameter instead, which must equal the body's SHA-256.
 */
export function verifyTwilio(input: TVerifyInput, config: TSchemeConfig<"twilio">): TVerifyResult {
  const url = config.signedUrl ?? input.url;
  const bodyHash = new URL(url).searchParams.get("bodySHA256");
  const settings = headerValues(input, "x-twilio-webhooks-signature-settings").join(",");
  const algorithm = /algorithm=HMAC_SHA256/i.test(settings) ? "sha256" : "sha1";
  const params = bodyHash === null ? formData(input) : "";
  const recipe = `base64(HMAC-${algorithm.toUpperCase()}(auth token, "${url}"${bodyHash === null ? " + each form parameter sorted by name as name + value" : " (bodySHA256 must equal hex SHA-256 of the body)"})) in X-Twilio-Signature`;
  const values = headerValues(input, "x-twilio-signature");
  if (values.length === 0) return result(recipe, missing("X-Twilio-Signature"));
  const candidates = portVariants(url).map((variant) => hmac(algorithm, config.secret, variant + params).toString("base64"));
  const expected = candidates[0] ?? "";
  const outcomes = values.map((received): TOutcome => {
    const match = candidates.find((candidate) => safeEqual(received.trim(), candidate));
    if (match === undefined) return mismatch(received, expected, "the URL Twilio called is not this one (behind a proxy set signedUrl to the public URL), a parameter changed, or the auth token is wrong");
    if (bodyHash !== null) {
      const actual = createHash("sha256").update(input.body).digest("hex");
      if (!safeEqual(bodyHash, actual)) return { reason: "body_hash_mismatch", detail: "The URL's signature is correct but the body's SHA-256 is not the bodySHA256 in the URL: the body changed on the way.", received, expected: match };
    }
    return { reason: "ok", detail: "The signature matches the URL and the stored parameters.", received, expected: match };
  });
  return result(recipe, best(outcomes));
}
