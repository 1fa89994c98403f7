import type { WebSocket } from "ws";
import type { AppContext } from "../app-context";
import { resolvePrincipal } from "../auth/resolve-user";

/**
 * One context for HTTP and WebSocket: the user comes from the session cookie or an API token
 * (Authorization header, or connectionParams.token over WebSocket).
 */
export async function createTrpcContext(
  app: AppContext,
  opts: { headers: Headers; connectionToken?: string | null; socket?: WebSocket | null },
) {
  const principal = await resolvePrincipal(app, opts.headers, opts.connectionToken);
  return {
    db: app.db,
    bus: app.bus,
    env: app.env,
    signatures: app.signatures,
    metrics: app.metrics,
    /** What replays need: where they may go and who to tell. */
    delivery: { policy: app.egressPolicy, events: app.attemptEvents },
    deliveries: app.deliveries,
    userId: principal?.userId ?? null,
    authVia: principal?.via ?? null,
    /** The connection, when the call came over WebSocket (see direct-subscriptions). */
    socket: opts.socket ?? null,
  };
}

export type TrpcContext = Awaited<ReturnType<typeof createTrpcContext>>;
