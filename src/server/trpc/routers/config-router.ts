import { publicProcedure, router } from "../init";

export const configRouter = router({
  /** Instance settings the dashboard shows; nothing secret. */
  get: publicProcedure.query(({ ctx }) => ({
    captureBaseUrl: ctx.env.CAPTURE_BASE_URL ?? ctx.env.APP_URL ?? null,
    maxBodyBytes: ctx.env.MAX_BODY_BYTES,
    maxRequestsPerBin: ctx.env.MAX_REQUESTS_PER_BIN,
    rateLimitPerBin: ctx.env.RATE_LIMIT_PER_BIN,
    rateLimitPerIp: ctx.env.RATE_LIMIT_PER_IP,
    maxBinsPerUser: ctx.env.MAX_BINS_PER_USER,
  })),
});
