import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { WebSocketServer } from "ws";
import type { AppContext } from "../app-context";
import { appRouter } from "../trpc/app-router";
import { createTrpcContext } from "../trpc/context";
import { sharedJsonEncoder } from "../trpc/shared-serialization";

export const TRPC_WS_PATH = "/api/trpc-ws";

export interface WsServerOptions {
  /** A client whose unsent backlog passes this is cut off; it reconnects and resumes from the database. */
  maxBufferedBytes?: number;
  pingMs?: number;
}

function nodeHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/**
 * Browsers send cookies with cross-site WebSocket handshakes (no CORS here), so a session cookie
 * only counts when the page that opened the socket is on our own origin.
 */
function isSameOrigin(headers: Headers, appUrl: string | undefined): boolean {
  const origin = headers.get("origin");
  if (!origin) return true;
  try {
    const originHost = new URL(origin).host;
    return originHost === headers.get("host") || (appUrl !== undefined && originHost === new URL(appUrl).host);
  } catch {
    return false;
  }
}

/** tRPC over WebSocket on TRPC_WS_PATH; the HTTP server hands it upgrade requests. */
export function createWsServer(app: AppContext, options: WsServerOptions = {}) {
  const maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req, info }) => {
      const headers = nodeHeaders(req);
      if (!isSameOrigin(headers, app.env.APP_URL)) headers.delete("cookie");
      const token = info.connectionParams?.token;
      return createTrpcContext(app, { headers, connectionToken: typeof token === "string" && token ? token : null });
    },
    keepAlive: { enabled: true, pingMs: options.pingMs ?? 30_000, pongWaitMs: 10_000 },
    experimental_encoder: sharedJsonEncoder,
  });
  const guard = setInterval(() => {
    for (const client of wss.clients) if (client.bufferedAmount > maxBufferedBytes) client.terminate();
  }, 1_000);
  guard.unref();

  return {
    wss,
    /** Takes the upgrade when it is for the tRPC endpoint; returns false to let someone else have it. */
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
      if (new URL(req.url ?? "/", "http://localhost").pathname !== TRPC_WS_PATH) return false;
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
      return true;
    },
    /** Tells every client to reconnect (they resume with lastEventId), then closes. */
    async close() {
      clearInterval(guard);
      handler.broadcastReconnectNotification();
      for (const client of wss.clients) client.close(1012, "server restarting");
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export type WsServer = ReturnType<typeof createWsServer>;
