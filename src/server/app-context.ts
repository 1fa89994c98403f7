import path from "node:path";
import { createAuth, type Auth } from "./auth/create-auth";
import { createCapturePipeline, type CapturePipeline } from "./capture/capture-pipeline";
import { createSqliteCaptureStore } from "./capture/sqlite-capture-store";
import { resolveAuthSecret } from "./auth/resolve-auth-secret";
import { createDb, type Db } from "./db/create-db";
import { migrateSqlite } from "./db/migrate-database";
import { sqlitePathFromUrl } from "./db/sqlite-path";
import { env, type TEnv } from "./env";
import type { EventBus } from "./events/event-bus";
import { createMemoryEventBus } from "./events/memory-event-bus";
import { createLogger, type Logger } from "./observability/logger";
import { createMetrics, type Metrics } from "./observability/metrics";
import { createPruner, type Pruner } from "./retention/create-pruner";

/** Everything a request handler needs; built once per process. */
export interface AppContext {
  env: TEnv;
  db: Db;
  bus: EventBus;
  auth: Auth;
  /** Admits, rate-limits and stores captures, grouping concurrent ones into shared commits. */
  capture: CapturePipeline;
  /** Applies each bin's retention off the capture path. */
  pruner: Pruner;
  metrics: Metrics;
  logger: Logger;
  /** Closes the database connections. */
  close(): Promise<void>;
}

export interface CreateAppContextOptions {
  /** Turn off better-auth's sign-in rate limit (tests that create many accounts). */
  authRateLimit?: boolean;
  log?: (message: string) => void;
}

/** Migrates the database and builds the context. Tests call this with their own env. */
export function createAppContext(config: TEnv, options: CreateAppContextOptions = {}): AppContext {
  const logger = createLogger({ level: config.LOG_LEVEL });
  const metrics = createMetrics();
  const log = options.log ?? ((message: string) => logger.warn(message));
  migrateSqlite(config.DATABASE_URL);
  const db = createDb(config.DATABASE_URL);
  const dataDir = path.dirname(sqlitePathFromUrl(config.DATABASE_URL));
  const auth = createAuth({
    db,
    secret: resolveAuthSecret(config.BETTER_AUTH_SECRET, dataDir, log),
    appUrl: config.APP_URL,
    github:
      config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET
        ? { clientId: config.GITHUB_CLIENT_ID, clientSecret: config.GITHUB_CLIENT_SECRET }
        : undefined,
    trustProxy: config.TRUST_PROXY,
    rateLimit: options.authRateLimit ?? config.AUTH_RATE_LIMIT === "on",
    quiet: config.NODE_ENV === "test",
  });
  const bus = createMemoryEventBus();
  const store = createSqliteCaptureStore(config.DATABASE_URL);
  const pruner = createPruner(db);
  const capture = createCapturePipeline({ store, bus, rateLimitPerIp: config.RATE_LIMIT_PER_IP, onOverLimit: (ids) => pruner.kick(ids) });
  return {
    env: config,
    db,
    bus,
    auth,
    capture,
    pruner,
    metrics,
    logger,
    async close() {
      await capture.close();
      await pruner.stop();
      store.close();
      await bus.close();
      await db.$disconnect();
    },
  };
}

// Next's bundles and ws-server.ts load this module as separate instances; the context lives on
// globalThis so they share one database client and, above all, one event bus.
const KEY = Symbol.for("webhookdump.app-context");
type Holder = { [KEY]?: AppContext };

export function setAppContext(context: AppContext): void {
  (globalThis as Holder)[KEY] = context;
}

/** The process-wide context, created from the environment on first use (plain `next` runs). */
export function getAppContext(): AppContext {
  const holder = globalThis as Holder;
  holder[KEY] ??= createAppContext(env());
  return holder[KEY];
}
