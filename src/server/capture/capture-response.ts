import type { CaptureResult } from "./capture-request";

export interface CaptureResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const COMMON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  // Browser-based senders (and their preflights) must be able to reach any bin.
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "X-WebhookDump-Request-Id",
};

/** The answer a sender gets, the same from every capture adapter. */
export function captureResponse(
  result: CaptureResult,
  options: { maxBodyBytes: number; requestedHeaders?: string | null; method: string },
): CaptureResponse {
  const headers: Record<string, string> = { ...COMMON_HEADERS };
  if (options.method === "OPTIONS") {
    headers["access-control-allow-methods"] = "*";
    if (options.requestedHeaders) headers["access-control-allow-headers"] = options.requestedHeaders;
  }
  if (result.status === "unknown-bin") {
    return {
      status: 404,
      headers,
      body: JSON.stringify({ error: { code: "BIN_NOT_FOUND", message: "No bin at this address." } }),
    };
  }
  headers["x-webhookdump-request-id"] = result.id;
  if (result.truncated) {
    return {
      status: 413,
      headers,
      body: JSON.stringify({
        error: {
          code: "PAYLOAD_TOO_LARGE",
          message: `Body exceeds ${options.maxBodyBytes} bytes; the first ${options.maxBodyBytes} bytes were stored.`,
        },
        id: result.id,
      }),
    };
  }
  return { status: 200, headers, body: JSON.stringify({ ok: true, id: result.id }) };
}
