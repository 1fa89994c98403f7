import { z } from "zod";
import { buildOutgoingRequest, OutgoingRequestError, parseHostMode } from "~/lib/outgoing-request";
import type { Db } from "../db/create-db";
import { AppError } from "../errors";
import { getRequest } from "../requests/requests-service";
import type { AttemptEvents } from "./attempt-events";
import { nextAttemptNumber, recordAttempt, type AttemptJson } from "./attempts-store";
import { sendRequest, type EgressPolicy } from "./egress";
import { ZHeaderNameSchema, ZHeaderPairsSchema, ZHostSchema, ZPathModeSchema, ZTargetUrlSchema } from "./forward-target-schemas";

export const ZReplayInputSchema = z
  .object({
    url: ZTargetUrlSchema,
    pathMode: ZPathModeSchema.default("append"),
    host: ZHostSchema.default("target"),
    headers: ZHeaderPairsSchema.default([]),
    removeHeaders: z.array(ZHeaderNameSchema).max(50).default([]),
    /** A replacement body, base64; the attempt is then marked `modified`. */
    body: z.base64("body must be base64").optional(),
    allowTruncated: z.boolean().default(false),
    timeoutMs: z.number().int().min(1000).max(60_000).default(30_000),
  })
  .strict();
export type TReplayInput = z.infer<typeof ZReplayInputSchema>;

export interface ReplayDeps {
  db: Db;
  policy: EgressPolicy;
  events: AttemptEvents;
}

/** Sends one stored request to a URL now, records the attempt and returns it. */
export async function replayRequest(deps: ReplayDeps, userId: string, requestId: string, input: TReplayInput): Promise<AttemptJson> {
  const record = await getRequest(deps.db, userId, requestId);
  const body = input.body === undefined ? undefined : new Uint8Array(Buffer.from(input.body, "base64"));
  const modified = body !== undefined || input.headers.length > 0 || input.removeHeaders.length > 0;
  let outgoing;
  try {
    outgoing = buildOutgoingRequest(record, {
      url: input.url,
      pathMode: input.pathMode,
      host: parseHostMode(input.host),
      headers: input.headers,
      removeHeaders: input.removeHeaders,
      body,
      allowTruncated: input.allowTruncated,
    });
  } catch (error) {
    if (error instanceof OutgoingRequestError) {
      const field = error.code === "truncated" ? "allowTruncated" : error.code === "invalid_url" ? "url" : "headers";
      throw new AppError("BAD_REQUEST", error.message, field);
    }
    throw error;
  }
  const outcome = await sendRequest(outgoing, { policy: deps.policy, totalTimeoutMs: input.timeoutMs });
  const attempt = await recordAttempt(deps.db, {
    requestId,
    binId: record.binId,
    trigger: "manual",
    attempt: await nextAttemptNumber(deps.db, requestId, ["manual"]),
    modified,
    outcome,
  });
  deps.events.publish(attempt);
  return attempt;
}
