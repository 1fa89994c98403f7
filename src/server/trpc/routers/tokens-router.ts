import { z } from "zod";
import { createApiToken, listApiTokens, revokeApiToken, ZCreateTokenSchema } from "../../tokens/tokens-service";
import { protectedProcedure, router, sessionProcedure } from "../init";

export const tokensRouter = router({
  list: protectedProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.userId)),
  create: sessionProcedure.input(ZCreateTokenSchema).mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.userId, input)),
  revoke: protectedProcedure
    .input(z.object({ id: z.string().min(1) }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.userId, input.id)),
});
