/**
 * Turns a stored capture into the exact request that replay, auto-forward and the CLI send on.
 * Pure (no node: imports): the browser shows the result before sending and the CLI bundles it.
 *
 * Fidelity first: same method, the raw header list in received order, case and duplicates, the
 * exact body bytes, the captured path and raw query appended byte for byte. Only what describes the
 * old connection is dropped (hop-by-hop headers) or recomputed (Content-Length, Host), and nothing
 * is added except what the caller asks for.
 */

export type PathMode = "append" | "exact";

/**
 * `"target"`: the target URL's host[:port] (default). `"original"`: the captured Host header (the
 * target's when the capture had none, as an HTTP/1.0 sender may). `{ value }`: exactly that value.
 * REST and CLI input (`"target" | "original" | <value>`) maps onto this with `parseHostMode`.
 */
export type HostMode = "target" | "original" | { value: string };

export interface StoredRequestForSend {
  method: string;
  /** Sub-path after /b/<slug>, as received (percent-encoding kept), always starting with "/". */
  path: string;
  /** Raw query as received, without "?". */
  query: string;
  /** In the order received, duplicates kept; values are the received bytes as Latin-1 strings. */
  headers: [string, string][];
  body: Uint8Array;
  truncated: boolean;
}

export interface OutgoingOptions {
  url: string;
  pathMode?: PathMode;
  host?: HostMode;
  /** Overrides: replace every same-name header (any case) at the position of the first, else append. */
  headers?: [string, string][];
  /** Header names (any case) to leave out. */
  removeHeaders?: string[];
  /** Replacement body; when given, the stored body (and whether it was truncated) no longer matters. */
  body?: Uint8Array;
  /** Send a capture whose body was cut at the capture limit anyway. */
  allowTruncated?: boolean;
}

export interface OutgoingRequest {
  method: string;
  /** The absolute http(s) URL requested; its path and query go on the wire exactly as written here. */
  url: string;
  /** The final header list in order, including Host and the recomputed Content-Length. */
  headers: [string, string][];
  body: Uint8Array;
}

export type OutgoingRequestErrorCode = "invalid_url" | "truncated" | "invalid_header";

export class OutgoingRequestError extends Error {
  readonly code: OutgoingRequestErrorCode;

  constructor(code: OutgoingRequestErrorCode, message: string) {
    super(message);
    this.name = "OutgoingRequestError";
    this.code = code;
  }
}

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1), besides Proxy-*. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"]);

/**
 * Methods whose requests carry no content unless they have some: for these an empty body is sent
 * without Content-Length (RFC 9110 §8.6), as clients do. Any other method (POST, PUT, PATCH, custom
 * ones) gets `Content-Length: 0`, or Node would frame the empty body as chunked.
 */
const BODYLESS_METHODS = new Set(["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"]);

// RFC 9110 token; the value rule is the one Node's http client enforces (no CR, LF, NUL or other
// controls, nothing above Latin-1, since header bytes are written as Latin-1).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
// host[:port] as a Host header may carry it: a reg-name or IPv4, or a bracketed IPv6 literal.
const HOST_VALUE = /^(?:[A-Za-z0-9\-._~%!$&'()*+,;=]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;
// What Node refuses in a request target (controls, space, anything above Latin-1). A capture never
// holds these (the HTTP parser rejects them), so escaping them changes nothing that was received.
const UNSENDABLE_TARGET_CHAR = /[\u0000-\u0020]|[^\u0000-\u00ff]+/g;

function isHopByHop(lowerName: string): boolean {
  return HOP_BY_HOP.has(lowerName) || lowerName.startsWith("proxy-");
}

/** Maps REST/CLI input (`"target" | "original" | <host value>`) onto a HostMode. */
export function parseHostMode(input: string | undefined): HostMode {
  if (input === undefined || input === "target") return "target";
  if (input === "original") return "original";
  return { value: input };
}

export function buildOutgoingRequest(stored: StoredRequestForSend, options: OutgoingOptions): OutgoingRequest {
  if (stored.truncated && options.body === undefined && !options.allowTruncated) {
    throw new OutgoingRequestError(
      "truncated",
      "the captured body was cut at the capture size limit; sending it would deliver a different request (pass allowTruncated to send it anyway)",
    );
  }
  checkToken(stored.method, "method");
  const target = parseTarget(options.url);
  const url = options.pathMode === "exact" ? exactUrl(target) : appendedUrl(target, stored.path, stored.query);
  const body = options.body ?? stored.body;
  const headers = buildHeaders(stored, options, target, body);
  return { method: stored.method, url, headers, body };
}

function parseTarget(raw: string): URL {
  let target: URL;
  try {
    target = new URL(raw);
  } catch {
    throw new OutgoingRequestError("invalid_url", `not an absolute URL: ${JSON.stringify(raw)}`);
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new OutgoingRequestError("invalid_url", `only http: and https: targets are supported, not ${target.protocol}`);
  }
  if (target.username !== "" || target.password !== "") {
    // Credentials in the URL would silently turn into an Authorization header in some clients
    // and vanish in others; asking for the header says what is sent.
    throw new OutgoingRequestError("invalid_url", "credentials in the URL are not sent; add an Authorization header instead");
  }
  if (target.hostname === "") throw new OutgoingRequestError("invalid_url", "the target URL has no host");
  return target;
}

function exactUrl(target: URL): string {
  return `${target.origin}${target.pathname}${target.search}`;
}

/**
 * The target's path joined to the captured sub-path with one slash, the target's own query first
 * and the captured raw query after it. The captured parts are never decoded or re-encoded (a
 * signature may cover them); only characters that cannot go on the wire at all are escaped.
 */
function appendedUrl(target: URL, path: string, query: string): string {
  if (!path.startsWith("/")) throw new OutgoingRequestError("invalid_url", `the captured path must start with "/": ${JSON.stringify(path)}`);
  const base = target.pathname.replace(/\/+$/, "");
  // "/" is what a capture at the bin URL itself stores: nothing to append.
  const joined = path === "/" ? target.pathname : `${base}${path}`;
  const ownQuery = target.search.slice(1);
  const rawQuery = escapeUnsendable(query);
  const separator = ownQuery !== "" && rawQuery !== "" && !ownQuery.endsWith("&") ? "&" : "";
  const fullQuery = `${ownQuery}${separator}${rawQuery}`;
  return `${target.origin}${escapeUnsendable(joined)}${fullQuery === "" ? "" : `?${fullQuery}`}`;
}

function escapeUnsendable(text: string): string {
  return text.replace(UNSENDABLE_TARGET_CHAR, (chars) =>
    Array.from(new TextEncoder().encode(chars), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

function buildHeaders(
  stored: StoredRequestForSend,
  options: OutgoingOptions,
  target: URL,
  body: Uint8Array,
): [string, string][] {
  const overrides = options.headers ?? [];
  for (const [name, value] of overrides) {
    checkHeader(name, value);
    const lower = name.toLowerCase();
    if (lower === "host") throw new OutgoingRequestError("invalid_header", "set Host with the host option, not as a header override");
    if (lower === "content-length") throw new OutgoingRequestError("invalid_header", "Content-Length is computed from the body and cannot be overridden");
    if (isHopByHop(lower)) throw new OutgoingRequestError("invalid_header", `${name} is a hop-by-hop header and cannot be sent on`);
  }
  const removed = new Set((options.removeHeaders ?? []).map((name) => name.toLowerCase()));
  if (removed.has("host")) throw new OutgoingRequestError("invalid_header", "Host cannot be removed: every HTTP/1.1 request carries one");

  // Connection names further headers that were meant for that one hop only.
  const connectionListed = new Set<string>();
  for (const [name, value] of stored.headers) {
    if (name.toLowerCase() !== "connection") continue;
    for (const token of value.split(",")) {
      const trimmed = token.trim().toLowerCase();
      if (trimmed !== "") connectionListed.add(trimmed);
    }
  }

  const overridden = new Map<string, [string, string][]>();
  for (const pair of overrides) {
    const lower = pair[0].toLowerCase();
    overridden.set(lower, [...(overridden.get(lower) ?? []), [pair[0], pair[1]]]);
  }

  type Slot = [string, string] | "host" | "content-length";
  const slots: Slot[] = [];
  let originalHost: string | undefined;
  let hostName = "Host";
  let lengthName = "Content-Length";
  const placedOverrides = new Set<string>();
  for (const [name, value] of stored.headers) {
    const lower = name.toLowerCase();
    if (lower === "host") {
      if (originalHost === undefined) {
        originalHost = value;
        hostName = name;
        slots.push("host");
      }
      continue;
    }
    if (lower === "content-length" || lower === "transfer-encoding") {
      // The recomputed length takes the place where the sender framed its body.
      if (!slots.includes("content-length")) slots.push("content-length");
      if (lower === "content-length") lengthName = name;
      continue;
    }
    if (isHopByHop(lower)) continue;
    // An override takes the place of the first header it replaces, even one dropped or removed.
    const replacement = overridden.get(lower);
    if (replacement) {
      if (!placedOverrides.has(lower)) slots.push(...replacement);
      placedOverrides.add(lower);
      continue;
    }
    if (connectionListed.has(lower) || removed.has(lower)) continue;
    checkHeader(name, value);
    slots.push([name, value]);
  }
  for (const [lower, replacement] of overridden) if (!placedOverrides.has(lower)) slots.push(...replacement);
  if (!slots.includes("host")) slots.unshift("host");

  const hostValue = chooseHost(options.host ?? "target", target, originalHost);
  checkHeader(hostName, hostValue);
  const method = stored.method.toUpperCase();
  const framedBefore = stored.headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name));
  const sendLength = body.length > 0 || !BODYLESS_METHODS.has(method) || framedBefore;

  const headers: [string, string][] = [];
  for (const slot of slots) {
    if (slot === "host") headers.push([hostName, hostValue]);
    else if (slot === "content-length") {
      if (sendLength) headers.push([lengthName, String(body.length)]);
    } else headers.push(slot);
  }
  if (sendLength && !slots.includes("content-length")) headers.push([lengthName, String(body.length)]);
  return headers;
}

function chooseHost(mode: HostMode, target: URL, originalHost: string | undefined): string {
  if (mode === "target") return target.host;
  if (mode === "original") return originalHost ?? target.host;
  if (!HOST_VALUE.test(mode.value)) {
    throw new OutgoingRequestError("invalid_header", `not a valid Host value (host[:port]): ${JSON.stringify(mode.value)}`);
  }
  return mode.value;
}

function checkToken(text: string, what: string): void {
  if (!TOKEN.test(text)) throw new OutgoingRequestError("invalid_header", `not a valid ${what}: ${JSON.stringify(text)}`);
}

function checkHeader(name: string, value: string): void {
  checkToken(name, "header name");
  if (INVALID_VALUE_CHAR.test(value)) {
    throw new OutgoingRequestError(
      "invalid_header",
      `the value of ${name} contains a control character (CR, LF, NUL…) or a character outside Latin-1`,
    );
  }
}
