import { z } from "zod";
import { clearBin, deleteRequest, getRequest, listRequests, ZListRequestsSchema } from "../../requests/requests-service";
import { protectedProcedure, router } from "../init";

const ZId = z.object({ id: z.string().min(1) });

export const requestsRouter = router({
  list: protectedProcedure
    .input(ZListRequestsSchema.extend({ binId: z.string().min(1) }))
    .query(({ ctx, input }) => listRequests(ctx.db, ctx.userId, input.binId, input)),
  byId: protectedProcedure.input(ZId).query(async ({ ctx, input }) => {
    const { body, ...record } = await getRequest(ctx.db, ctx.userId, input.id);
    return { ...record, bodyBase64: Buffer.from(body).toString("base64") };
  }),
  delete: protectedProcedure.input(ZId).mutation(({ ctx, input }) => deleteRequest(ctx.db, ctx.userId, input.id)),
  clear: protectedProcedure
    .input(z.object({ binId: z.string().min(1) }))
    .mutation(({ ctx, input }) => clearBin(ctx.db, ctx.userId, input.binId)),
});
