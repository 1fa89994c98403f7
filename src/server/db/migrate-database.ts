import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { isPostgresUrl } from "../env";
import { listMigrations, type MigrationResult } from "./list-migrations";
import { migratePostgres } from "./migrate-postgres";
import { sqlitePathFromUrl } from "./sqlite-path";

export type { MigrationResult };

export const DEFAULT_MIGRATIONS_DIR = path.resolve("prisma/migrations");

// Prisma Migrate's own bookkeeping table, so `prisma migrate status/deploy` accept our databases.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: number | null;
  rolled_back_at: number | null;
}

/**
 * Applies pending Prisma migrations to a SQLite database without Prisma's native engine, recording
 * them exactly as Prisma Migrate does. Each migration runs in its own transaction under SQLite's
 * write lock, so several processes starting at once apply each one exactly once, and a failing
 * migration leaves nothing half-applied.
 */
export function migrateSqlite(url: string, migrationsDir = DEFAULT_MIGRATIONS_DIR): MigrationResult {
  const file = sqlitePathFromUrl(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file, { timeout: 30_000 });
  try {
    sqlite.pragma("journal_mode = WAL");
    // Prisma's SQLite migrations redefine a table by copy, DROP and rename, switching foreign keys
    // off around it. That switch is ignored inside a transaction, so it is done here, outside:
    // otherwise the DROP would cascade and delete every child row.
    sqlite.pragma("foreign_keys = OFF");
    sqlite.exec(CREATE_MIGRATIONS_TABLE);
    const applied: string[] = [];
    for (const migration of listMigrations(migrationsDir)) {
      if (applyOne(sqlite, migration)) applied.push(migration.name);
    }
    return { applied };
  } finally {
    sqlite.close();
  }
}

/** Applies one migration unless it already is; returns whether it ran. */
function applyOne(sqlite: Database.Database, migration: { name: string; sql: string; checksum: string }): boolean {
  sqlite.exec("BEGIN IMMEDIATE");
  try {
    const rows = sqlite
      .prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`)
      .all() as AppliedRow[];
    const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed) {
      throw new Error(
        `Migration ${failed.migration_name} failed earlier; fix the database and mark it with ` +
          "`prisma migrate resolve --rolled-back` (or --applied) before starting.",
      );
    }
    if (rows.some((row) => row.migration_name === migration.name && row.finished_at !== null)) {
      sqlite.exec("COMMIT");
      return false;
    }
    const startedAt = Date.now();
    const id = crypto.randomUUID();
    try {
      sqlite.exec(migration.sql);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      sqlite.exec("ROLLBACK");
      // Recorded after the rollback, as Prisma does, so the failure stays visible.
      sqlite
        .prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 0)`,
        )
        .run(id, migration.checksum, migration.name, message, startedAt);
      throw new Error(`Migration ${migration.name} failed: ${message}`);
    }
    sqlite
      .prepare(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, ?, 1)`,
      )
      .run(id, migration.checksum, Date.now(), migration.name, startedAt);
    sqlite.exec("COMMIT");
    return true;
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
    throw error;
  }
}

/** Migrates whichever database `url` names; what every entry point calls before serving. */
export async function migrateDatabase(url: string): Promise<MigrationResult> {
  return isPostgresUrl(url) ? migratePostgres(url) : migrateSqlite(url);
}
