import type { CaptureFn } from "./capture-request";
import { captureResponse } from "./capture-response";
import type { CaptureLimits } from "./node-capture-handler";
import { parseCapturePath } from "./parse-capture-path";
import { clientIp, declaredLength, stripOwnAuthCookies } from "./sanitize-headers";

async function readFetchBody(
  request: Request,
  max: number,
): Promise<{ body: Uint8Array<ArrayBuffer>; truncated: boolean }> {
  if (!request.body) return { body: new Uint8Array(0), truncated: false };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = max - size;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      size += room;
      await reader.cancel();
      return { body: Buffer.concat(chunks, size), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { body: Buffer.concat(chunks, size), truncated: false };
}

/**
 * Captures from a Web `Request`: the adapter for the Next.js route handler when the app runs under
 * plain `next`. Fetch's Headers merge duplicates and lose order, so this path is the less faithful
 * one; ws-server.ts routes captures to the Node handler instead.
 */
export function createFetchCaptureHandler(
  capture: CaptureFn,
  limits: CaptureLimits,
  socketAddress: (request: Request) => string | null = () => null,
) {
  return async function handleCapture(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const target = parseCapturePath(url.pathname + url.search);
    if (!target) {
      return Response.json({ error: { code: "BIN_NOT_FOUND", message: "No bin at this address." } }, { status: 404 });
    }
    const headers = [...request.headers.entries()];
    const read = await readFetchBody(request, limits.maxBodyBytes);
    const result = await capture({
      ...target,
      method: request.method,
      headers: stripOwnAuthCookies(headers),
      body: read.body,
      truncated: read.truncated,
      declaredSize: declaredLength(headers),
      ip: clientIp(socketAddress(request), headers, limits.trustProxy),
    });
    const response = captureResponse(result, {
      maxBodyBytes: limits.maxBodyBytes,
      method: request.method,
      requestedHeaders: request.headers.get("access-control-request-headers"),
    });
    return new Response(request.method === "HEAD" ? null : response.body, {
      status: response.status,
      headers: response.headers,
    });
  };
}
