import { router } from "./init";
import { binsRouter } from "./routers/bins-router";
import { configRouter } from "./routers/config-router";
import { requestsRouter } from "./routers/requests-router";
import { tokensRouter } from "./routers/tokens-router";

export const appRouter = router({
  bins: binsRouter,
  requests: requestsRouter,
  tokens: tokensRouter,
  config: configRouter,
});

export type AppRouter = typeof appRouter;
