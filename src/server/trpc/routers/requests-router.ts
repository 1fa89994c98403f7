import { tracked } from "@trpc/server";
import { z } from "zod";
import { getBin } from "../../bins/bins-service";
import { clearBin, deleteRequest, getRequest, listRequests, ZListRequestsSchema } from "../../requests/requests-service";
import { getDecodedBody } from "../../requests/get-decoded-body";
import { streamCaptures } from "../../requests/stream-captures";
import type { Db } from "../../db/create-db";
import type { EventBus } from "../../events/event-bus";
import { shareSerialization } from "../shared-serialization";
import { protectedProcedure, router } from "../init";
import { countActive } from "../../observability/count-active";

const ZId = z.object({ id: z.string().min(1) });
export const BODY_PREVIEW_BYTES = 1024 * 1024;
const ZLiveInput = z.object({ binId: z.string().min(1), lastEventId: z.string().regex(/^\d+$/).nullish() });

/**
 * Checks ownership before the stream starts, so a foreign bin fails like every other door:
 * NOT_FOUND. Without lastEventId the stream starts at the bin's present, fixed before the client
 * is told the subscription started, so nothing captured after that moment can slip through.
 */
async function openCaptureStream(
  ctx: { db: Db; bus: EventBus; userId: string },
  input: z.infer<typeof ZLiveInput>,
  signal: AbortSignal | undefined,
) {
  const bin = await getBin(ctx.db, ctx.userId, { id: input.binId });
  const afterSeq = input.lastEventId == null ? bin.lastSeq : Number(input.lastEventId);
  return streamCaptures(ctx, { binId: input.binId, afterSeq, signal });
}

// Decoded bodies are for reading in a browser tab; beyond this the download is the way.
const DECODED_BODY_LIMIT = 32 * 1024 * 1024;

export const requestsRouter = router({
  list: protectedProcedure
    .input(ZListRequestsSchema.extend({ binId: z.string().min(1) }))
    .query(({ ctx, input }) => listRequests(ctx.db, ctx.userId, input.binId, input)),
  /**
   * The full record with the first BODY_PREVIEW_BYTES of the body, so a multi-MiB body shows at
   * once; `bodyComplete` false means the rest comes from GET /api/v1/requests/{id}/body.
   */
  byId: protectedProcedure.input(ZId).query(async ({ ctx, input }) => {
    const { body, ...record } = await getRequest(ctx.db, ctx.userId, input.id);
    const preview = body.subarray(0, BODY_PREVIEW_BYTES);
    return { ...record, bodyBase64: Buffer.from(preview).toString("base64"), bodyComplete: preview.byteLength === body.byteLength };
  }),
  /** The body with Content-Encoding (gzip, deflate, br) undone, for the inspector's views. */
  decodedBody: protectedProcedure.input(ZId).query(async ({ ctx, input }) => {
    const decoded = await getDecodedBody(ctx.db, ctx.userId, input.id, DECODED_BODY_LIMIT);
    if (decoded.status !== "decoded") return decoded;
    return { status: decoded.status, encoding: decoded.encoding, bodyBase64: Buffer.from(decoded.body).toString("base64") };
  }),
  delete: protectedProcedure.input(ZId).mutation(({ ctx, input }) => deleteRequest(ctx.db, ctx.userId, input.id)),
  /**
   * Live captures of one bin, one message per capture: `tracked(String(seq), summary)`.
   * `lastEventId` (the last seq the client saw; tRPC's wsLink resends it on reconnect) makes the
   * stream resume exactly where it stopped.
   */
  onCaptured: protectedProcedure.input(ZLiveInput).subscription(async ({ ctx, input, signal }) => {
    const batches = await openCaptureStream(ctx, input, signal);
    const { subscriptions, eventsDelivered } = ctx.metrics;
    return countActive(
      subscriptions,
      (async function* () {
        for await (const batch of batches) {
          for (const summary of batch) {
            eventsDelivered.inc();
            yield tracked(String(summary.seq), summary);
          }
        }
      })(),
    );
  }),
  /**
   * The same stream in batches: each message holds every capture since the previous one,
   * `tracked(String(lastSeq), summaries)`. What the dashboard uses: under load a subscriber gets
   * fewer, larger messages, and each summary is serialised once for all subscribers.
   */
  onCapturedBatch: protectedProcedure.input(ZLiveInput).subscription(async ({ ctx, input, signal }) => {
    const batches = await openCaptureStream(ctx, input, signal);
    const { subscriptions, eventsDelivered } = ctx.metrics;
    return countActive(
      subscriptions,
      (async function* () {
        for await (const batch of batches) {
          const lastSeq = batch.at(-1)?.seq;
          if (lastSeq === undefined) continue;
          eventsDelivered.inc(batch.length);
          yield tracked(String(lastSeq), shareSerialization(batch));
        }
      })(),
    );
  }),
  clear: protectedProcedure
    .input(z.object({ binId: z.string().min(1) }))
    .mutation(({ ctx, input }) => clearBin(ctx.db, ctx.userId, input.binId)),
});
