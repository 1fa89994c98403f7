/**
 * Where a browser request came from, judged the way Rails and Django do: the Origin header, else
 * Sec-Fetch-Site, else the Referer. One module for every door that honours the session cookie
 * (REST, tRPC over HTTP, the WebSocket upgrade, better-auth's trusted origins), so they cannot
 * drift apart.
 */

export interface OwnOriginOptions {
  /** The pinned public URL (APP_URL); when set, it alone is our origin. */
  appUrl?: string | undefined;
  /** Whether X-Forwarded-Host names the host the client used (TRUST_PROXY). */
  trustProxy: boolean;
}

/** "none": no Origin, Sec-Fetch-Site or Referer at all, so not a browser (curl, scripts, the CLI). */
export type RequestSource = "same-origin" | "cross-site" | "none";

/** The host the client used: X-Forwarded-Host behind a trusted proxy, else the Host header. */
export function requestHost(headers: Headers, trustProxy: boolean): string | null {
  const forwarded = trustProxy ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return (forwarded || headers.get("host") || null)?.toLowerCase() ?? null;
}

function parseOrigin(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/**
 * Whether `candidate` (an Origin or a Referer) is ours. With APP_URL the whole origin must match
 * (scheme included); without it the host the request was sent to is the reference, and only the
 * host is compared: behind a TLS-terminating proxy without TRUST_PROXY we cannot know the scheme
 * the browser saw, and refusing our own page would break the app for no gain.
 */
function isOwn(candidate: string, headers: Headers, options: OwnOriginOptions): boolean {
  const url = parseOrigin(candidate);
  if (!url) return false;
  if (options.appUrl) return url.origin === new URL(options.appUrl).origin;
  const host = requestHost(headers, options.trustProxy);
  return host !== null && url.host.toLowerCase() === host;
}

export function requestSource(headers: Headers, options: OwnOriginOptions): RequestSource {
  const origin = headers.get("origin");
  // "null" (sandboxed frames, data: URLs, some redirects) is present and is not us.
  if (origin !== null) return isOwn(origin, headers, options) ? "same-origin" : "cross-site";
  const site = headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" || site === "none" ? "same-origin" : "cross-site";
  const referer = headers.get("referer");
  if (referer !== null) return isOwn(referer, headers, options) ? "same-origin" : "cross-site";
  return "none";
}

/** The origin better-auth should trust for this request (our own, by the rules above). */
export function ownOrigin(headers: Headers, fallbackUrl: string, options: OwnOriginOptions): string {
  if (options.appUrl) return new URL(options.appUrl).origin;
  const url = new URL(fallbackUrl);
  const forwardedProto = options.trustProxy ? headers.get("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
  const protocol = forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : url.protocol.replace(":", "");
  return `${protocol}://${requestHost(headers, options.trustProxy) ?? url.host}`;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function hasBearerToken(headers: Headers): boolean {
  return /^Bearer\s+\S+/i.test(headers.get("authorization") ?? "");
}

/**
 * Whether to refuse a request as cross-site: it changes something (unsafe method), it would be
 * authenticated by the browser's cookie (a cookie and no Bearer token: a token wins, see
 * resolvePrincipal) and a browser says it came from elsewhere.
 */
export function isCrossSiteWrite(method: string, headers: Headers, options: OwnOriginOptions): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (!headers.has("cookie") || hasBearerToken(headers)) return false;
  return requestSource(headers, options) === "cross-site";
}

export const CROSS_SITE_MESSAGE =
  "Cross-site request refused: a request made with the session cookie must come from this app's own pages.";

/** The refusal every HTTP door answers with. */
export function crossSiteResponse(): Response {
  return Response.json({ error: { code: "CROSS_SITE", message: CROSS_SITE_MESSAGE } }, { status: 403 });
}

/** True when the Content-Type is JSON (`application/json`, any parameters). */
export function isJsonContentType(headers: Headers): boolean {
  const type = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  return type === "application/json";
}

export function unsupportedMediaTypeResponse(): Response {
  return Response.json(
    { error: { code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as JSON with Content-Type: application/json." } },
    { status: 415 },
  );
}
