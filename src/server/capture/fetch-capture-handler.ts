import { createCaptureRecorder } from "../observability/capture-metrics";
import type { Metrics } from "../observability/metrics";
import type { CapturePipeline } from "./capture-pipeline";
import { answeredStatus, captureResponse, responseHasBody, type CaptureAnswer, type CaptureResponse } from "./capture-response";
import type { CaptureLimits } from "./node-capture-handler";
import { parseCapturePath } from "./parse-capture-path";
import { clientIp, declaredLength, stripOwnAuthCookies } from "./sanitize-headers";

async function readFetchBody(
  request: Request,
  max: number,
): Promise<{ body: Uint8Array<ArrayBuffer>; truncated: boolean; incomplete: boolean }> {
  if (!request.body) return { body: new Uint8Array(0), truncated: false, incomplete: false };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      // The sender hung up mid-body: what arrived is kept, marked incomplete.
      return { body: Buffer.concat(chunks, size), truncated: false, incomplete: true };
    }
    const { done, value } = next;
    if (done) break;
    const room = max - size;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      size += room;
      await reader.cancel();
      return { body: Buffer.concat(chunks, size), truncated: true, incomplete: false };
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { body: Buffer.concat(chunks, size), truncated: false, incomplete: false };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toResponse(response: CaptureResponse, method: string): Response {
  return new Response(responseHasBody(response.status, method) ? response.body : null, {
    status: response.status,
    headers: response.headers,
  });
}

/**
 * Captures from a Web `Request`: the adapter for the Next.js route handler when the app runs under
 * plain `next`. Fetch's Headers merge duplicates and lose order, so this path is the less faithful
 * one; ws-server.ts routes captures to the Node handler instead.
 */
export function createFetchCaptureHandler(
  pipeline: CapturePipeline,
  limits: CaptureLimits,
  options: { metrics?: Metrics; socketAddress?: (request: Request) => string | null } = {},
) {
  const record = options.metrics ? createCaptureRecorder(options.metrics) : undefined;
  const socketAddress = options.socketAddress ?? (() => null);
  return async function handleCapture(request: Request): Promise<Response> {
    const startedAt = performance.now();
    const url = new URL(request.url);
    const method = request.method;
    const answerOptions = { maxBodyBytes: limits.maxBodyBytes, method, requestedHeaders: request.headers.get("access-control-request-headers") };
    const target = parseCapturePath(url.pathname + url.search);
    if (!target) {
      const unknown: CaptureAnswer = { kind: "unknown-bin" };
      record?.(unknown, startedAt);
      return toResponse(captureResponse(unknown, answerOptions), method);
    }
    const headers = [...request.headers.entries()];
    const ip = clientIp(socketAddress(request), headers, limits.trustProxy);
    const admission = await pipeline.admit(target.slug, ip);
    if (admission.kind !== "admitted") {
      await request.body?.cancel();
      record?.(admission, startedAt);
      return toResponse(captureResponse(admission, answerOptions), method);
    }
    const read = await readFetchBody(request, limits.maxBodyBytes);
    const result = await pipeline.capture({
      ...target,
      method,
      headers: stripOwnAuthCookies(headers),
      body: read.body,
      truncated: read.truncated,
      incomplete: read.incomplete,
      declaredSize: declaredLength(headers),
      ip,
      responseStatus: answeredStatus(admission.bin, read.truncated, read.incomplete),
    });
    const answer: CaptureAnswer = { kind: "captured", result, bin: admission.bin };
    const response = captureResponse(answer, answerOptions);
    // Counted before the bin's configured delay: the histogram measures us, not the setting.
    record?.(answer, startedAt);
    if (response.delayMs > 0) await sleep(response.delayMs);
    return toResponse(response, method);
  };
}
