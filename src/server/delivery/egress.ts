import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupAddress } from "node:dns";
import type { LookupFunction, Socket } from "node:net";
import type { OutgoingRequest } from "~/lib/outgoing-request";
import type { TEnv } from "../env";
import { isBlockedAddress, parseIpAddress, type EgressPolicy } from "./blocked-addresses";

/**
 * The one way the server opens connections to user-given URLs (replay, auto-forward). Addresses are
 * checked when the name resolves and the socket connects to exactly a checked address, so DNS
 * rebinding has no window; IP-literal hosts are checked before anything is opened. Redirects are
 * recorded, never followed. Every network outcome is a result, never a throw.
 */

export type { EgressPolicy } from "./blocked-addresses";
export { isBlockedAddress } from "./blocked-addresses";

export type SendErrorCode =
  | "timeout"
  | "connection_refused"
  | "dns"
  | "tls"
  | "blocked_address"
  | "redirect"
  | "too_large"
  | "network";

export interface SendOptions {
  /** null: no address checks (the CLI, sending to the user's own machine). */
  policy: EgressPolicy | null;
  /** Name resolution plus TCP connect; default 5 s. */
  connectTimeoutMs?: number;
  /** Whole exchange up to the last response byte; default 30 s, at most 60 s. */
  totalTimeoutMs?: number;
  /** Response body bytes kept; the rest is not read. Default 1 MiB. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
  /** Skip TLS certificate verification (the CLI's --insecure only). */
  insecure?: boolean;
  /** Name resolution, all addresses of a host; dns.lookup by default. Tests pass their own. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export interface SendResult {
  url: string;
  /** The address connected to, or the one refused; null when none was reached. */
  ip: string | null;
  startedAt: Date;
  durationMs: number;
  status: number | null;
  /** The response's raw headers in order, case and duplicates kept. */
  headers: [string, string][];
  /** The first maxResponseBytes of the response body. */
  body: Uint8Array;
  bodyTruncated: boolean;
  error: null | { code: SendErrorCode; message: string };
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_TOTAL_TIMEOUT_MS = 30_000;
export const MAX_TOTAL_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** The policy the server enforces, from FORWARD_ALLOWED_NETWORKS. */
export function egressPolicyFromEnv(env: Pick<TEnv, "FORWARD_ALLOWED_NETWORKS">): EgressPolicy {
  return { allowedNetworks: [...env.FORWARD_ALLOWED_NETWORKS] };
}

/** Raised inside the lookup so the socket never connects; carries what the result records. */
class BlockedAddressError extends Error {
  readonly code = "EBLOCKED";
  constructor(
    readonly address: string,
    readonly range: string,
  ) {
    super(`${address} is in a blocked range (${range}); FORWARD_ALLOWED_NETWORKS can open it`);
  }
}

const defaultResolve = (hostname: string) => dns.promises.lookup(hostname, { all: true, verbatim: true });

function checkOptions(options: SendOptions): { connectTimeoutMs: number; totalTimeoutMs: number; maxResponseBytes: number } {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const totalTimeoutMs = options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isInteger(connectTimeoutMs) || connectTimeoutMs < 1 || connectTimeoutMs > MAX_TOTAL_TIMEOUT_MS) {
    throw new RangeError(`connectTimeoutMs must be an integer from 1 to ${MAX_TOTAL_TIMEOUT_MS}`);
  }
  if (!Number.isInteger(totalTimeoutMs) || totalTimeoutMs < 1 || totalTimeoutMs > MAX_TOTAL_TIMEOUT_MS) {
    throw new RangeError(`totalTimeoutMs must be an integer from 1 to ${MAX_TOTAL_TIMEOUT_MS}`);
  }
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 0) {
    throw new RangeError("maxResponseBytes must be a non-negative integer");
  }
  return { connectTimeoutMs, totalTimeoutMs, maxResponseBytes };
}

/**
 * The request target exactly as the URL string spells it. Parsing and re-serialising the URL would
 * re-encode the captured query (WHATWG escapes `'` in queries), breaking signatures over it.
 */
function requestTarget(url: string): string | null {
  const authority = /^https?:\/\/[^/?#]*/i.exec(url);
  if (!authority) return null;
  const rest = url.slice(authority[0].length);
  return rest === "" ? "/" : rest.startsWith("?") ? `/${rest}` : rest;
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

type ErrorWithCode = Error & { code?: string; errors?: unknown[] };

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME", "ENODATA", "ESERVFAIL", "ENONAME"]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE)/;

function classify(error: ErrorWithCode, tlsPhase: boolean): { code: SendErrorCode; message: string } {
  // Trying several addresses (happy eyeballs) fails with an AggregateError of each attempt's error.
  const inner = error.errors?.[0];
  if (!error.code && inner instanceof Error) return classify(inner, tlsPhase);
  const code = error.code ?? "";
  if (error instanceof BlockedAddressError) return { code: "blocked_address", message: error.message };
  if (code === "ECONNREFUSED") return { code: "connection_refused", message: error.message };
  if (DNS_CODES.has(code)) return { code: "dns", message: error.message };
  const tlsLike = TLS_CODE.test(code) || (code === "EPROTO" && /ssl|tls|certificate/i.test(error.message));
  if (tlsLike || (tlsPhase && code !== "ECONNRESET" && code !== "ETIMEDOUT")) {
    return { code: "tls", message: error.message };
  }
  if (code === "HPE_HEADER_OVERFLOW") return { code: "too_large", message: `response headers too large: ${error.message}` };
  if (code === "ETIMEDOUT") return { code: "timeout", message: error.message };
  return { code: "network", message: code ? `${code}: ${error.message}` : error.message };
}

export async function sendRequest(request: OutgoingRequest, options: SendOptions): Promise<SendResult> {
  const limits = checkOptions(options);
  const startedAt = new Date();
  const started = performance.now();
  const base = { url: request.url, startedAt };
  const early = (ip: string | null, error: { code: SendErrorCode; message: string }): SendResult => ({
    ...base,
    ip,
    durationMs: performance.now() - started,
    status: null,
    headers: [],
    body: new Uint8Array(),
    bodyTruncated: false,
    error,
  });

  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return early(null, { code: "network", message: `not an absolute URL: ${request.url}` });
  }
  const path = requestTarget(request.url);
  if ((url.protocol !== "http:" && url.protocol !== "https:") || path === null) {
    return early(null, { code: "network", message: `only http: and https: URLs can be sent, not ${url.protocol}` });
  }
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const literal = parseIpAddress(hostname);
  if (literal !== null && options.policy !== null) {
    const check = isBlockedAddress(hostname, options.policy);
    if (check.blocked) return early(hostname, { code: "blocked_address", message: new BlockedAddressError(hostname, check.range).message });
  }
  if (options.signal?.aborted) return early(null, { code: "network", message: "aborted before sending" });

  const policy = options.policy;
  const resolve = options.resolve ?? defaultResolve;
  let refusedIp: string | null = null;
  // Node's connect calls this for names (never for IP literals); `all` is set when it tries
  // several addresses (happy eyeballs). Only checked addresses are handed back.
  const lookup: LookupFunction = (name, lookupOptions, callback) => {
    resolve(name).then(
      (found) => {
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : null;
        const candidates = family === null ? found : found.filter((entry) => entry.family === family);
        const permitted = policy === null ? candidates : candidates.filter((entry) => !isBlockedAddress(entry.address, policy).blocked);
        const first = candidates[0];
        if (permitted.length === 0 && first !== undefined && policy !== null) {
          const check = isBlockedAddress(first.address, policy);
          refusedIp = first.address;
          callback(new BlockedAddressError(first.address, check.blocked ? check.range : "blocked"), "");
          return;
        }
        const chosen = permitted[0];
        if (chosen === undefined) {
          const error: ErrorWithCode = new Error(`${name} has no ${family ? `IPv${family} ` : ""}address`);
          error.code = "ENOTFOUND";
          callback(error, "");
          return;
        }
        if (lookupOptions.all) callback(null, permitted);
        else callback(null, chosen.address, chosen.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };

  return new Promise<SendResult>((settle) => {
    let status: number | null = null;
    let headers: [string, string][] = [];
    const chunks: Uint8Array[] = [];
    let received = 0;
    let bodyTruncated = false;
    let ip: string | null = literal !== null ? hostname : null;
    let connected = false;
    let done = false;

    const finish = (error: SendResult["error"]) => {
      if (done) return;
      done = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      options.signal?.removeEventListener("abort", onAbort);
      req.destroy();
      settle({
        ...base,
        ip: ip ?? refusedIp,
        durationMs: performance.now() - started,
        status,
        headers,
        body: concat(chunks, received),
        bodyTruncated,
        error,
      });
    };

    const transport = url.protocol === "https:" ? https : http;
    const req = transport.request({
      protocol: url.protocol,
      host: hostname,
      port: url.port === "" ? undefined : Number(url.port),
      method: request.method,
      path,
      // A flat raw list (as rawHeaders) keeps order, case and duplicates; setHost: false leaves
      // Host exactly ours.
      headers: request.headers.flat(),
      setHost: false,
      // One fresh connection per send: no pooled socket that was checked for another request.
      agent: false,
      lookup,
      rejectUnauthorized: !options.insecure,
      // SNI must name the host, not the checked IP it connects to (Node sends none for IP literals).
      ...(url.protocol === "https:" && literal === null ? { servername: hostname } : {}),
    });

    const connectTimer = setTimeout(
      () => finish({ code: "timeout", message: `no connection to ${url.host} within ${limits.connectTimeoutMs} ms` }),
      limits.connectTimeoutMs,
    );
    const totalTimer = setTimeout(
      () =>
        finish({
          code: "timeout",
          message: status === null ? `no response within ${limits.totalTimeoutMs} ms` : `response not complete within ${limits.totalTimeoutMs} ms`,
        }),
      limits.totalTimeoutMs,
    );
    const onAbort = () => finish({ code: "network", message: "aborted" });
    options.signal?.addEventListener("abort", onAbort, { once: true });

    let tlsPhase = false;
    req.on("socket", (socket: Socket) => {
      socket.once("connect", () => {
        connected = true;
        ip = socket.remoteAddress ?? ip;
        clearTimeout(connectTimer);
        if (url.protocol === "https:") tlsPhase = true;
      });
      socket.once("secureConnect", () => {
        tlsPhase = false;
      });
    });

    req.on("error", (error: ErrorWithCode) => finish(classify(error, tlsPhase && connected)));

    req.on("response", (res) => {
      status = res.statusCode ?? null;
      headers = pairs(res.rawHeaders);
      res.on("data", (chunk: Buffer) => {
        const room = limits.maxResponseBytes - received;
        if (chunk.length > room) {
          // Keep the head, stop reading: the rest is never buffered.
          if (room > 0) chunks.push(chunk.subarray(0, room));
          received += Math.max(room, 0);
          bodyTruncated = true;
          finish(redirectError(status, headers));
          return;
        }
        chunks.push(chunk);
        received += chunk.length;
      });
      res.on("end", () => finish(redirectError(status, headers)));
      res.on("error", (error: ErrorWithCode) => finish(classify(error, false)));
      res.on("aborted", () => finish({ code: "network", message: "the connection closed before the response was complete" }));
    });

    // A 101 or an answer to CONNECT hands over the raw socket: the status line and headers are the
    // whole answer, and the tunnel is closed rather than used.
    const tunnel = (res: http.IncomingMessage, socket: Socket) => {
      status = res.statusCode ?? null;
      headers = pairs(res.rawHeaders);
      socket.destroy();
      finish(null);
    };
    req.on("upgrade", tunnel);
    req.on("connect", tunnel);

    req.on("close", () => {
      if (!done) finish({ code: "network", message: "the connection closed before a response" });
    });

    req.end(request.body);
  });
}

function redirectError(status: number | null, headers: [string, string][]): SendResult["error"] {
  if (status === null || !isRedirect(status)) return null;
  const location = headers.find(([name]) => name.toLowerCase() === "location")?.[1];
  return {
    code: "redirect",
    message: location === undefined ? `${status} redirect without a Location, not followed` : `${status} redirect to ${location} not followed`,
  };
}

function pairs(raw: string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i] as string, raw[i + 1] as string]);
  return result;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}
