// The PostgreSQL side of the benchmark: a throw-away database per run on the server that
// BENCH_POSTGRES_URL (or TEST_POSTGRES_URL) names, and direct reads of what WebhookDump stored.
import crypto from "node:crypto";
import { createPostgresDatabase, dropPostgresDatabase, postgresUrlFor, withPostgresClient } from "../../src/test/test-database";

/** The admin URL (an account allowed to CREATE DATABASE) and which variable it came from, if any. */
export function benchPostgresUrl(): { url: string; from: "BENCH_POSTGRES_URL" | "TEST_POSTGRES_URL" } | null {
  if (process.env.BENCH_POSTGRES_URL) return { url: process.env.BENCH_POSTGRES_URL, from: "BENCH_POSTGRES_URL" };
  if (process.env.TEST_POSTGRES_URL) return { url: process.env.TEST_POSTGRES_URL, from: "TEST_POSTGRES_URL" };
  return null;
}

/** The URL without its password, for logs and results. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

export interface BenchDatabase {
  name: string;
  /** DATABASE_URL of the new database. */
  url: string;
  /** The server's `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  serverVersion: string;
  /** Ends the connections still open on it and drops it (see dropPostgresDatabase). Safe to call twice. */
  drop(): Promise<void>;
}

/** CREATE DATABASE with a name unique to this run; `drop()` removes it. */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `webhookdump_bench_${Date.now().toString(36)}_${crypto.randomBytes(4).toString("hex")}`;
  const serverVersion = await withPostgresClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
    return rows[0]?.server_version ?? "unknown";
  });
  await createPostgresDatabase(name, adminUrl);
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: postgresUrlFor(name, adminUrl),
    serverVersion,
    drop() {
      dropped ??= dropPostgresDatabase(name, adminUrl);
      return dropped;
    },
  };
}

/** A bin's highest sequence number, read directly: every seq up to it was committed. */
export async function postgresLastSeq(databaseUrl: string, binId: string): Promise<number> {
  return withPostgresClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ lastSeq: number }>(`SELECT "lastSeq" FROM "bin" WHERE id = $1`, [binId]);
    return rows[0]?.lastSeq ?? 0;
  });
}

/** Ids of one bin's stored requests, read directly. */
export async function postgresStoredIds(databaseUrl: string, where: { binId?: string; slug?: string }): Promise<Set<string>> {
  return withPostgresClient(databaseUrl, async (client) => {
    const { rows } = where.binId
      ? await client.query<{ id: string }>(`SELECT id FROM "captured_request" WHERE "binId" = $1`, [where.binId])
      : await client.query<{ id: string }>(
          `SELECT r.id FROM "captured_request" r JOIN "bin" b ON b.id = r."binId" WHERE b.slug = $1`,
          [where.slug ?? ""],
        );
    return new Set(rows.map((row) => row.id));
  });
}
