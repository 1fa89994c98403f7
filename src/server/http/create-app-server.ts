import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import type { AppContext } from "../app-context";
import { createRestApp } from "../rest/rest-app";
import { createNodeCaptureHandler } from "../capture/node-capture-handler";
import { isCapturePath, parseCapturePath } from "../capture/parse-capture-path";
import { createWsServer, type WsServerOptions } from "../ws/create-ws-server";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;

export interface AppServer {
  server: http.Server;
  /** Resolves with the bound port (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, lets in-flight captures commit, then closes connections. */
  close(): Promise<void>;
}

/**
 * The one HTTP server of a WebhookDump process: capture paths go straight to the capture service
 * (any method, raw headers, no framework overhead), /api/v1 to the REST API; WebSocket upgrades on the tRPC path go to the
 * subscription server; everything else goes to `fallback` / `upgradeFallback` (Next.js).
 */
export function createAppServer(
  app: AppContext,
  fallback: RequestHandler,
  options: { upgradeFallback?: UpgradeHandler; ws?: WsServerOptions } = {},
): AppServer {
  const ws = createWsServer(app, options.ws);
  const capture = createNodeCaptureHandler(app.capture, {
    maxBodyBytes: app.env.MAX_BODY_BYTES,
    trustProxy: app.env.TRUST_PROXY,
  });
  // The REST API is a framework-free fetch handler: served here directly, it skips Next's routing
  // and route-handler runtime (the Next route under /api/v1 stays for plain `next` runs).
  const rest = getRequestListener(createRestApp(() => app).fetch, { overrideGlobalObjects: false });
  const inFlight = new Set<Promise<void>>();

  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith("/api/v1/")) {
      void rest(req, res).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    const target = isCapturePath(url) ? parseCapturePath(url) : null;
    if (!target) {
      void Promise.resolve(fallback(req, res)).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    const work = capture(req, res, target)
      .catch((error: unknown) => {
        console.error("capture failed", error);
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { code: "INTERNAL", message: "The request could not be stored." } }));
        }
      })
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (ws.handleUpgrade(req, socket, head)) return;
    if (options.upgradeFallback) void options.upgradeFallback(req, socket, head);
    else socket.destroy();
  });

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      });
    },
    async close() {
      await ws.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      server.closeIdleConnections();
      // Whatever is still open now is an idle keep-alive or a stalled upload; do not wait on it.
      const timer = setTimeout(() => server.closeAllConnections(), 2_000);
      await closed;
      clearTimeout(timer);
    },
  };
}
