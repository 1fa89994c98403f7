import { z } from "zod";
import { ATTEMPT_ERROR_CODES } from "../delivery/attempts-store";
import { SIGNATURE_REASONS } from "../signatures/signature-types";

/**
 * The JSON the REST API answers with, as zod schemas: the source of the response half of the
 * OpenAPI document (see openapi-document.ts), checked against real responses by its test.
 */

const ZPairs = z.array(z.tuple([z.string(), z.string()])).describe("Header pairs in order, case and duplicates kept");
const ZInstant = z.iso.datetime({ offset: true });

export const ZErrorJson = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
      issues: z.array(z.object({ path: z.string().describe("The field or query parameter at fault, dotted"), message: z.string() })).optional(),
    }),
  });

const ZSignatureVerdictJson = z
  .object({ scheme: z.string(), verdict: z.enum(["valid", "invalid"]), reason: z.enum(SIGNATURE_REASONS), detail: z.string().describe("A sentence for a person") })
  .strict()
  .nullable()
  .describe("null when the bin verifies no signatures");

export const ZRequestSummaryJson = z
  .object({
    id: z.string(),
    binId: z.string(),
    seq: z.number().int().describe("Per-bin sequence number, 1 for the first capture"),
    method: z.string(),
    path: z.string().describe("Sub-path after /b/<slug>, as received"),
    query: z.string().describe("Raw query string without ?"),
    bodySize: z.number().int(),
    truncated: z.boolean(),
    incomplete: z.boolean().describe("The body ended before its declared length (idle timeout or the sender hung up)"),
    contentType: z.string().nullable(),
    receivedAt: ZInstant,
    responseStatus: z.number().int().describe("The status the sender was answered with"),
    signature: ZSignatureVerdictJson,
  })
  .strict();

export const ZRequestJson = ZRequestSummaryJson.extend({
  headers: ZPairs,
  declaredSize: z.number().int().nullable(),
  ip: z.string().nullable(),
  bodyBase64: z.string().describe("The exact body bytes, base64"),
}).strict();

export const ZRequestPageJson = z.object({ requests: z.array(ZRequestSummaryJson), nextCursor: z.number().int().nullable(), lastSeq: z.number().int() }).strict();

export const ZAttemptJson = z
  .object({
    id: z.string(),
    requestId: z.string(),
    trigger: z.enum(["manual", "auto", "retry", "cli"]),
    attempt: z.number().int(),
    url: z.string(),
    ip: z.string().nullable(),
    startedAt: ZInstant,
    durationMs: z.number().int(),
    status: z.number().int().nullable(),
    headers: ZPairs,
    bodyBase64: z.string(),
    bodyTruncated: z.boolean(),
    modified: z.boolean(),
    error: z.object({ code: z.enum(ATTEMPT_ERROR_CODES), message: z.string() }).strict().nullable(),
  })
  .strict();

const ZForwardTargetJson = z.looseObject({ id: z.string(), url: z.string(), pathMode: z.enum(["append", "exact"]), host: z.string(), enabled: z.boolean() });

export const ZBinJson = z.looseObject({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  url: z.string().describe("The capture URL senders post to"),
  createdAt: ZInstant,
  requestCount: z.number().int(),
  lastRequestAt: ZInstant.nullable(),
  lastSeq: z.number().int(),
  response: z.looseObject({ status: z.number().int(), headers: ZPairs, body: z.string(), contentType: z.string().nullable(), delayMs: z.number().int() }).nullable(),
  maxRequests: z.number().int(),
  retentionDays: z.number().int(),
  rateLimitPerMinute: z.number().int(),
  counters: z.object({ tooLarge: z.number().int(), incomplete: z.number().int(), rateLimited: z.number().int(), prunedByCount: z.number().int(), prunedByAge: z.number().int() }),
  forwards: z.array(ZForwardTargetJson),
});

export const ZTokenJson = z.looseObject({ id: z.string(), name: z.string() });
export const ZCreatedTokenJson = z.object({ id: z.string(), name: z.string(), token: z.string().describe("Shown once") }).strict();
