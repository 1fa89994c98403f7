import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface MigrationResult {
  applied: string[];
}

export interface Migration {
  name: string;
  sql: string;
  /** Lowercase hex sha256 of the file's text, as Prisma records it. */
  checksum: string;
}

/** The migrations of a Prisma migrations directory, in the order Prisma applies them. */
export function listMigrations(dir: string): Migration[] {
  if (!fs.existsSync(dir)) throw new Error(`Migrations directory not found: ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

