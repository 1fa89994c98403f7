export interface MultipartPart {
  headers: [string, string][];
  /** From Content-Disposition, as sent. */
  name: string | null;
  filename: string | null;
  contentType: string | null;
  /** The part's exact bytes (a view into the body, not a copy). */
  body: Uint8Array;
}

/** The boundary parameter of a multipart Content-Type, quoted or not. */
export function multipartBoundary(contentType: string | null): string | null {
  if (!contentType || !/^\s*multipart\//i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  outer: for (let i = haystack.indexOf(first ?? 0, from); i !== -1 && i <= haystack.length - needle.length; i = haystack.indexOf(first ?? 0, i + 1)) {
    for (let j = 1; j < needle.length; j += 1) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function dispositionParam(disposition: string, param: string): string | null {
  const match = new RegExp(`;\\s*${param}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${param}=([^;\\s]+)`, "i").exec(disposition);
  const value = match?.[1] ?? match?.[2];
  return value === undefined ? null : value.replace(/\\(.)/g, "$1");
}

/**
 * Splits a multipart body into its parts, bytes untouched (RFC 2046: parts are delimited by
 * CRLF--boundary; the CRLF belongs to the delimiter). Returns null when the body does not parse.
 */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] | null {
  const encoder = new TextEncoder();
  const delimiter = encoder.encode(`--${boundary}`);
  const utf8 = new TextDecoder();
  let start = indexOf(body, delimiter, 0);
  if (start !== 0 && (start < 2 || body[start - 2] !== 13 || body[start - 1] !== 10)) start = -1;
  if (start === -1) return null;
  const parts: MultipartPart[] = [];
  const nextDelimiter = encoder.encode(`\r\n--${boundary}`);
  let cursor = start + delimiter.length;
  for (;;) {
    // "--" after the boundary closes the body.
    if (body[cursor] === 45 && body[cursor + 1] === 45) return parts;
    const lineEnd = indexOf(body, encoder.encode("\r\n"), cursor);
    if (lineEnd === -1) return null;
    const headerEnd = indexOf(body, encoder.encode("\r\n\r\n"), lineEnd);
    const headerBlockEnd = headerEnd === -1 ? -1 : headerEnd;
    // A part with no headers starts its body right after the boundary line's CRLF.
    const noHeaders = body[lineEnd + 2] === 13 && body[lineEnd + 3] === 10;
    const bodyStart = noHeaders ? lineEnd + 4 : headerBlockEnd + 4;
    if (!noHeaders && headerBlockEnd === -1) return null;
    const headerText = noHeaders ? "" : utf8.decode(body.subarray(lineEnd + 2, headerBlockEnd));
    const end = indexOf(body, nextDelimiter, bodyStart);
    if (end === -1) return null;
    const headers = headerText
      .split("\r\n")
      .filter((line) => line.includes(":"))
      .map((line): [string, string] => [line.slice(0, line.indexOf(":")).trim(), line.slice(line.indexOf(":") + 1).trim()]);
    const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
    const disposition = header("content-disposition") ?? "";
    parts.push({
      headers,
      name: dispositionParam(disposition, "name"),
      filename: dispositionParam(disposition, "filename"),
      contentType: header("content-type"),
      body: body.subarray(bodyStart, end),
    });
    cursor = end + nextDelimiter.length;
  }
}
