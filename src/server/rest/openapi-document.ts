import { z, type ZodType } from "zod";
import packageJson from "../../../package.json" with { type: "json" };
import { ZCreateBinSchema, ZUpdateBinSchema } from "../bins/bin-schemas";
import { ZReplayInputSchema } from "../delivery/replay-request";
import { ZCliAttemptSchema } from "../delivery/report-cli-attempt";
import { ZListRequestsQuerySchema } from "../requests/requests-service";
import { ZNextRequestQuerySchema } from "../requests/wait-for-next-request";
import { ZCreateTokenSchema } from "../tokens/tokens-service";
import { ZExportQuerySchema } from "./rest-query-schemas";
import {
  ZAttemptJson,
  ZBinJson,
  ZCreatedTokenJson,
  ZErrorJson,
  ZRequestJson,
  ZRequestPageJson,
  ZTokenJson,
} from "./rest-response-schemas";

/**
 * The OpenAPI 3.1 description of /api/v1, generated from the zod schemas the routes validate
 * their input with (request bodies, query parameters) and the response schemas the tests check
 * real answers against. Schemas are inlined (no $ref) so any JSON Schema 2020-12 tool reads them.
 */

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }) as JsonSchema;
  return rest;
}

function queryParameters(schema: ZodType): JsonSchema[] {
  const { properties = {}, required = [] } = jsonSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(properties).map(([name, property]) => ({ name, in: "query", required: required.includes(name), schema: property }));
}

const json = (schema: ZodType) => ({ content: { "application/json": { schema: jsonSchema(schema, "output") } } });
const body = (schema: ZodType) => ({ required: true, content: { "application/json": { schema: jsonSchema(schema, "input") } } });
const pathId = (name = "id", description = "Id") => ({ name, in: "path", required: true, schema: { type: "string" }, description });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: ERROR_TEXT[status] ?? "Error", ...json(ZErrorJson) }]));
const ERROR_TEXT: Record<number, string> = {
  400: "Invalid input; error.issues names each field or parameter",
  401: "Missing or invalid credentials",
  403: "A limit of this instance was reached",
  404: "Not found (or not yours)",
  409: "Conflict (slug taken)",
};
const download = (description: string, type = "application/json") => ({ description, content: { [type]: { schema: {} } } });

export function openApiDocument(serverUrl: string): JsonSchema {
  const bin = pathId("id", "Bin id");
  const request = pathId("id", "Request id");
  return {
    openapi: "3.1.0",
    info: {
      title: "WebhookDump REST API",
      version: packageJson.version,
      description: "Automation API of a WebhookDump instance. Authenticate with `Authorization: Bearer <API token>` (created on the API tokens page).",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths: {
      "/openapi.json": { get: { summary: "This document", security: [], responses: { 200: { description: "OpenAPI 3.1 document" } } } },
      "/tokens": {
        get: { summary: "List API tokens", responses: { 200: { description: "Tokens", ...json(z.object({ tokens: z.array(ZTokenJson) })) }, ...errors(401) } },
        post: {
          summary: "Create an API token (signed-in session only)",
          requestBody: body(ZCreateTokenSchema),
          responses: { 201: { description: "The token, shown once", ...json(ZCreatedTokenJson) }, ...errors(400, 401) },
        },
      },
      "/tokens/{id}": { delete: { summary: "Revoke a token", parameters: [pathId()], responses: { 204: { description: "Revoked" }, ...errors(401, 404) } } },
      "/bins": {
        get: { summary: "List bins", responses: { 200: { description: "Bins", ...json(z.object({ bins: z.array(ZBinJson) })) }, ...errors(401) } },
        post: { summary: "Create a bin", requestBody: body(ZCreateBinSchema), responses: { 201: { description: "The bin", ...json(ZBinJson) }, ...errors(400, 401, 403, 409) } },
      },
      "/bins/{id}": {
        parameters: [bin],
        get: { summary: "A bin", responses: { 200: { description: "The bin", ...json(ZBinJson) }, ...errors(401, 404) } },
        patch: { summary: "Update a bin", requestBody: body(ZUpdateBinSchema), responses: { 200: { description: "The bin", ...json(ZBinJson) }, ...errors(400, 401, 404) } },
        delete: { summary: "Delete a bin and its requests", responses: { 204: { description: "Deleted" }, ...errors(401, 404) } },
      },
      "/bins/{id}/requests": {
        parameters: [bin],
        get: {
          summary: "A page of the bin's requests, newest first, with filters",
          parameters: queryParameters(ZListRequestsQuerySchema),
          responses: { 200: { description: "A page; nextCursor continues it", ...json(ZRequestPageJson) }, ...errors(400, 401, 404) },
        },
        delete: { summary: "Delete every request of the bin", responses: { 200: { description: "How many", ...json(z.object({ deleted: z.number().int() })) }, ...errors(401, 404) } },
      },
      "/bins/{id}/requests/next": {
        parameters: [bin],
        get: {
          summary: "Long poll: the first request after `after` matching the filters",
          description: "`after` defaults to the bin's newest sequence number at the call; `timeout` is in seconds (at most 60, default 30).",
          parameters: queryParameters(ZNextRequestQuerySchema),
          responses: { 200: { description: "The full request record", ...json(ZRequestJson) }, 204: { description: "Nothing matching arrived in time" }, ...errors(400, 401, 404) },
        },
      },
      "/bins/{id}/export": {
        parameters: [bin],
        get: { summary: "Download every request of the bin", parameters: queryParameters(ZExportQuerySchema), responses: { 200: download("JSON or HAR file"), ...errors(400, 401, 404) } },
      },
      "/bins/{id}/forwards/{targetId}/pause": {
        parameters: [bin, pathId("targetId", "Forward target id")],
        post: { summary: "Hold a forward target's queue", responses: { 200: { description: "The bin", ...json(ZBinJson) }, ...errors(401, 404) } },
      },
      "/bins/{id}/forwards/{targetId}/resume": {
        parameters: [bin, pathId("targetId", "Forward target id")],
        post: { summary: "Release a forward target's queue", responses: { 200: { description: "The bin", ...json(ZBinJson) }, ...errors(401, 404) } },
      },
      "/bins/{id}/forwards/retry-failed": {
        parameters: [bin],
        post: { summary: "Send every failed delivery of the bin again", responses: { 200: { description: "How many", ...json(z.object({ retried: z.number().int() })) }, ...errors(401, 404) } },
      },
      "/requests/{id}": {
        parameters: [request],
        get: { summary: "A request with its exact body (base64)", responses: { 200: { description: "The request", ...json(ZRequestJson) }, ...errors(401, 404) } },
        delete: { summary: "Delete a request", responses: { 204: { description: "Deleted" }, ...errors(401, 404) } },
      },
      "/requests/{id}/body": { parameters: [request], get: { summary: "The raw body bytes", responses: { 200: download("The body", "application/octet-stream"), ...errors(401, 404) } } },
      "/requests/{id}/export": {
        parameters: [request],
        get: { summary: "Download one request", parameters: queryParameters(ZExportQuerySchema), responses: { 200: download("JSON or HAR file"), ...errors(400, 401, 404) } },
      },
      "/requests/{id}/replays": {
        parameters: [request],
        post: { summary: "Send the stored request to a URL now (from the server)", requestBody: body(ZReplayInputSchema), responses: { 201: { description: "The attempt", ...json(ZAttemptJson) }, ...errors(400, 401, 404) } },
      },
      "/requests/{id}/attempts": {
        parameters: [request],
        get: { summary: "Every attempt to send the request, oldest first", responses: { 200: { description: "Attempts", ...json(z.object({ attempts: z.array(ZAttemptJson) })) }, ...errors(401, 404) } },
        post: {
          summary: "Report a delivery the CLI made (recorded with trigger cli)",
          requestBody: body(ZCliAttemptSchema),
          responses: { 201: { description: "The attempt", ...json(ZAttemptJson) }, ...errors(400, 401, 404) },
        },
      },
    },
  };
}
