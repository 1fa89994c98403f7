import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "~/generated/prisma-postgresql/client";
import { isPostgresUrl } from "../env";
import { sqlitePathFromUrl } from "./sqlite-path";

/**
 * The Prisma client the code is written against. Both generated clients come from the same model
 * blocks (`npm run db:check` fails otherwise), so their model APIs are identical; the SQLite one's
 * types stand for both.
 */
export type Db = PrismaClient;

export type DbProvider = "sqlite" | "postgresql";

export interface Database {
  provider: DbProvider;
  db: Db;
  /** PostgreSQL only: the connection pool behind Prisma, shared with the bus and the rate limiter. */
  pool: pg.Pool | null;
  close(): Promise<void>;
}

const providers = new WeakMap<Db, DbProvider>();

/** Which database a client talks to, for the few queries written per provider (raw SQL). */
export function dbProvider(db: Db): DbProvider {
  return providers.get(db) ?? "sqlite";
}

/** Where a DATABASE_URL points, for messages: PostgreSQL without its credentials, SQLite's file. */
export function describeDatabaseUrl(url: string): string {
  if (!isPostgresUrl(url)) return `SQLite file ${sqlitePathFromUrl(url)}`;
  try {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.host}${parsed.pathname}`;
  } catch {
    return "PostgreSQL (DATABASE_URL does not parse as a URL)";
  }
}

/** Longer than any query the app makes (a pruning batch, an export page) by far. */
const STATEMENT_TIMEOUT_MS = 60_000;

/** Connections per instance; several instances share the server's max_connections (100 by default). */
const POOL_SIZE = 10;

/** A Prisma client for the database behind `url`: a SQLite file (created with its directory) or PostgreSQL. */
export function openDatabase(url: string): Database {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({
      connectionString: url,
      max: POOL_SIZE,
      application_name: "webhookdump",
      // A database that stops answering (not refusing) must fail requests, not hang them and the
      // shutdown behind them until the operating system gives up on the socket minutes later.
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      query_timeout: STATEMENT_TIMEOUT_MS + 5_000,
    });
    // An idle client's error (server restart, terminated backend) would otherwise crash the
    // process; the pool drops the client and the next query opens a new one.
    pool.on("error", () => undefined);
    const db = new PostgresPrismaClient({ adapter: new PrismaPg(pool) }) as unknown as Db;
    providers.set(db, "postgresql");
    return {
      provider: "postgresql",
      db,
      pool,
      async close() {
        await db.$disconnect();
        // Prisma's adapter ends the pool it was given on $disconnect (7.10); end it if it did not.
        if (!pool.ended) await pool.end();
      },
    };
  }
  const file = sqlitePathFromUrl(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  // Writers wait for the lock instead of failing at once when another connection commits.
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 10_000 });
  const db = new PrismaClient({ adapter });
  return { provider: "sqlite", db, pool: null, close: () => db.$disconnect() };
}
