import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";
import { listMigrations, type MigrationResult } from "./list-migrations";

export const DEFAULT_POSTGRES_MIGRATIONS_DIR = path.resolve("prisma/postgresql/migrations");

// The key Prisma Migrate itself locks, so our runner and a real `prisma migrate deploy` exclude
// each other too.
const MIGRATION_LOCK_KEY = 72707369;

// Prisma Migrate's own bookkeeping table, as it creates it on PostgreSQL.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Long enough for any migration another instance is applying; a holder stuck for longer (a hung
// `prisma migrate`, a frozen instance) gets named instead of leaving this one waiting silently.
const LOCK_WAIT_MS = 5 * 60_000;
const LOCK_POLL_MS = 250;

async function acquireMigrationLock(client: pg.Client, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [MIGRATION_LOCK_KEY]);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline) {
      throw new Error(
        `another process has held the migration lock (pg_advisory_lock ${MIGRATION_LOCK_KEY}) for over ${Math.round(waitMs / 1000)} s; ` +
          "find it in pg_locks / pg_stat_activity",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

interface AppliedRow {
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies pending Prisma migrations to PostgreSQL without Prisma's native engine, recording them
 * exactly as Prisma Migrate does. Instances starting together serialise on Prisma's advisory lock:
 * one applies, the others wait and then find nothing left to do. Each migration file is sent as
 * one multi-statement query, which PostgreSQL runs as one implicit transaction.
 */
export async function migratePostgres(
  url: string,
  migrationsDir = DEFAULT_POSTGRES_MIGRATIONS_DIR,
  lockWaitMs = LOCK_WAIT_MS,
): Promise<MigrationResult> {
  const migrations = listMigrations(migrationsDir);
  const client = new pg.Client({ connectionString: url, application_name: "webhookdump-migrate" });
  await client.connect();
  try {
    await acquireMigrationLock(client, lockWaitMs);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
      if (failed) {
        throw new Error(
          `Migration ${failed.migration_name} failed earlier; fix the database and mark it with ` +
            "`prisma migrate resolve --rolled-back` (or --applied) before starting.",
        );
      }
      const done = new Set(rows.filter((row) => row.finished_at !== null).map((row) => row.migration_name));
      const applied: string[] = [];
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        const id = crypto.randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        try {
          await client.query(migration.sql);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, message]);
          throw new Error(`Migration ${migration.name} failed: ${message}`);
        }
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        applied.push(migration.name);
      }
      return { applied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
