import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { WebSocketServer, type WebSocket } from "ws";
import type { AppContext } from "../app-context";
import { requestSource } from "../http/same-origin";
import type { Logger } from "../observability/logger";
import { pathnameOf, requestIdFrom } from "../observability/request-id";
import { appRouter } from "../trpc/app-router";
import { createTrpcContext } from "../trpc/context";
import { stampSubscriptionRequests } from "../trpc/direct-subscriptions";
import { sharedJsonEncoder } from "../trpc/shared-serialization";

export const TRPC_WS_PATH = "/api/trpc-ws";

export interface WsServerOptions {
  /** A client whose unsent backlog passes this is cut off; it reconnects and resumes from the database. */
  maxBufferedBytes?: number;
  pingMs?: number;
  /** Defaults to the app's logger. */
  logger?: Logger;
}

function nodeHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** tRPC over WebSocket on TRPC_WS_PATH; the HTTP server hands it upgrade requests. */
export function createWsServer(app: AppContext, options: WsServerOptions = {}) {
  const maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  const logger = options.logger ?? app.logger;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  // The id the app server gave each upgrade request, so procedure errors name their connection.
  const requestIds = new WeakMap<IncomingMessage, string>();
  const requestIdOf = (req: IncomingMessage) => requestIds.get(req) ?? "";

  wss.on("headers", (headers: string[], req: IncomingMessage) => {
    const id = requestIds.get(req);
    if (id) headers.push(`X-Request-Id: ${id}`);
  });
  wss.on("connection", (client: WebSocket, req: IncomingMessage) => {
    const openedAt = performance.now();
    app.metrics.wsConnections.inc();
    client.once("close", (code: number) => {
      app.metrics.wsConnections.dec();
      // The connection's one line, at its end, like an HTTP request's.
      logger.info(
        { reqId: requestIdOf(req), method: req.method, path: pathnameOf(req.url ?? "/"), status: 101, ms: Math.round(performance.now() - openedAt), code },
        "websocket closed",
      );
    });
  });
  wss.on("error", (error) => logger.error({ err: error }, "websocket server error"));

  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req, res, info }) => {
      const headers = nodeHeaders(req);
      // Browsers send cookies with cross-site WebSocket handshakes (no CORS here), so a session
      // cookie only counts when the page that opened the socket is on our own origin.
      if (requestSource(headers, { appUrl: app.env.APP_URL, trustProxy: app.env.TRUST_PROXY }) === "cross-site") headers.delete("cookie");
      const token = info.connectionParams?.token;
      return createTrpcContext(app, { headers, connectionToken: typeof token === "string" && token ? token : null, socket: res });
    },
    keepAlive: { enabled: true, pingMs: options.pingMs ?? 30_000, pongWaitMs: 10_000 },
    experimental_encoder: {
      encode: sharedJsonEncoder.encode,
      decode: (data) => stampSubscriptionRequests(sharedJsonEncoder.decode(data)),
    },
    onError: ({ error, req, path, type }) => {
      const fields = { reqId: requestIdOf(req), procedure: path ?? null, type, code: error.code, err: error };
      // Socket errors arrive here too (tRPC wraps them as INTERNAL_SERVER_ERROR). Refusals (not
      // signed in, not found, bad input) are the client's business, not a fault here.
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error(fields, "websocket procedure failed");
      else logger.debug(fields, "websocket procedure refused");
    },
  });
  const guard = setInterval(() => {
    for (const client of wss.clients) if (client.bufferedAmount > maxBufferedBytes) client.terminate();
  }, 1_000);
  guard.unref();

  return {
    wss,
    /** Takes the upgrade when it is for the tRPC endpoint; returns false to let someone else have it. */
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, requestId = requestIdFrom(req.headers["x-request-id"])): boolean {
      if (new URL(req.url ?? "/", "http://localhost").pathname !== TRPC_WS_PATH) return false;
      requestIds.set(req, requestId);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
      return true;
    },
    /** Tells every client to reconnect (they resume with lastEventId), then closes. */
    async close() {
      clearInterval(guard);
      handler.broadcastReconnectNotification();
      for (const client of wss.clients) client.close(1012, "server restarting");
      // A closing handshake waits for the peer's answer (30 s by default); a client that is gone
      // or stalled must not hold the shutdown, so whatever is left after a second is cut.
      const cut = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, 1_000);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      clearTimeout(cut);
    },
  };
}

export type WsServer = ReturnType<typeof createWsServer>;
