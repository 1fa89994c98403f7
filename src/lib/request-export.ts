import { bytesToBase64 } from "./base64";
import { queryPairs } from "./body-view";

/** A stored request as the exporters need it (the server's RequestRecord fits). */
export interface ExportableRequest {
  id: string;
  seq: number;
  method: string;
  path: string;
  query: string;
  headers: [string, string][];
  body: Uint8Array;
  bodySize: number;
  truncated: boolean;
  declaredSize: number | null;
  contentType: string | null;
  ip: string | null;
  receivedAt: Date;
  responseStatus: number;
}

export type ExportFormat = "json" | "har";

/** The URL the request was sent to: capture URL (…/b/<slug>) + sub-path + raw query. */
export function requestUrl(request: Pick<ExportableRequest, "path" | "query">, captureBase: string): string {
  return `${captureBase}${request.path === "/" ? "" : request.path}${request.query ? `?${request.query}` : ""}`;
}


function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Our own JSON: the REST record (body as base64, exact bytes) plus the URL it was sent to. */
export function requestToJson(request: ExportableRequest, captureBase: string) {
  const { body, receivedAt, ...rest } = request;
  return { ...rest, url: requestUrl(request, captureBase), receivedAt: receivedAt.toISOString(), bodyBase64: bytesToBase64(body) };
}

/**
 * One HAR 1.2 entry (http://www.softwareishard.com/blog/har-12-spec/). The request is what we
 * captured; the response is only the status we answered with, the one thing we record of it.
 * HAR's postData has no standard binary form, so a body that is not valid UTF-8 goes as base64
 * with `encoding: "base64"`, the field HAR defines for response content and that importers
 * (Chrome, Firefox, Charles) also read on postData. Fields starting with "_" are our extensions,
 * which the spec allows.
 */
export function requestToHarEntry(request: ExportableRequest, captureBase: string) {
  const text = utf8OrNull(request.body);
  return {
    startedDateTime: request.receivedAt.toISOString(),
    time: 0,
    request: {
      method: request.method,
      url: requestUrl(request, captureBase),
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: request.headers.map(([name, value]) => ({ name, value })),
      queryString: queryPairs(request.query).map(([name, value]) => ({ name, value })),
      ...(request.bodySize > 0
        ? { postData: { mimeType: request.contentType ?? "", ...(text !== null ? { text } : { text: bytesToBase64(request.body), encoding: "base64" }) } }
        : {}),
      headersSize: -1,
      bodySize: request.bodySize,
    },
    response: {
      status: request.responseStatus,
      statusText: "",
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: [],
      content: { size: -1, mimeType: "" },
      redirectURL: "",
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _webhookdump: { id: request.id, seq: request.seq, clientIp: request.ip, truncated: request.truncated, declaredSize: request.declaredSize },
  };
}

export function exportEntry(format: ExportFormat, request: ExportableRequest, captureBase: string): unknown {
  return format === "har" ? requestToHarEntry(request, captureBase) : requestToJson(request, captureBase);
}

/**
 * A whole export document as text before and after its list of entries, so a server can stream
 * a bin's requests between them a page at a time: head + entries joined by "," + tail.
 */
export function exportEnvelope(
  format: ExportFormat,
  meta: { bin: { id: string; name: string; slug: string; url: string }; exportedAt: Date; creatorVersion: string },
): { head: string; tail: string } {
  if (format === "har") {
    const creator = { name: "WebhookDump", version: meta.creatorVersion };
    const head = `{"log":{"version":"1.2","creator":${JSON.stringify(creator)},"comment":${JSON.stringify(`Bin ${meta.bin.name} (${meta.bin.url})`)},"entries":[`;
    return { head, tail: "]}}" };
  }
  const head = `{"bin":${JSON.stringify(meta.bin)},"exportedAt":${JSON.stringify(meta.exportedAt.toISOString())},"requests":[`;
  return { head, tail: "]}" };
}

/** The whole document at once, for one request or a handful (tests, single-request export). */
export function buildExport(
  format: ExportFormat,
  requests: ExportableRequest[],
  meta: Parameters<typeof exportEnvelope>[1],
): string {
  const { head, tail } = exportEnvelope(format, meta);
  return head + requests.map((request) => JSON.stringify(exportEntry(format, request, meta.bin.url))).join(",") + tail;
}
