import type { CaptureBin, CaptureResult } from "./capture-request";

export interface CaptureResponse {
  status: number;
  /** Pairs: a custom answer may repeat a header name. */
  headers: [string, string][];
  body: string;
  /** Milliseconds to wait before answering (a bin's configured delay). */
  delayMs: number;
}

export type CaptureAnswer =
  | { kind: "unknown-bin" }
  | { kind: "rate-limited"; retryAfterSeconds: number }
  | { kind: "captured"; result: CaptureResult; bin: CaptureBin };

// Every answer on a capture URL is content a stranger controls, served from our origin: it may
// never run script there, and browsers may not sniff it into something executable.
const ALWAYS: [string, string][] = [
  ["cache-control", "no-store"],
  ["x-content-type-options", "nosniff"],
  ["content-security-policy", "sandbox"],
];
const CORS: [string, string][] = [
  ["access-control-allow-origin", "*"],
  ["access-control-expose-headers", "X-WebhookDump-Request-Id"],
];
const JSON_TYPE: [string, string] = ["content-type", "application/json; charset=utf-8"];

function json(status: number, body: unknown, extra: [string, string][] = []): CaptureResponse {
  return { status, headers: [JSON_TYPE, ...ALWAYS, ...CORS, ...extra], body: JSON.stringify(body), delayMs: 0 };
}

/** The status a capture will be answered with, recorded with the request before it is stored. */
export function answeredStatus(bin: CaptureBin, truncated: boolean, incomplete = false): number {
  if (incomplete) return 408;
  if (truncated) return 413;
  return bin.response?.status ?? 200;
}

/** The answer a sender gets, the same from every capture adapter. */
export function captureResponse(
  answer: CaptureAnswer,
  options: {
    maxBodyBytes: number;
    requestedHeaders?: string | null;
    method: string;
    /** Echoed as X-Request-Id (the server's log correlation id), unless the bin's own answer sets one. */
    requestId?: string;
  },
): CaptureResponse {
  // Headers every answer ends with; a bin's custom answer overrides them by name.
  const trailing: [string, string][] =
    options.method === "OPTIONS"
      ? [["access-control-allow-methods", "*"], ...(options.requestedHeaders ? [["access-control-allow-headers", options.requestedHeaders] as [string, string]] : [])]
      : [];
  if (options.requestId) trailing.push(["x-request-id", options.requestId]);
  if (answer.kind === "unknown-bin") {
    return json(404, { error: { code: "BIN_NOT_FOUND", message: "No bin at this address." } }, trailing);
  }
  if (answer.kind === "rate-limited") {
    return json(
      429,
      { error: { code: "RATE_LIMITED", message: `Too many requests; retry in ${answer.retryAfterSeconds} s. Nothing was stored.` } },
      [["retry-after", String(answer.retryAfterSeconds)], ...trailing],
    );
  }
  const { result, bin } = answer;
  if (result.status === "unknown-bin") {
    return json(404, { error: { code: "BIN_NOT_FOUND", message: "No bin at this address." } }, trailing);
  }
  const id: [string, string] = ["x-webhookdump-request-id", result.id];
  // A sender that hung up reads nothing; one that stalled learns its body was given up on.
  if (result.incomplete) {
    return json(
      408,
      {
        error: { code: "REQUEST_TIMEOUT", message: "The body stopped arriving; the bytes received were stored, marked incomplete." },
        id: result.id,
      },
      [id, ...trailing],
    );
  }
  if (result.truncated) {
    return json(
      413,
      {
        error: {
          code: "PAYLOAD_TOO_LARGE",
          message: `Body exceeds ${options.maxBodyBytes} bytes; the first ${options.maxBodyBytes} bytes were stored.`,
        },
        id: result.id,
      },
      [id, ...trailing],
    );
  }
  const custom = bin.response;
  if (!custom) return json(200, { ok: true, id: result.id }, [id, ...trailing]);
  const own = new Set(custom.headers.map(([name]) => name.toLowerCase()));
  return {
    status: custom.status,
    headers: [
      ...(custom.contentType ? [["content-type", custom.contentType] as [string, string]] : []),
      ...custom.headers,
      ...ALWAYS.filter(([name]) => !own.has(name)),
      ...CORS.filter(([name]) => !own.has(name)),
      id,
      ...trailing.filter(([name]) => !own.has(name)),
    ],
    body: custom.body,
    delayMs: custom.delayMs,
  };
}

/** Statuses that carry no body by definition. */
export function responseHasBody(status: number, method: string): boolean {
  return method !== "HEAD" && status !== 204 && status !== 304;
}
