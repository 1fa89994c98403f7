import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getAppContext } from "~/server/app-context";
import { appRouter } from "~/server/trpc/app-router";
import { createTrpcContext } from "~/server/trpc/context";

export const dynamic = "force-dynamic";

const handle = async (req: Request) => {
  const app = await getAppContext();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTrpcContext(app, { headers: req.headers }),
  });
};
export { handle as GET, handle as POST };
