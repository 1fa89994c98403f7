import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import superjson from "superjson";
import WebSocket from "ws";
import type { AppRouter } from "~/server/trpc/app-router";

/** A real tRPC WebSocket client, authenticated like a browser (cookie) or a script (token). */
export function connectWs(baseUrl: string, auth: { cookie?: string; token?: string; origin?: string } = {}) {
  // Node 20 has no global WebSocket; `ws` also lets the handshake carry the session cookie.
  class AuthenticatedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      const headers: Record<string, string> = {};
      if (auth.cookie) headers.cookie = auth.cookie;
      if (auth.origin) headers.origin = auth.origin;
      super(url, protocols, { headers });
    }
  }
  const wsClient = createWSClient({
    url: `${baseUrl.replace(/^http/, "ws")}/api/trpc-ws`,
    WebSocket: AuthenticatedWebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: auth.token ? { token: auth.token } : undefined,
    retryDelayMs: () => 50,
  });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient, transformer: superjson })] });
  return { client, wsClient, close: () => wsClient.close() };
}
