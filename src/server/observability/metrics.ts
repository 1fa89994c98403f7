import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type CaptureOutcome = "stored" | "too_large" | "incomplete" | "rate_limited" | "unknown_bin";

/**
 * The instance's Prometheus metrics, served at GET /metrics. One registry per app context (not
 * prom-client's global one), so tests that run several instances in one process keep them apart.
 */
export function createMetrics(
  options: {
    processMetrics?: boolean;
    /** The PostgreSQL pool's counts, read at each scrape. */
    dbPool?: () => { total: number; idle: number; waiting: number };
  } = {},
) {
  const readPool = options.dbPool;
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "webhookdump_" });
  const registers = [registry];
  return {
    registry,
    captures: new Counter({
      name: "webhookdump_captures_total",
      help: "Requests received on capture URLs, by outcome.",
      labelNames: ["outcome"] as const,
      registers,
    }),
    captureDuration: new Histogram({
      name: "webhookdump_capture_duration_seconds",
      help: "Time from a capture request's arrival to its answer (stored captures only, without a configured response delay).",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    wsConnections: new Gauge({
      name: "webhookdump_websocket_connections",
      help: "Open WebSocket connections.",
      registers,
    }),
    subscriptions: new Gauge({
      name: "webhookdump_subscriptions_active",
      help: "Active live subscriptions (requests and bin activity).",
      registers,
    }),
    eventsDelivered: new Counter({
      name: "webhookdump_events_delivered_total",
      help: "Captures delivered to live subscribers (one per capture per subscriber).",
      registers,
    }),
    busLag: new Histogram({
      name: "webhookdump_bus_delivery_lag_seconds",
      help: "Time from a capture's commit to its arrival at this instance's bus.",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    }),
    pruned: new Counter({
      name: "webhookdump_pruned_requests_total",
      help: "Requests deleted by retention, by rule.",
      labelNames: ["reason"] as const,
      registers,
    }),
    dbPool: new Gauge({
      name: "webhookdump_db_pool_connections",
      help: "Database connections of this instance by state (PostgreSQL pool; SQLite has one writer).",
      labelNames: ["state"] as const,
      registers,
      collect() {
        const counts = readPool ? readPool() : { total: 1, idle: 0, waiting: 0 };
        this.set({ state: "total" }, counts.total);
        this.set({ state: "idle" }, counts.idle);
        this.set({ state: "waiting" }, counts.waiting);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
