import { createHash, timingSafeEqual } from "node:crypto";

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

// Hashing first gives both sides the same length, so the comparison takes the same time whatever
// the presented token's length or how much of it is right.
const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * Whether a scrape may read /metrics: always when no METRICS_TOKEN is configured, otherwise only
 * with `Authorization: Bearer <METRICS_TOKEN>`.
 */
export function authorizeMetrics(authorization: string | null | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = authorization ? BEARER.exec(authorization)?.[1] : undefined;
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(token));
}
