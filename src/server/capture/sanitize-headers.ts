import { isOwnAuthCookie } from "../auth/auth-cookies";

/**
 * Removes WebhookDump's own session cookies from captured `Cookie` headers. Capture URLs share the
 * app's origin, so a signed-in user lured into sending a request to somebody else's bin would
 * otherwise hand their session to the bin's owner. Every other cookie and header is kept as sent.
 */
export function stripOwnAuthCookies(headers: [string, string][]): [string, string][] {
  const result: [string, string][] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "cookie") {
      result.push([name, value]);
      continue;
    }
    const kept = value
      .split(";")
      .filter((pair) => pair.trim() !== "" && !isOwnAuthCookie(pair.split("=", 1)[0] ?? ""));
    if (kept.length === value.split(";").filter((pair) => pair.trim() !== "").length) {
      result.push([name, value]);
    } else if (kept.length > 0) {
      result.push([name, kept.map((pair) => pair.trim()).join("; ")]);
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
    const forwarded = headers.filter(([name]) => name.toLowerCase() === "x-forwarded-for");
    const last = forwarded.at(-1)?.[1].split(",").at(-1)?.trim();
    if (last) return last;
  }
  return socketAddress?.replace(/^::ffff:/, "") ?? null;
}

/** The Content-Length a sender declared, when it is a valid number. */
export function declaredLength(headers: [string, string][]): number | null {
  const value = headers.find(([name]) => name.toLowerCase() === "content-length")?.[1];
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}
