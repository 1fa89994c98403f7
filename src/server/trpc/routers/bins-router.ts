import { z } from "zod";
import { ZCreateBinSchema, ZUpdateBinSchema } from "../../bins/bin-schemas";
import { binLimitsFromEnv, createBin, deleteBin, getBin, listBins, updateBin } from "../../bins/bins-service";
import { streamBinActivity } from "../../bins/stream-bin-activity";
import { protectedProcedure, router } from "../init";
import { countActive } from "../../observability/count-active";
import { retryFailedDeliveries, setTargetPaused } from "../../delivery/forward-targets-service";

export const binsRouter = router({
  list: protectedProcedure.query(({ ctx }) => listBins(ctx.db, ctx.userId)),
  bySlug: protectedProcedure
    .input(z.object({ slug: z.string().min(1).max(64) }))
    .query(({ ctx, input }) => getBin(ctx.db, ctx.userId, { slug: input.slug })),
  create: protectedProcedure
    .input(ZCreateBinSchema)
    .mutation(({ ctx, input }) => createBin(ctx.db, ctx.userId, input, binLimitsFromEnv(ctx.env))),
  update: protectedProcedure
    .input(z.object({ id: z.string().min(1), patch: ZUpdateBinSchema }))
    .mutation(({ ctx, input }) => updateBin(ctx.db, ctx.userId, input.id, input.patch, binLimitsFromEnv(ctx.env), ctx.signatures.key)),
  /**
   * Captures into any of the user's bins, for live counts on the bins list. Not resumable: the
   * list refetches when the stream (re)starts, so a gap costs one query, not a wrong number.
   */
  // Activity is per bin, coalesced, not per capture: it counts as a subscription, not as events
  // delivered.
  onActivity: protectedProcedure.subscription(({ ctx, signal }) =>
    countActive(ctx.metrics.subscriptions, streamBinActivity(ctx.bus, ctx.userId, signal)),
  ),
  delete: protectedProcedure
    .input(z.object({ id: z.string().min(1) }))
    .mutation(({ ctx, input }) => deleteBin(ctx.db, ctx.userId, input.id)),
  /** Holds (or releases) one forward target's queue. */
  setForwardPaused: protectedProcedure
    .input(z.object({ binId: z.string().min(1), targetId: z.string().min(1), paused: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await setTargetPaused(ctx.db, ctx.userId, input.binId, input.targetId, input.paused);
      if (!input.paused) ctx.deliveries.kick({ release: true });
      return getBin(ctx.db, ctx.userId, { id: input.binId });
    }),
  /** Sends every failed delivery of the bin again. */
  retryFailed: protectedProcedure.input(z.object({ binId: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const result = await retryFailedDeliveries(ctx.db, ctx.userId, input.binId);
    ctx.deliveries.kick({ release: true });
    return result;
  }),
});
