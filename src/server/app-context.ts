import path from "node:path";
import { createAuth, type Auth } from "./auth/create-auth";
import { resolveAuthSecret } from "./auth/resolve-auth-secret";
import { createCapturePipeline, type CapturePipeline } from "./capture/capture-pipeline";
import type { CaptureStore } from "./capture/capture-request";
import { memoryLimiters, postgresLimiters } from "./capture/capture-rate-limits";
import { createPostgresCaptureStore } from "./capture/postgres-capture-store";
import { createSqliteCaptureStore } from "./capture/sqlite-capture-store";
import { describeDatabaseUrl, openDatabase, type Db, type DbProvider } from "./db/create-db";
import { migrateDatabase } from "./db/migrate-database";
import { sqlitePathFromUrl } from "./db/sqlite-path";
import { env, type TEnv } from "./env";
import { createCaptureReader } from "./events/capture-reader";
import { createAttemptEvents, type AttemptEvents } from "./delivery/attempt-events";
import { createDeliveryWorker, type DeliveryWorker } from "./delivery/delivery-worker";
import { egressPolicyFromEnv, type EgressPolicy } from "./delivery/egress";
import type { EventBus } from "./events/event-bus";
import { createMemoryEventBus } from "./events/memory-event-bus";
import { startPostgresEventBus } from "./events/postgres-event-bus";
import { createLogger, type Logger } from "./observability/logger";
import { createMetrics, type Metrics } from "./observability/metrics";
import { createPruner, type Pruner } from "./retention/create-pruner";
import { postgresPruneLock } from "./retention/postgres-prune-lock";
import { deriveSignatureKey } from "./signatures/signature-secret-box";
import { createSignatureVerdicts, type SignatureVerdicts } from "./signatures/signature-verdicts";

/** A failure to start that the message explains fully: printed without a stack. */
export class StartupError extends Error {}

/** Everything a request handler needs; built once per process. */
export interface AppContext {
  env: TEnv;
  provider: DbProvider;
  db: Db;
  bus: EventBus;
  auth: Auth;
  /** Admits, rate-limits and stores captures, grouping concurrent ones into shared commits. */
  capture: CapturePipeline;
  /** Applies each bin's retention off the capture path. */
  pruner: Pruner;
  /** Which addresses replays and auto-forwards may reach. */
  egressPolicy: EgressPolicy;
  /** Sends the auto-forward outbox off the capture path. */
  deliveries: DeliveryWorker;
  /** New attempts, for open inspectors. */
  attemptEvents: AttemptEvents;
  /** Seals bins' signature secrets and judges stored requests against them. */
  signatures: SignatureVerdicts & { key: Buffer };
  metrics: Metrics;
  logger: Logger;
  /** Stops background work and closes the bus and the database connections. */
  close(): Promise<void>;
}

export interface CreateAppContextOptions {
  /** Turn off better-auth's sign-in rate limit (tests that create many accounts). */
  authRateLimit?: boolean;
  log?: (message: string) => void;
  logger?: Logger;
}

/**
 * Migrates the database, connects the bus and builds the context. SQLite (a file: URL) keeps
 * everything in this process; PostgreSQL shares captures, rate-limit counters, pruning and live
 * events with every other instance on the same database.
 */
export async function createAppContext(config: TEnv, options: CreateAppContextOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL });
  const log = options.log ?? ((message: string) => logger.warn(message));
  await migrateDatabase(config.DATABASE_URL).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(`Could not prepare the database (${describeDatabaseUrl(config.DATABASE_URL)}): ${reason}`, { cause: error });
  });
  const database = openDatabase(config.DATABASE_URL);
  const { db, pool, provider } = database;
  const metrics = createMetrics({
    dbPool: pool ? () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }) : undefined,
  });
  const secret =
    provider === "sqlite"
      ? resolveAuthSecret(config.BETTER_AUTH_SECRET, path.dirname(sqlitePathFromUrl(config.DATABASE_URL)), log)
      : config.BETTER_AUTH_SECRET;
  // env.ts requires the secret with PostgreSQL; this is the type system's copy of that rule.
  if (!secret) throw new Error("BETTER_AUTH_SECRET is required with PostgreSQL");
  const auth = createAuth({
    db,
    provider,
    secret,
    appUrl: config.APP_URL,
    github:
      config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET
        ? { clientId: config.GITHUB_CLIENT_ID, clientSecret: config.GITHUB_CLIENT_SECRET }
        : undefined,
    trustProxy: config.TRUST_PROXY,
    signups: config.SIGNUPS,
    rateLimit: options.authRateLimit ?? config.AUTH_RATE_LIMIT === "on",
    quiet: config.NODE_ENV === "test",
  });

  const busKind = config.EVENT_BUS ?? (pool ? "postgres" : "memory");
  const bus =
    busKind === "postgres" && pool
      ? await startPostgresEventBus({
          pool,
          connectionString: config.DATABASE_URL,
          reader: createCaptureReader(db),
          onLag: (seconds) => metrics.busLag.observe(seconds),
          log: logger,
        })
      : createMemoryEventBus();

  let store: CaptureStore & { close?(): void };
  if (pool) {
    store = createPostgresCaptureStore(pool);
  } else {
    store = createSqliteCaptureStore(config.DATABASE_URL);
  }
  const pruner = createPruner(db, {
    lock: pool ? postgresPruneLock(pool) : undefined,
    onPruned: (result) => {
      metrics.pruned.inc({ reason: "count" }, result.byCount);
      metrics.pruned.inc({ reason: "age" }, result.byAge);
    },
    onError: (error) => logger.error({ err: error }, "retention pruning failed"),
  });
  const egressPolicy = egressPolicyFromEnv(config);
  const attemptEvents = createAttemptEvents();
  const deliveries = createDeliveryWorker({
    db,
    policy: egressPolicy,
    events: attemptEvents,
    retryDelaysMs: config.FORWARD_RETRY_DELAYS,
    backlogCap: config.FORWARD_BACKLOG_CAP,
    capturing: () => capture.busy(),
    onError: (error, what) => logger.error({ err: error }, what),
  });
  const capture = createCapturePipeline({
    store,
    bus,
    rateLimitPerIp: config.RATE_LIMIT_PER_IP,
    limiters: pool ? postgresLimiters(pool) : memoryLimiters,
    onOverLimit: (ids) => pruner.kick(ids),
    onDeliveriesQueued: (targetIds) => deliveries.kick({ targetIds }),
    onError: (error, what) => logger.error({ err: error }, what),
  });
  const signatureKey = deriveSignatureKey(secret);
  const signatures = {
    key: signatureKey,
    ...createSignatureVerdicts({ db, key: signatureKey, captureBaseUrl: config.CAPTURE_BASE_URL, trustProxy: config.TRUST_PROXY }),
  };
  return {
    env: config,
    signatures,
    provider,
    db,
    bus,
    auth,
    capture,
    pruner,
    egressPolicy,
    deliveries,
    attemptEvents,
    metrics,
    logger,
    async close() {
      await capture.close();
      await deliveries.stop();
      await pruner.stop();
      store.close?.();
      await bus.close();
      await database.close();
    },
  };
}

// Next's bundles and ws-server.ts load this module as separate instances; the context lives on
// globalThis so they share one database client and, above all, one event bus.
const KEY = Symbol.for("webhookdump.app-context");
type Holder = { [KEY]?: Promise<AppContext> };

export function setAppContext(context: AppContext): void {
  (globalThis as Holder)[KEY] = Promise.resolve(context);
}

/** The process-wide context: the one ws-server.ts set, or one created from the environment on first use (plain `next` runs). */
export function getAppContext(): Promise<AppContext> {
  const holder = globalThis as Holder;
  holder[KEY] ??= createAppContext(env());
  return holder[KEY];
}
