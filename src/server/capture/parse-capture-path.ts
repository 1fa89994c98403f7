export interface CaptureTarget {
  slug: string;
  /** Sub-path after the slug, as sent (percent-encoding kept), always starting with "/". */
  path: string;
  /** Raw query string without "?". */
  query: string;
}

const CAPTURE_PATH = /^\/b\/([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?/;

/** Splits a request target like `/b/my-bin/hooks/x?a=1&a=2` into slug, sub-path and raw query. */
export function parseCapturePath(target: string): CaptureTarget | null {
  const match = CAPTURE_PATH.exec(target);
  if (!match?.[1]) return null;
  return { slug: match[1], path: match[2] ?? "/", query: match[3] ?? "" };
}

/** Whether a request target belongs to the capture endpoint at all. */
export function isCapturePath(target: string): boolean {
  return target.startsWith("/b/");
}
