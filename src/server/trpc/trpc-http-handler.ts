import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { AppContext } from "../app-context";
import { crossSiteResponse, isCrossSiteWrite, isJsonContentType, unsupportedMediaTypeResponse } from "../http/same-origin";
import { appRouter } from "./app-router";
import { createTrpcContext } from "./context";

export const TRPC_HTTP_ENDPOINT = "/api/trpc";

/**
 * tRPC over HTTP (queries as GET, mutations as POST), for Next's /api/trpc route and the tests.
 * Mutations must be JSON, as tRPC's own client sends them: a form or text/plain post (which a page
 * on another site can send without a preflight) is refused before tRPC parses anything.
 */
export function handleTrpcHttp(app: AppContext, request: Request): Promise<Response> {
  const { headers } = request;
  if (isCrossSiteWrite(request.method, headers, { appUrl: app.env.APP_URL, trustProxy: app.env.TRUST_PROXY })) {
    return Promise.resolve(crossSiteResponse());
  }
  if (request.method === "POST" && !isJsonContentType(headers)) return Promise.resolve(unsupportedMediaTypeResponse());
  return fetchRequestHandler({
    endpoint: TRPC_HTTP_ENDPOINT,
    req: request,
    router: appRouter,
    createContext: () => createTrpcContext(app, { headers }),
  });
}
