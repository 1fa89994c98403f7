import type { z } from "zod";
import type { ZRequestJson } from "../../src/server/rest/rest-response-schemas";
import { buildOutgoingRequest, OutgoingRequestError, parseHostMode, type OutgoingRequest, type PathMode } from "../../src/lib/outgoing-request";
import { sendRequest, type SendResult } from "../../src/server/delivery/egress";
import { CliError, EXIT } from "./cli-error";
import { errorMessage, type ServerClient } from "./server-client";

/** A stored request as GET /api/v1/requests/{id} returns it: the server's own response schema. */
export type RequestJson = z.infer<typeof ZRequestJson>;

export async function fetchRequest(client: ServerClient, id: string, signal?: AbortSignal): Promise<RequestJson> {
  const response = await client.rest("GET", `/requests/${encodeURIComponent(id)}`, undefined, { signal });
  if (response.status === 404) throw new CliError(EXIT.NOT_FOUND, `no request with id ${JSON.stringify(id)}`);
  if (response.status !== 200) throw new CliError(EXIT.ERROR, `fetching request ${id} failed: ${errorMessage(response)}`);
  return response.json as RequestJson;
}

export interface SendSettings {
  to: string;
  pathMode: PathMode;
  host: string;
  headers: [string, string][];
  dropHeaders: string[];
  method?: string;
  timeoutMs: number;
  insecure: boolean;
  allowTruncated: boolean;
}

/** The request the target gets: the shared builder's, with --method on top if given. */
export function outgoingFor(record: RequestJson, settings: SendSettings): OutgoingRequest {
  try {
    const outgoing = buildOutgoingRequest(
      { method: record.method, path: record.path, query: record.query, headers: record.headers, body: Buffer.from(record.bodyBase64, "base64"), truncated: record.truncated },
      {
        url: settings.to,
        pathMode: settings.pathMode,
        host: parseHostMode(settings.host),
        headers: settings.headers,
        removeHeaders: settings.dropHeaders,
        allowTruncated: settings.allowTruncated,
      },
    );
    return settings.method ? { ...outgoing, method: settings.method } : outgoing;
  } catch (error) {
    if (error instanceof OutgoingRequestError) throw new CliError(error.code === "truncated" ? EXIT.DELIVERY_FAILED : EXIT.USAGE, error.message);
    throw error;
  }
}

/** Worth trying again: nothing was received (refused, reset, timed out) or the target failed (5xx). */
export function isRetryable(result: SendResult): boolean {
  if (result.error) return ["connection_refused", "network", "timeout"].includes(result.error.code);
  return result.status !== null && result.status >= 500;
}

export function send(outgoing: OutgoingRequest, settings: SendSettings, signal?: AbortSignal): Promise<SendResult> {
  return sendRequest(outgoing, { policy: null, insecure: settings.insecure, totalTimeoutMs: settings.timeoutMs, signal });
}

const MAX_REPORTED_BODY = 1024 * 1024;

/** Tells the server about a delivery (an attempt with trigger "cli", shown in the inspector). */
export async function reportAttempt(client: ServerClient, requestId: string, result: SendResult, modified: boolean): Promise<void> {
  const body = result.body.subarray(0, MAX_REPORTED_BODY);
  const response = await client.rest("POST", `/requests/${encodeURIComponent(requestId)}/attempts`, {
    url: result.url,
    ip: result.ip,
    startedAt: result.startedAt.toISOString(),
    durationMs: result.durationMs,
    status: result.status,
    headers: result.headers,
    bodyBase64: Buffer.from(body).toString("base64"),
    bodyTruncated: result.bodyTruncated || body.byteLength < result.body.byteLength,
    error: result.error,
    modified,
  });
  if (response.status !== 201) throw new Error(`reporting the attempt failed: ${errorMessage(response)}`);
}
