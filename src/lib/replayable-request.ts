/** What the "copy as" generators need to reproduce a captured request elsewhere. */
export interface ReplayableRequest {
  method: string;
  /** Absolute URL: capture URL + sub-path + raw query, exactly as captured. */
  url: string;
  /** In the order received, duplicates kept. */
  headers: [string, string][];
  body: Uint8Array;
  /** Name the body is saved under when it has to travel as a file (binary or large). */
  bodyFileName: string;
}

/**
 * Headers the client sets itself from the connection and the body: copying them would conflict
 * with what curl or fetch computes (a stale Content-Length hangs or truncates the request).
 */
const TRANSPORT_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "upgrade",
  "expect",
]);

export function replayableHeaders(headers: [string, string][]): [string, string][] {
  return headers.filter(([name]) => !TRANSPORT_HEADERS.has(name.toLowerCase()));
}

/** Inline bodies larger than this make commands nobody can paste; they travel as a file instead. */
export const INLINE_BODY_LIMIT = 64 * 1024;

// NUL cannot appear in a command-line argument, and other control bytes are unreadable there.
const UNSAFE_INLINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The body as text when it can be written inline in a command, else null (use a file). */
export function inlineBodyText(body: Uint8Array): string | null {
  if (body.length > INLINE_BODY_LIMIT) return null;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return null;
  }
  return UNSAFE_INLINE.test(text) ? null : text;
}

export function hasHeader(headers: [string, string][], name: string): boolean {
  return headers.some(([n]) => n.toLowerCase() === name);
}

/** A stored request as the generators take it, its URL rebuilt on `captureBase` (…/b/<slug>). */
export function toReplayable(
  record: { method: string; path: string; query: string; headers: [string, string][]; seq: number },
  body: Uint8Array,
  captureBase: string,
): ReplayableRequest {
  return {
    method: record.method,
    url: `${captureBase}${record.path === "/" ? "" : record.path}${record.query ? `?${record.query}` : ""}`,
    headers: record.headers,
    body,
    bodyFileName: `request-${record.seq}.bin`,
  };
}
