import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateSqlite } from "./migrate-database";

const REAL_MIGRATIONS = path.resolve(import.meta.dirname, "../../../prisma/migrations");

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: number | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: number | null;
  started_at: number;
  applied_steps_count: number;
}

let dir: string;
let dbFile: string;
let url: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-migrate-"));
  dbFile = path.join(dir, "nested", "test.db");
  url = `file:${dbFile}`;
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `fn` against the test database with a fresh connection, closing it afterwards. */
function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(dbFile);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function migrationRows(): MigrationRow[] {
  return withDb((db) => db.prepare(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`).all() as MigrationRow[]);
}

function tableNames(): string[] {
  return withDb((db) =>
    (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
      (row) => row.name,
    ),
  );
}

function realMigrationNames(): string[] {
  return fs
    .readdirSync(REAL_MIGRATIONS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** A migrations directory of its own, with `migration_lock.toml` like Prisma writes. */
function makeMigrationsDir(): string {
  const migrations = path.join(dir, "migrations");
  fs.mkdirSync(migrations);
  fs.writeFileSync(path.join(migrations, "migration_lock.toml"), 'provider = "sqlite"\n');
  return migrations;
}

function addMigration(migrations: string, name: string, sql: string): void {
  fs.mkdirSync(path.join(migrations, name));
  fs.writeFileSync(path.join(migrations, name, "migration.sql"), sql);
}

/** The error `fn` throws; fails the test when it does not throw. */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error("expected the call to throw");
}

describe("migrateSqlite with the real migrations", () => {
  it("applies every migration on first run, creating the database file and its directory", () => {
    const names = realMigrationNames();
    expect(names.length).toBeGreaterThan(0);
    expect(fs.existsSync(dbFile)).toBe(false);

    const result = migrateSqlite(url, REAL_MIGRATIONS);

    expect(result.applied).toEqual(names);
    expect(fs.existsSync(dbFile)).toBe(true);
    expect(tableNames()).toEqual(expect.arrayContaining(["_prisma_migrations", "user", "session", "bin", "captured_request"]));
  });

  it("records each migration as Prisma Migrate does: sha256 hex checksum of the file, finished, one step", () => {
    const before = Date.now();
    migrateSqlite(url, REAL_MIGRATIONS);
    const after = Date.now();

    const rows = migrationRows();
    expect(rows.map((row) => row.migration_name)).toEqual(realMigrationNames());
    for (const row of rows) {
      const file = fs.readFileSync(path.join(REAL_MIGRATIONS, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(crypto.createHash("sha256").update(file).digest("hex"));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.finished_at ?? 0).toBeGreaterThanOrEqual(before);
      expect(row.finished_at ?? 0).toBeLessThanOrEqual(after);
      expect(row.started_at).toBeGreaterThanOrEqual(before);
      expect(row.started_at).toBeLessThanOrEqual(row.finished_at ?? 0);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it("applies nothing on a second run and records nothing new", () => {
    migrateSqlite(url, REAL_MIGRATIONS);
    const rowsAfterFirst = migrationRows();

    expect(migrateSqlite(url, REAL_MIGRATIONS)).toEqual({ applied: [] });
    expect(migrationRows()).toEqual(rowsAfterFirst);
  });

  it("leaves the database in WAL journal mode", () => {
    migrateSqlite(url, REAL_MIGRATIONS);
    expect(withDb((db) => db.pragma("journal_mode", { simple: true }))).toBe("wal");
  });

  it("keeps data written between runs", () => {
    migrateSqlite(url, REAL_MIGRATIONS);
    withDb((db) =>
      db
        .prepare(`INSERT INTO "user" ("id", "name", "email", "updatedAt") VALUES ('u1', 'Ada', 'ada@example.com', 0)`)
        .run(),
    );
    migrateSqlite(url, REAL_MIGRATIONS);
    expect(withDb((db) => db.prepare(`SELECT count(*) AS n FROM "user"`).get())).toEqual({ n: 1 });
  });

  it("names a missing migrations directory", () => {
    const missing = path.join(dir, "no-such-dir");
    expect(() => migrateSqlite(url, missing)).toThrow(`Migrations directory not found: ${missing}`);
  });
});

describe("migrateSqlite with a migrations directory of its own", () => {
  it("applies migrations in name order and only the new ones on later runs", () => {
    const migrations = makeMigrationsDir();
    addMigration(migrations, "20260102000000_second", `ALTER TABLE "thing" ADD COLUMN "label" TEXT;`);
    addMigration(migrations, "20260101000000_first", `CREATE TABLE "thing" ("id" INTEGER NOT NULL PRIMARY KEY);`);

    expect(migrateSqlite(url, migrations).applied).toEqual(["20260101000000_first", "20260102000000_second"]);

    addMigration(migrations, "20260103000000_third", `CREATE INDEX "thing_label_idx" ON "thing"("label");`);
    expect(migrateSqlite(url, migrations).applied).toEqual(["20260103000000_third"]);
    expect(migrationRows().map((row) => row.migration_name)).toEqual([
      "20260101000000_first",
      "20260102000000_second",
      "20260103000000_third",
    ]);
  });

  it("ignores files next to the migration folders (migration_lock.toml)", () => {
    const migrations = makeMigrationsDir();
    addMigration(migrations, "20260101000000_only", `CREATE TABLE "only_one" ("id" INTEGER);`);
    expect(migrateSqlite(url, migrations).applied).toEqual(["20260101000000_only"]);
  });

  describe("a broken migration", () => {
    const BROKEN = "20260102000000_broken";
    let migrations: string;

    beforeEach(() => {
      migrations = makeMigrationsDir();
      addMigration(migrations, "20260101000000_good", `CREATE TABLE "good" ("id" INTEGER NOT NULL PRIMARY KEY);`);
      addMigration(
        migrations,
        BROKEN,
        `CREATE TABLE "half" ("id" INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO "no_such_table" VALUES (1);\n`,
      );
    });

    it("throws an error naming the migration and the cause", () => {
      const error = thrown(() => migrateSqlite(url, migrations));
      expect(error.message).toContain(`Migration ${BROKEN} failed`);
      expect(error.message).toContain("no such table: no_such_table");
    });

    it("records the failure: finished_at NULL, the error in logs, no steps, the file's checksum", () => {
      const before = Date.now();
      thrown(() => migrateSqlite(url, migrations));

      const row = migrationRows().find((candidate) => candidate.migration_name === BROKEN);
      expect(row).toBeDefined();
      expect(row?.finished_at).toBeNull();
      expect(row?.rolled_back_at).toBeNull();
      expect(row?.logs).toContain("no such table: no_such_table");
      expect(row?.applied_steps_count).toBe(0);
      expect(row?.started_at).toBeGreaterThanOrEqual(before);
      const file = fs.readFileSync(path.join(migrations, BROKEN, "migration.sql"));
      expect(row?.checksum).toBe(crypto.createHash("sha256").update(file).digest("hex"));
    });

    it("leaves the schema consistent with the recorded rows: nothing half-applied", () => {
      thrown(() => migrateSqlite(url, migrations));

      const tables = tableNames();
      expect(tables).not.toContain("half");
      const finished = migrationRows()
        .filter((row) => row.finished_at !== null)
        .map((row) => row.migration_name);
      // The good migration's table exists exactly when its row says it was applied.
      expect(tables.includes("good")).toBe(finished.includes("20260101000000_good"));
    });

    it("refuses to start on the next run, naming the failed migration, and changes nothing", () => {
      thrown(() => migrateSqlite(url, migrations));
      const rowsAfterFailure = migrationRows();
      const tablesAfterFailure = tableNames();

      // Even once the file is fixed, the recorded failure must be resolved by hand first.
      fs.writeFileSync(path.join(migrations, BROKEN, "migration.sql"), `CREATE TABLE "half" ("id" INTEGER);`);
      const error = thrown(() => migrateSqlite(url, migrations));
      expect(error.message).toContain(`Migration ${BROKEN} failed earlier`);
      expect(error.message).toContain("prisma migrate resolve");
      expect(migrationRows()).toEqual(rowsAfterFailure);
      expect(tableNames()).toEqual(tablesAfterFailure);
    });

    it("runs again once the failure is marked rolled back, as `prisma migrate resolve --rolled-back` does", () => {
      thrown(() => migrateSqlite(url, migrations));
      withDb((db) => db.prepare(`UPDATE "_prisma_migrations" SET rolled_back_at = ? WHERE migration_name = ?`).run(Date.now(), BROKEN));
      fs.writeFileSync(path.join(migrations, BROKEN, "migration.sql"), `CREATE TABLE "half" ("id" INTEGER);`);

      const { applied } = migrateSqlite(url, migrations);
      expect(applied).toContain(BROKEN);
      expect(tableNames()).toEqual(expect.arrayContaining(["good", "half"]));
    });
  });

  it("keeps child rows when a later migration redefines a parent table the way Prisma generates it", () => {
    // Prisma's SQLite migrations change a table by copying it: new table, copy rows, DROP the old
    // one, rename. They switch foreign keys off around that so the DROP does not cascade.
    const migrations = makeMigrationsDir();
    addMigration(
      migrations,
      "20260101000000_init",
      `CREATE TABLE "parent" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT);
CREATE TABLE "child" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "parentId" TEXT NOT NULL,
    CONSTRAINT "child_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "parent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
`,
    );
    migrateSqlite(url, migrations);
    withDb((db) => {
      db.prepare(`INSERT INTO "parent" ("id", "name") VALUES ('p1', 'one')`).run();
      db.prepare(`INSERT INTO "child" ("id", "parentId") VALUES ('c1', 'p1'), ('c2', 'p1')`).run();
    });

    addMigration(
      migrations,
      "20260102000000_name_required",
      `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_parent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL
);
INSERT INTO "new_parent" ("id", "name") SELECT "id", "name" FROM "parent";
DROP TABLE "parent";
ALTER TABLE "new_parent" RENAME TO "parent";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`,
    );
    expect(migrateSqlite(url, migrations).applied).toEqual(["20260102000000_name_required"]);

    expect(withDb((db) => db.prepare(`SELECT count(*) AS n FROM "parent"`).get())).toEqual({ n: 1 });
    expect(withDb((db) => db.prepare(`SELECT id FROM "child" ORDER BY id`).all())).toEqual([{ id: "c1" }, { id: "c2" }]);
  });
});
