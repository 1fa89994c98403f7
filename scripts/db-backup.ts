// `npm run db:backup -- <file> [--force]`: a consistent online copy of the SQLite database at
// DATABASE_URL, safe while the server runs (see src/server/db/backup-sqlite.ts and the README).
import { parseArgs } from "node:util";
import { backupSqlite, BackupError } from "~/server/db/backup-sqlite";
import { env, EnvError } from "~/server/env";

const USAGE = "Usage: npm run db:backup -- <file> [--force]";
try {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: "boolean", default: false } } });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new BackupError("Name one backup file.");
  const result = await backupSqlite(env().DATABASE_URL, file, { force: values.force });
  console.log(`Backed up ${result.pages} pages (${result.bytes} bytes) to ${result.file} in ${result.ms} ms.`);
} catch (error) {
  if (error instanceof BackupError || error instanceof EnvError || error instanceof TypeError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(1);
  }
  throw error;
}
