import type { IncomingMessage, ServerResponse } from "node:http";
import { createCaptureRecorder } from "../observability/capture-metrics";
import type { Metrics } from "../observability/metrics";
import type { CapturePipeline } from "./capture-pipeline";
import { answeredStatus, captureResponse, responseHasBody, type CaptureAnswer, type CaptureResponse } from "./capture-response";
import type { CaptureTarget } from "./parse-capture-path";
import { clientIp, declaredLength, pairRawHeaders, stripOwnAuthCookies } from "./sanitize-headers";

export interface CaptureLimits {
  maxBodyBytes: number;
  trustProxy: boolean;
}

// After a 413, how much more of an oversized upload is read and thrown away so the sender can see
// the answer before the connection closes; past this the socket is cut.
const DISCARD_AFTER_LIMIT_BYTES = 1024 * 1024;

/**
 * Reads at most `max` bytes of a request body. Never buffers more: once the limit is passed, it
 * stops collecting and reports the body as truncated, leaving the rest unread.
 */
export function readNodeBody(
  req: IncomingMessage,
  max: number,
): Promise<{ body: Uint8Array<ArrayBuffer>; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    // The sender may have hung up while the bin was being looked up: Node then destroys the request
    // (dropping any unread body) without an 'end', and without an 'error' when nobody listened yet.
    if (req.destroyed) {
      reject(new Error("the sender closed the connection before its body was read"));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onClose = () => {
      cleanup();
      reject(new Error("the sender closed the connection before its body was complete"));
    };
    const onData = (chunk: Buffer) => {
      const room = max - size;
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += Math.max(room, 0);
        cleanup();
        req.pause();
        resolve({ body: Buffer.concat(chunks, size), truncated: true });
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    };
    const onEnd = () => {
      cleanup();
      resolve({ body: Buffer.concat(chunks, size), truncated: false });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

function discardRest(req: IncomingMessage) {
  let discarded = 0;
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_AFTER_LIMIT_BYTES) req.socket.destroy();
  });
  req.resume();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Captures straight from Node's HTTP server: every method (PROPFIND, PURGE…), raw header order and
 * duplicates, without Next's per-request cost. Used by ws-server.ts.
 */
export function createNodeCaptureHandler(pipeline: CapturePipeline, limits: CaptureLimits, options: { metrics?: Metrics } = {}) {
  const record = options.metrics ? createCaptureRecorder(options.metrics) : undefined;
  /**
   * `requestId` is echoed as X-Request-Id; `startedAt` (performance.now() at arrival) starts the
   * latency measurement, defaulting to now.
   */
  return async function handleCapture(
    req: IncomingMessage,
    res: ServerResponse,
    target: CaptureTarget,
    requestId?: string,
    startedAt = performance.now(),
  ) {
    const method = req.method ?? "GET";
    const headers = pairRawHeaders(req.rawHeaders);
    const ip = clientIp(req.socket.remoteAddress ?? null, headers, limits.trustProxy);
    const answerOptions = { maxBodyBytes: limits.maxBodyBytes, method, requestedHeaders: req.headers["access-control-request-headers"] ?? null, requestId };

    const admitted = pipeline.admit(target.slug, ip);
    const admission = admitted instanceof Promise ? await admitted : admitted;
    if (admission.kind !== "admitted") {
      // Refused before the body is read: nothing of it is kept.
      discardRest(req);
      record?.(admission, startedAt);
      send(res, captureResponse(admission, answerOptions), method);
      return;
    }
    let read: { body: Uint8Array<ArrayBuffer>; truncated: boolean };
    try {
      read = await readNodeBody(req, limits.maxBodyBytes);
    } catch {
      // The sender went away mid-body: nothing was acknowledged, so nothing is stored.
      if (!res.headersSent) res.destroy();
      return;
    }
    const result = await pipeline.capture({
      ...target,
      method,
      headers: stripOwnAuthCookies(headers),
      body: read.body,
      truncated: read.truncated,
      declaredSize: declaredLength(headers),
      ip,
      responseStatus: answeredStatus(admission.bin, read.truncated),
    });
    const answer: CaptureAnswer = { kind: "captured", result, bin: admission.bin };
    const response = captureResponse(answer, answerOptions);
    // Counted before the bin's configured delay: the histogram measures us, not the setting.
    record?.(answer, startedAt);
    if (read.truncated) {
      response.headers.push(["connection", "close"]);
      discardRest(req);
    }
    if (response.delayMs > 0) await sleep(response.delayMs);
    send(res, response, method);
  };
}

function send(res: ServerResponse, response: CaptureResponse, method: string) {
  if (res.destroyed) return;
  const withBody = responseHasBody(response.status, method);
  const flat = response.headers.flat();
  if (withBody || method === "HEAD") flat.push("content-length", String(Buffer.byteLength(response.body)));
  res.writeHead(response.status, flat);
  res.end(withBody ? response.body : undefined);
}
