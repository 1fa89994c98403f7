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
  /** No body bytes for this long ends the request with 408 (BODY_IDLE_TIMEOUT_MS); 0 never. */
  bodyIdleTimeoutMs?: number;
}

// After a 413, how much more of an oversized upload is read and thrown away so the sender can see
// the answer before the connection closes; past this the socket is cut.
const DISCARD_AFTER_LIMIT_BYTES = 1024 * 1024;

/** Why a body ended before the sender finished it: it stopped sending, or it hung up. */
export type IncompleteReason = "idle-timeout" | "hung-up";

export interface NodeBody {
  body: Uint8Array<ArrayBuffer>;
  truncated: boolean;
  /** Null when the body arrived whole (or was truncated at the limit). */
  incomplete: IncompleteReason | null;
}

/**
 * Reads at most `max` bytes of a request body. Never buffers more: once the limit is passed, it
 * stops collecting and reports the body as truncated, leaving the rest unread.
 *
 * A body cut short is not an error: what arrived is returned with `incomplete` set, since a sender
 * dying mid-body is exactly what a person debugging it needs to see. With `idleMs`, a sender that
 * sends nothing for that long is given up on ("idle-timeout"); the timer is the socket's own
 * inactivity timeout, which Node re-arms on every byte, and it is armed only when the body has not
 * already arrived with the headers (the common case costs nothing).
 */
export function readNodeBody(req: IncomingMessage, max: number, idleMs = 0): Promise<NodeBody> {
  return new Promise((resolve) => {
    // The sender may have hung up while the bin was being looked up: Node then destroys the request
    // (dropping any unread body) without an 'end', and without an 'error' when nobody listened yet.
    if (req.destroyed) {
      resolve({ body: new Uint8Array(0), truncated: false, incomplete: "hung-up" });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const timed = idleMs > 0 && !req.complete;
    const finish = (truncated: boolean, incomplete: IncompleteReason | null) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onGone);
      if (timed) {
        req.off("timeout", onIdle);
        // The answer may wait on the database or a bin's delay: that is not the sender's silence.
        if (!req.socket.destroyed) req.socket.setTimeout(0);
      }
      resolve({ body: Buffer.concat(chunks, size), truncated, incomplete });
    };
    // Node reports a hang-up mid-body as an "aborted" error, or only as 'close'.
    const onGone = () => finish(false, "hung-up");
    const onIdle = () => {
      req.pause();
      finish(false, "idle-timeout");
    };
    const onData = (chunk: Buffer) => {
      const room = max - size;
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += Math.max(room, 0);
        req.pause();
        finish(true, null);
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    };
    const onEnd = () => finish(false, null);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onGone);
    if (timed) {
      // A 'timeout' listener on the request keeps Node's server from destroying the socket itself,
      // so the sender still gets its 408.
      req.on("timeout", onIdle);
      req.socket.setTimeout(idleMs);
    }
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
    const read = await readNodeBody(req, limits.maxBodyBytes, limits.bodyIdleTimeoutMs ?? 0);
    const incomplete = read.incomplete !== null;
    const result = await pipeline.capture({
      ...target,
      method,
      headers: stripOwnAuthCookies(headers),
      body: read.body,
      truncated: read.truncated,
      incomplete,
      declaredSize: declaredLength(headers),
      ip,
      responseStatus: answeredStatus(admission.bin, read.truncated, incomplete),
    });
    const answer: CaptureAnswer = { kind: "captured", result, bin: admission.bin };
    const response = captureResponse(answer, answerOptions);
    // Counted before the bin's configured delay: the histogram measures us, not the setting.
    record?.(answer, startedAt);
    if (read.truncated) {
      response.headers.push(["connection", "close"]);
      discardRest(req);
    }
    // The rest of a stalled body is never read: the connection cannot carry another request.
    if (read.incomplete === "idle-timeout") response.headers.push(["connection", "close"]);
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
