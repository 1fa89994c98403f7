/** Request header the proxy sets to the page's path and query, for the sign-in redirect. */
export const PAGE_PATH_HEADER = "x-webhookdump-page";

const DEFAULT = "/bins";
const ORIGIN = "http://same-origin.invalid";

/**
 * Where to go after signing in, from an untrusted `next` parameter: a path on this site, or
 * "/bins". Anything that could leave the origin is refused, not repaired: absolute URLs,
 * protocol-relative "//host", backslashes (browsers read "/\host" as "//host"), control
 * characters, and the auth pages themselves (a loop).
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 2048 || !next.startsWith("/") || next.startsWith("//")) return DEFAULT;
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return DEFAULT;
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return DEFAULT;
  }
  if (url.origin !== ORIGIN) return DEFAULT;
  if (/^\/(sign-in|sign-up|api)(\/|$)/.test(url.pathname)) return DEFAULT;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page's address that brings a visitor back to `path` afterwards. */
export function signInPathFor(path: string | null | undefined): string {
  const next = safeNextPath(path);
  return next === DEFAULT ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`;
}
