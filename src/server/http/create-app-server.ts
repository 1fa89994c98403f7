import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import type { AppContext } from "../app-context";
import { createRestApp } from "../rest/rest-app";
import { createNodeCaptureHandler } from "../capture/node-capture-handler";
import { isCapturePath, parseCapturePath, type CaptureTarget } from "../capture/parse-capture-path";
import { classifyDatabaseError, createOutageLog, outageAnswer, type OutageLog } from "../db/database-outage";
import type { Logger } from "../observability/logger";
import {
  HEALTH_PATH,
  METRICS_PATH,
  READY_PATH,
  healthResponse,
  methodNotAllowed,
  metricsResponse,
  readinessResponse,
  type OpsResponse,
} from "../observability/ops-endpoints";
import { pathnameOf, requestIdFrom } from "../observability/request-id";
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

export interface AppServerOptions {
  upgradeFallback?: UpgradeHandler;
  ws?: WsServerOptions;
  /** Where request lines go; the app's logger unless a test reads them back. */
  logger?: Logger;
}

const KEEP_ALIVE_TIMEOUT_MS = 65_000;
// A request's headers must arrive within this (Node answers 408 and closes). Node 18+ starts the
// clock at the request's first byte, so idle keep-alive connections are not affected.
export const HEADERS_TIMEOUT_MS = 30_000;
// The whole request, however it trickles in. Bodies that stall are cut much sooner by
// BODY_IDLE_TIMEOUT_MS; this bounds a sender that keeps a body alive a byte at a time.
export const REQUEST_TIMEOUT_MS = 300_000;

const INTERNAL_ERROR = JSON.stringify({ error: { code: "INTERNAL", message: "Something went wrong on our side." } });
const CAPTURE_FAILED = JSON.stringify({ error: { code: "INTERNAL", message: "The request could not be stored." } });

function sendInternalError(res: ServerResponse, body: string) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { "content-type": "application/json" });
  res.end(body);
}

/** A failure the database caused (unreachable, disk full) gets its own answer; anything else a 500. */
function sendFailure(res: ServerResponse, body: string, outage: OutageLog, error: unknown): boolean {
  const failure = classifyDatabaseError(error);
  if (!failure) {
    sendInternalError(res, body);
    return false;
  }
  outage.failed(failure, error);
  if (res.headersSent) res.destroy();
  else {
    const answer = outageAnswer(failure);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }
  return true;
}

function elapsedMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 100) / 100;
}

/**
 * One line per request at its end: `{reqId, method, path, status, ms}` plus `err` when it failed.
 * The path never includes the query, and nothing here reads bodies, headers or cookies.
 */
function logCompletion(log: Logger, res: ServerResponse, startedAt: number, level: "info" | "debug", error: unknown) {
  const ms = elapsedMs(startedAt);
  // A response that never ended: the client went away first (or the socket was cut).
  const aborted = !res.writableEnded;
  const status = res.statusCode;
  if (error !== undefined) log.error({ status, ms, err: error }, "request failed");
  else if (status >= 500) log.error({ status, ms }, "request failed");
  else if (aborted) log[level]({ status, ms, aborted }, "request aborted");
  else log[level]({ status, ms }, "request completed");
}

/**
 * The one HTTP server of a WebhookDump process: capture paths go straight to the capture service
 * (any method, raw headers, no framework overhead), /api/v1 to the REST API, the operations
 * endpoints (/api/health, /api/ready, /metrics) to their services, so probes and scrapes stay cheap
 * and answer while Next is busy; WebSocket upgrades on the tRPC path go to the subscription server;
 * everything else goes to `fallback` / `upgradeFallback` (Next.js).
 *
 * Every request gets an id (a sane incoming X-Request-Id, else a UUID), echoed as X-Request-Id
 * and carried by its log line.
 */
export function createAppServer(app: AppContext, fallback: RequestHandler, options: AppServerOptions = {}): AppServer {
  const logger = options.logger ?? app.logger;
  const ws = createWsServer(app, { logger, ...options.ws });
  const capture = createNodeCaptureHandler(
    app.capture,
    { maxBodyBytes: app.env.MAX_BODY_BYTES, trustProxy: app.env.TRUST_PROXY, bodyIdleTimeoutMs: app.env.BODY_IDLE_TIMEOUT_MS },
    { metrics: app.metrics },
  );
  // The REST API is a framework-free fetch handler: served here directly, it skips Next's routing
  // and route-handler runtime (the Next route under /api/v1 stays for plain `next` runs).
  const outage = createOutageLog(logger);
  const rest = getRequestListener(createRestApp(() => app, { outage }).fetch, { overrideGlobalObjects: false });
  const inFlight = new Set<Promise<void>>();

  const ops = (pathname: string, req: IncomingMessage, log: Logger): Promise<OpsResponse> | undefined => {
    if (pathname !== HEALTH_PATH && pathname !== READY_PATH && pathname !== METRICS_PATH) return undefined;
    if (req.method !== "GET" && req.method !== "HEAD") return Promise.resolve(methodNotAllowed());
    if (pathname === HEALTH_PATH) return healthResponse(app);
    if (pathname === READY_PATH) return readinessResponse(app, log);
    return metricsResponse(app, req.headers.authorization);
  };

  // Captures: thousands a second, counted in metrics, so their line is at debug, and nothing for
  // it is allocated unless debug is on. No listener either: the handler's promise is the end.
  function handleCapture(req: IncomingMessage, res: ServerResponse, url: string, target: CaptureTarget, startedAt: number) {
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    const work: Promise<void> = capture(req, res, target, requestId, startedAt).then(
      () => {
        inFlight.delete(work);
        outage.succeeded();
        if (logger.isLevelEnabled("debug")) {
          logCompletion(logger.child({ reqId: requestId, method: req.method, path: pathnameOf(url) }), res, startedAt, "debug", undefined);
        }
      },
      (error: unknown) => {
        inFlight.delete(work);
        // An outage is logged once by the outage log, not once per refused capture.
        if (sendFailure(res, CAPTURE_FAILED, outage, error)) return;
        logCompletion(logger.child({ reqId: requestId, method: req.method, path: pathnameOf(url) }), res, startedAt, "debug", error);
      },
    );
    inFlight.add(work);
  }

  const server = http.createServer(
    {
      // Idle keep-alive connections outlive a load balancer's (nginx, ALB: 60 s): otherwise the
      // balancer can reuse a socket at the moment Node closes it after its default 5 s, and the
      // sender gets a 502 or a reset for a webhook that never reached us.
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // How often Node checks the two limits above (default 30 s, which let stalled headers live
      // for up to a minute).
      connectionsCheckingInterval: 2_000,
    },
    (req, res) => {
      const startedAt = performance.now();
      const url = req.url ?? "/";
      const target = isCapturePath(url) ? parseCapturePath(url) : null;
      if (target) {
        handleCapture(req, res, url, target, startedAt);
        return;
      }

      const requestId = requestIdFrom(req.headers["x-request-id"]);
      const pathname = pathnameOf(url);
      const log = logger.child({ reqId: requestId, method: req.method, path: pathname });
      let failure: unknown;
      res.setHeader("x-request-id", requestId);
      // "close" comes once, whether the response finished or the client went away first.
      res.once("close", () => logCompletion(log, res, startedAt, "info", failure));
      const fail = (error: unknown) => {
        failure = error;
        sendInternalError(res, INTERNAL_ERROR);
      };

      const opsAnswer = ops(pathname, req, log);
      if (opsAnswer) {
        void opsAnswer.then((answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(req.method === "HEAD" ? undefined : answer.body);
        }, fail);
        return;
      }
      if (url.startsWith("/api/v1/")) {
        void rest(req, res).catch(fail);
        return;
      }
      try {
        void Promise.resolve(fallback(req, res)).catch(fail);
      } catch (error) {
        // A handler that throws before returning its promise must not take the process down.
        fail(error);
      }
    },
  );

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (ws.handleUpgrade(req, socket, head, requestIdFrom(req.headers["x-request-id"]))) return;
    if (options.upgradeFallback) {
      void Promise.resolve(options.upgradeFallback(req, socket, head)).catch((error: unknown) => {
        logger.error({ path: pathnameOf(req.url ?? "/"), err: error }, "upgrade failed");
        socket.destroy();
      });
    } else socket.destroy();
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
