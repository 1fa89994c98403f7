import { tracked, type TrackedEnvelope } from "@trpc/server";
import { z } from "zod";
import { getBin } from "../../bins/bins-service";
import { clearBin, deleteRequest, getRequest, listRequests, ZListRequestsSchema } from "../../requests/requests-service";
import { getDecodedBody } from "../../requests/get-decoded-body";
import { streamCaptures } from "../../requests/stream-captures";
import { followCaptures } from "../../requests/follow-captures";
import { sendTracked, writtenDirectly, type DirectSubscription } from "../direct-subscriptions";
import type { Db } from "../../db/create-db";
import type { CaptureSummary, EventBus } from "../../events/event-bus";
import type { Metrics } from "../../observability/metrics";
import { shareSerialization } from "../shared-serialization";
import { liveProcedure, protectedProcedure, router } from "../init";
import { countActive } from "../../observability/count-active";
import { listAttempts } from "../../delivery/attempts-store";
import { replayRequest, ZReplayInputSchema } from "../../delivery/replay-request";
import { streamAttempts } from "../../delivery/stream-attempts";
import { reportCliAttempt, ZCliAttemptSchema } from "../../delivery/report-cli-attempt";
import { toVerdict } from "../../signatures/signature-verdicts";
import { listRequestsWithSignatures, ZSignatureFilterSchema } from "../../signatures/list-requests-with-signatures";

const ZId = z.object({ id: z.string().min(1) });
export const BODY_PREVIEW_BYTES = 1024 * 1024;
const ZLiveInput = z.object({ binId: z.string().min(1), lastEventId: z.string().regex(/^\d+$/).nullish() });

/**
 * Checks ownership before the stream starts, so a foreign bin fails like every other door:
 * NOT_FOUND. Without lastEventId the stream starts at the bin's present, fixed before the client
 * is told the subscription started, so nothing captured after that moment can slip through.
 */
async function startOfStream(ctx: { db: Db; userId: string }, input: z.infer<typeof ZLiveInput>) {
  const bin = await getBin(ctx.db, ctx.userId, { id: input.binId });
  return { binId: input.binId, afterSeq: input.lastEventId == null ? bin.lastSeq : Number(input.lastEventId) };
}

/**
 * A bin's live captures as tRPC messages, `messagesOf` turning each batch into its
 * `tracked(id, data)` messages: written straight to the socket over WebSocket (see
 * direct-subscriptions), yielded through tRPC otherwise.
 */
async function liveCaptures<T extends object>(
  ctx: { db: Db; bus: EventBus; userId: string; metrics: Metrics; direct: DirectSubscription | null },
  input: z.infer<typeof ZLiveInput>,
  signal: AbortSignal | undefined,
  messagesOf: (batch: readonly CaptureSummary[]) => (readonly [string, T])[],
): Promise<AsyncGenerator<TrackedEnvelope<T>>> {
  const start = await startOfStream(ctx, input);
  const { subscriptions, eventsDelivered } = ctx.metrics;
  const { direct } = ctx;
  if (direct && signal) {
    return countActive(
      subscriptions,
      writtenDirectly(() =>
        followCaptures(ctx, { ...start, signal }, (batch) => {
          eventsDelivered.inc(batch.length);
          for (const [id, data] of messagesOf(batch)) sendTracked(direct, id, data);
        }),
      ),
    );
  }
  return countActive(
    subscriptions,
    (async function* () {
      for await (const batch of streamCaptures(ctx, { ...start, signal })) {
        eventsDelivered.inc(batch.length);
        for (const [id, data] of messagesOf(batch)) yield tracked(id, data);
      }
    })(),
  );
}

// Decoded bodies are for reading in a browser tab; beyond this the download is the way.
const DECODED_BODY_LIMIT = 32 * 1024 * 1024;

export const requestsRouter = router({
  list: protectedProcedure
    .input(ZListRequestsSchema.extend({ binId: z.string().min(1), signature: ZSignatureFilterSchema.optional() }))
    .query(({ ctx, input }) => listRequestsWithSignatures(ctx, ctx.userId, input.binId, input, input.signature)),
  /**
   * The full record with the first BODY_PREVIEW_BYTES of the body, so a multi-MiB body shows at
   * once; `bodyComplete` false means the rest comes from GET /api/v1/requests/{id}/body.
   */
  byId: protectedProcedure.input(ZId).query(async ({ ctx, input }) => {
    const full = await getRequest(ctx.db, ctx.userId, input.id);
    const bin = await ctx.signatures.forBin(full.binId);
    // The inspector's full account: recipe, received, expected prefix, age.
    const signature = bin ? ctx.signatures.judge(full, bin) : null;
    const { body, ...record } = full;
    const preview = body.subarray(0, BODY_PREVIEW_BYTES);
    return { ...record, bodyBase64: Buffer.from(preview).toString("base64"), bodyComplete: preview.byteLength === body.byteLength, signature };
  }),
  /** Just the verdict, for list rows that arrived live (events carry none). */
  signature: protectedProcedure.input(ZId).query(async ({ ctx, input }) => {
    const full = await getRequest(ctx.db, ctx.userId, input.id);
    const bin = await ctx.signatures.forBin(full.binId);
    return bin ? toVerdict(ctx.signatures.judge(full, bin)) : null;
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
  onCaptured: liveProcedure
    .input(ZLiveInput)
    .subscription(({ ctx, input, signal }) =>
      liveCaptures(ctx, input, signal, (batch) => batch.map((summary) => [String(summary.seq), summary] as const)),
    ),
  /**
   * The same stream in batches: each message holds every capture since the previous one,
   * `tracked(String(lastSeq), summaries)`. What the dashboard uses: under load a subscriber gets
   * fewer, larger messages, and each batch is encoded once for all subscribers.
   */
  onCapturedBatch: liveProcedure
    .input(ZLiveInput)
    .subscription(({ ctx, input, signal }) =>
      liveCaptures(ctx, input, signal, (batch) => [[String(batch.at(-1)?.seq ?? 0), shareSerialization(batch)] as const]),
    ),
  clear: protectedProcedure
    .input(z.object({ binId: z.string().min(1) }))
    .mutation(({ ctx, input }) => clearBin(ctx.db, ctx.userId, input.binId)),
  /** Sends the stored request to a URL now; the attempt, with what the target answered. */
  replay: protectedProcedure
    .input(z.object({ id: z.string().min(1), replay: ZReplayInputSchema }))
    .mutation(({ ctx, input }) => replayRequest({ db: ctx.db, ...ctx.delivery }, ctx.userId, input.id, input.replay)),
  /** A delivery the CLI made from the user's machine, recorded as an attempt with trigger "cli". */
  reportAttempt: protectedProcedure
    .input(z.object({ id: z.string().min(1), attempt: ZCliAttemptSchema }))
    .mutation(({ ctx, input }) => reportCliAttempt({ db: ctx.db, events: ctx.delivery.events }, ctx.userId, input.id, input.attempt)),
  /** Every attempt to send the request anywhere, oldest first. */
  attempts: protectedProcedure.input(ZId).query(async ({ ctx, input }) => {
    await getRequest(ctx.db, ctx.userId, input.id);
    return listAttempts(ctx.db, input.id);
  }),
  /** The request's attempts as they happen (replays, auto-forwards, retries, the CLI), resumable by attempt id. */
  onAttempt: protectedProcedure
    .input(ZId.extend({ lastEventId: z.string().max(100).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      await getRequest(ctx.db, ctx.userId, input.id);
      for await (const attempt of streamAttempts({ db: ctx.db, events: ctx.delivery.events }, input.id, input.lastEventId ?? null, signal)) {
        yield tracked(attempt.id, attempt);
      }
    }),
});
