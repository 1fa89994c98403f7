import { isOwnAuthCookie } from "../auth/auth-cookies";

/**
 * Whether a header name is `lowerName`, ignoring case. Names are compared by length first: every
 * capture checks each of its headers several times, and most fail there without a lowercased copy.
 */
export function isHeader(name: string, lowerName: string): boolean {
  return name.length === lowerName.length && name.toLowerCase() === lowerName;
}

/**
 * Removes WebhookDump's own session cookies from captured `Cookie` headers. Capture URLs share the
 * app's origin, so a signed-in user lured into sending a request to somebody else's bin would
 * otherwise hand their session to the bin's owner. Every other cookie and header is kept as sent.
 */
export function stripOwnAuthCookies(headers: [string, string][]): [string, string][] {
  if (!headers.some(([name]) => isHeader(name, "cookie"))) return headers;
  const result: [string, string][] = [];
  for (const pair of headers) {
    const [name, value] = pair;
    if (!isHeader(name, "cookie")) {
      result.push(pair);
      continue;
    }
    const kept = value
      .split(";")
      .filter((part) => part.trim() !== "" && !isOwnAuthCookie(part.split("=", 1)[0] ?? ""));
    if (kept.length === value.split(";").filter((part) => part.trim() !== "").length) {
      result.push(pair);
    } else if (kept.length > 0) {
      result.push([name, kept.map((part) => part.trim()).join("; ")]);
    }
  }
  return result;
}

/** Pairs Node's flat `rawHeaders` list: order, case and duplicates as they came off the wire. */
export function pairRawHeaders(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i] as string, raw[i + 1] as string]);
  return pairs;
}

/**
 * The client's address: the socket peer, or with a trusted reverse proxy the address that proxy
 * appended last to X-Forwarded-For (earlier entries are whatever the client claimed).
 */
export function clientIp(
  socketAddress: string | null,
  headers: [string, string][],
  trustProxy: boolean,
): string | null {
  if (trustProxy) {
    const forwarded = headers.filter(([name]) => isHeader(name, "x-forwarded-for"));
    const last = forwarded.at(-1)?.[1].split(",").at(-1)?.trim();
    if (last) return last;
  }
  return socketAddress?.replace(/^::ffff:/, "") ?? null;
}

/** The Content-Length a sender declared, when it is a valid number. */
export function declaredLength(headers: [string, string][]): number | null {
  const value = headers.find(([name]) => isHeader(name, "content-length"))?.[1];
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}
