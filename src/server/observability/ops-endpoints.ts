import type { AppContext } from "../app-context";
import { checkHealth } from "../health/check-health";
import { checkReadiness, type Readiness } from "../health/check-readiness";
import { authorizeMetrics } from "./authorize-metrics";
import type { Logger } from "./logger";

/** A transport-free answer: the Node server writes it directly, Next route files wrap it in a Response. */
export interface OpsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const HEALTH_PATH = "/api/health";
export const READY_PATH = "/api/ready";
export const METRICS_PATH = "/metrics";

// Probes and scrapes must always see the present state, never a cached one.
const NO_STORE = "no-store";

function json(status: number, body: unknown, extra: Record<string, string> = {}): OpsResponse {
  return { status, headers: { "content-type": "application/json", "cache-control": NO_STORE, ...extra }, body: JSON.stringify(body) };
}

/** Liveness: the process answers (and, as it always has, the database with it). */
export async function healthResponse(app: AppContext): Promise<OpsResponse> {
  const health = await checkHealth(app.db);
  return health.ok ? json(200, { status: "ok" }) : json(503, { status: "error", error: "database unavailable" });
}

// Probes from several load balancers (or a client hammering an open endpoint) share one check in
// progress instead of queueing a SELECT 1 each behind a database that is already slow.
const readinessInFlight = new WeakMap<AppContext, Promise<Readiness>>();

/** Readiness: 200 when the database and the bus work, 503 naming what does not. */
export async function readinessResponse(app: AppContext, logger: Logger = app.logger): Promise<OpsResponse> {
  let pending = readinessInFlight.get(app);
  if (!pending) {
    pending = checkReadiness(
      { db: app.db, bus: app.bus },
      { onFailure: ({ component, cause }) => logger.error({ check: component, cause }, "readiness check failed") },
    ).finally(() => readinessInFlight.delete(app));
    readinessInFlight.set(app, pending);
  }
  const readiness = await pending;
  return json(readiness.status === "ready" ? 200 : 503, readiness);
}

/** Prometheus text exposition of this instance's registry, behind METRICS_TOKEN when one is set. */
export async function metricsResponse(app: AppContext, authorization: string | null | undefined): Promise<OpsResponse> {
  if (!authorizeMetrics(authorization, app.env.METRICS_TOKEN)) {
    return json(
      401,
      { error: { code: "UNAUTHORIZED", message: "Send Authorization: Bearer <METRICS_TOKEN>." } },
      { "www-authenticate": 'Bearer realm="metrics"' },
    );
  }
  const { registry } = app.metrics;
  return { status: 200, headers: { "content-type": registry.contentType, "cache-control": NO_STORE }, body: await registry.metrics() };
}

export function methodNotAllowed(): OpsResponse {
  return json(405, { error: { code: "METHOD_NOT_ALLOWED", message: "Use GET." } }, { allow: "GET, HEAD" });
}

/** For the Next route files: the same answer as a Web Response. */
export function toWebResponse(response: OpsResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}
