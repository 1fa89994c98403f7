// Capture adapter for runs under plain `next`. Under `npm start`, ws-server.ts answers capture
// paths itself and this file is never reached (Next refuses extension methods such as PROPFIND).
import { getAppContext } from "~/server/app-context";
import { createFetchCaptureHandler } from "~/server/capture/fetch-capture-handler";

export const dynamic = "force-dynamic";

// Built on the first capture (not at import: `next build` loads this module without a database).
let handler: ((request: Request) => Promise<Response>) | undefined;
const handle = async (request: Request) => {
  if (!handler) {
    const app = await getAppContext();
    handler ??= createFetchCaptureHandler(
      app.capture,
      { maxBodyBytes: app.env.MAX_BODY_BYTES, trustProxy: app.env.TRUST_PROXY },
      { metrics: app.metrics },
    );
  }
  return handler(request);
};
export { handle as GET, handle as HEAD, handle as POST, handle as PUT, handle as PATCH, handle as DELETE, handle as OPTIONS };
