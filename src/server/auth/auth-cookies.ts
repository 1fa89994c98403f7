/** Prefix of every cookie better-auth sets for WebhookDump (see create-auth.ts). */
export const AUTH_COOKIE_PREFIX = "webhookdump";

const OWN_COOKIE = new RegExp(`^(__Secure-|__Host-)?${AUTH_COOKIE_PREFIX}\\.`);

/** True for the names of WebhookDump's own authentication cookies. */
export function isOwnAuthCookie(name: string): boolean {
  return OWN_COOKIE.test(name.trim());
}
