import type { Logger } from "../observability/logger";

/** What a failed database call means for the sender: come back later, or the disk is full. */
export type DatabaseFailure = "unavailable" | "full";

// SQLite result codes (better-sqlite3's SqliteError.code) and PostgreSQL SQLSTATEs / socket errors.
const FULL_CODES = new Set(["SQLITE_FULL", "53100" /* disk_full */, "53200" /* out_of_memory */]);
const UNAVAILABLE_CODES = new Set([
  "SQLITE_BUSY",
  "SQLITE_CANTOPEN",
  "SQLITE_IOERR",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down, recovering)
  "53300", // too_many_connections
  "08000",
  "08001",
  "08003",
  "08004",
  "08006", // connection_exception family
  "P1001", // Prisma: can't reach database server
  "P1002",
  "P1008",
  "P1017", // Prisma: server closed the connection
  "P2024", // Prisma: timed out fetching a connection from the pool
]);
// node-postgres reports some losses only in words.
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|terminating connection/i;

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** Whether an error (or one it wraps) is the database being unreachable or full; null otherwise. */
export function classifyDatabaseError(error: unknown): DatabaseFailure | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = codeOf(current);
    if (code) {
      if (FULL_CODES.has(code)) return "full";
      if (UNAVAILABLE_CODES.has(code) || code.startsWith("SQLITE_IOERR")) return "unavailable";
    }
    if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
    else if (current instanceof Error && UNAVAILABLE_MESSAGE.test(current.message)) return "unavailable";
    else current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** Seconds a sender should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export interface OutageAnswer {
  status: 503 | 507;
  headers: Record<string, string>;
  body: string;
}

const ANSWERS: Record<DatabaseFailure, OutageAnswer> = {
  unavailable: {
    status: 503,
    headers: { "content-type": "application/json", "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
    body: JSON.stringify({ error: { code: "DATABASE_UNAVAILABLE", message: "The database is unreachable; nothing was stored. Retry later." } }),
  },
  full: {
    status: 507,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ error: { code: "STORAGE_FULL", message: "The server's storage is full; nothing was stored." } }),
  },
};

export function outageAnswer(failure: DatabaseFailure): OutageAnswer {
  return ANSWERS[failure];
}

/**
 * Logs a database outage once when it starts and once when it ends, however many requests fail in
 * between: `failed` on each classified failure, `succeeded` on each success (a field check, cheap
 * on the capture path).
 */
export function createOutageLog(logger: Logger) {
  let current: { failure: DatabaseFailure; since: number; refused: number } | null = null;
  return {
    failed(failure: DatabaseFailure, error: unknown) {
      if (current?.failure === failure) {
        current.refused++;
        return;
      }
      if (current) logger.info({ condition: current.failure, ms: Math.round(performance.now() - current.since), refused: current.refused }, "database condition ended");
      current = { failure, since: performance.now(), refused: 1 };
      logger.error({ condition: failure, err: error }, failure === "full" ? "storage full: refusing captures with 507" : "database unavailable: refusing with 503");
    },
    succeeded() {
      if (!current) return;
      logger.info({ condition: current.failure, ms: Math.round(performance.now() - current.since), refused: current.refused }, "database condition ended");
      current = null;
    },
  };
}

export type OutageLog = ReturnType<typeof createOutageLog>;
