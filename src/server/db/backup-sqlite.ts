import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { isPostgresUrl } from "../env";
import { sqlitePathFromUrl } from "./sqlite-path";

export class BackupError extends Error {}

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  ms: number;
}

/**
 * A consistent copy of a live SQLite database through SQLite's online backup API, while the server
 * keeps capturing. The whole database is copied in one backup step, so the copy is one snapshot
 * (stepping page by page restarts whenever another connection writes, which under capture load
 * could go on for ever); in WAL mode that step only holds a read transaction, and writers go on.
 * The copy is written beside the target and renamed into place, so the target is never a half file.
 */
export async function backupSqlite(databaseUrl: string, target: string, options: { force?: boolean } = {}): Promise<BackupResult> {
  if (isPostgresUrl(databaseUrl)) {
    throw new BackupError("DATABASE_URL is PostgreSQL: back it up with pg_dump (see the README, \"Backups and restore\").");
  }
  const source = sqlitePathFromUrl(databaseUrl);
  const file = path.resolve(target);
  if (!fs.existsSync(source)) throw new BackupError(`No database at ${source}.`);
  if (file === source) throw new BackupError("The backup file must not be the database itself.");
  if (fs.existsSync(file) && !options.force) throw new BackupError(`${file} exists already; pass --force to overwrite it.`);
  if (!fs.existsSync(path.dirname(file))) throw new BackupError(`The directory ${path.dirname(file)} does not exist.`);

  const partial = `${file}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
  const startedAt = performance.now();
  const db = new Database(source, { fileMustExist: true, timeout: 10_000 });
  try {
    const { totalPages } = await db.backup(partial, { progress: () => 0x7fffffff });
    // The copy is a plain rollback-journal database: one file, ready to open or move elsewhere.
    const copy = new Database(partial);
    try {
      copy.pragma("journal_mode = DELETE");
      const check = copy.pragma("quick_check", { simple: true });
      if (check !== "ok") throw new BackupError(`The copy failed its integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    fs.renameSync(partial, file);
    return { file, bytes: fs.statSync(file).size, pages: totalPages, ms: Math.round(performance.now() - startedAt) };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
}
