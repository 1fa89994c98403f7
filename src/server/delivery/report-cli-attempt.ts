import { z } from "zod";
import type { Db } from "../db/create-db";
import { getRequest } from "../requests/requests-service";
import type { AttemptEvents } from "./attempt-events";
import { ATTEMPT_ERROR_CODES, nextAttemptNumber, recordAttempt, type AttemptJson } from "./attempts-store";
import { ZTargetUrlSchema } from "./forward-target-schemas";

export const MAX_REPORTED_BODY_BYTES = 1024 * 1024;
// Base64 of MAX_REPORTED_BODY_BYTES bytes, padding included.
const MAX_REPORTED_BODY_BASE64 = Math.ceil(MAX_REPORTED_BODY_BYTES / 3) * 4;

function decodedLength(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

/** What the CLI reports about one delivery it made from the user's machine. */
export const ZCliAttemptSchema = z
  .object({
    url: ZTargetUrlSchema,
    startedAt: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time with a zone" }),
    durationMs: z.number().min(0).max(24 * 3600 * 1000),
    /** null when no response came (see error). */
    status: z.number().int().min(100).max(999).nullable(),
    /** The response's headers in order; the request's overrides are not this. */
    headers: z.array(z.tuple([z.string().max(256), z.string().max(8192)])).max(200, "At most 200 headers"),
    bodyBase64: z
      .base64("must be base64")
      .max(MAX_REPORTED_BODY_BASE64, `must hold at most ${MAX_REPORTED_BODY_BYTES} bytes`)
      .refine((text) => decodedLength(text) <= MAX_REPORTED_BODY_BYTES, `must hold at most ${MAX_REPORTED_BODY_BYTES} bytes`),
    bodyTruncated: z.boolean(),
    error: z.object({ code: z.enum(ATTEMPT_ERROR_CODES), message: z.string().max(2000) }).strict().nullable(),
    ip: z.string().max(64).nullable().default(null),
    /** The CLI sent the request with changed headers (-H, --drop-header). */
    modified: z.boolean().default(false),
  })
  .strict()
  .refine((a) => a.status !== null || a.error !== null, { message: "give the status, or the error when no response came", path: ["status"] });
export type TCliAttempt = z.infer<typeof ZCliAttemptSchema>;

/** Records a delivery the CLI made as an attempt with trigger "cli" and tells open inspectors. */
export async function reportCliAttempt(deps: { db: Db; events: AttemptEvents }, userId: string, requestId: string, input: TCliAttempt): Promise<AttemptJson> {
  const record = await getRequest(deps.db, userId, requestId);
  const attempt = await recordAttempt(deps.db, {
    requestId,
    binId: record.binId,
    trigger: "cli",
    attempt: await nextAttemptNumber(deps.db, requestId, ["cli"]),
    modified: input.modified,
    outcome: {
      url: input.url,
      ip: input.ip,
      startedAt: new Date(input.startedAt),
      durationMs: input.durationMs,
      status: input.status,
      headers: input.headers,
      body: new Uint8Array(Buffer.from(input.bodyBase64, "base64")),
      bodyTruncated: input.bodyTruncated,
      error: input.error,
    },
  });
  deps.events.publish(attempt);
  return attempt;
}
