import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";

/**
 * Which database the integration suite runs on. `npm test` runs it on SQLite, then again on
 * PostgreSQL when TEST_POSTGRES_URL names a server (scripts/test-postgres.ts sets
 * WEBHOOKDUMP_TEST_DATABASE=postgres for that run).
 */
export function testProvider(): "sqlite" | "postgresql" {
  return process.env.WEBHOOKDUMP_TEST_DATABASE === "postgres" ? "postgresql" : "sqlite";
}

export function adminPostgresUrl(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error("TEST_POSTGRES_URL is not set (e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres)");
  return url;
}

/** The URL of database `name` on the server `adminUrl` names (the test server by default). */
export function postgresUrlFor(name: string, adminUrl = adminPostgresUrl()): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One short-lived connection to `url` for `work`, closed whatever happens. */
export async function withPostgresClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty PostgreSQL database (if missing) on the test server, or the server `adminUrl`
 * names (an account allowed to create databases), and returns its name.
 */
export async function createPostgresDatabase(name: string, adminUrl = adminPostgresUrl()): Promise<string> {
  await withPostgresClient(adminUrl, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  });
  return name;
}

/**
 * Drops a database, ending the connections still open on it. Not `WITH (FORCE)`: that refuses
 * outright ("must be a member of the role whose process is being terminated") when an autovacuum
 * worker happens to be at work on the database, since a CREATEDB account may not signal it. So our
 * own sessions are ended here, and plain DROP DATABASE stops autovacuum itself and waits (up to
 * 5 s) for the ended sessions to go.
 */
export async function dropPostgresDatabase(name: string, adminUrl = adminPostgresUrl()): Promise<void> {
  await withPostgresClient(adminUrl, async (client) => {
    await client.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()",
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
  });
}

/**
 * A fresh database for one test app living in `dir`: a SQLite file in it, or a PostgreSQL database
 * named after it (so reopening the same directory reopens the same database).
 */
export async function testDatabaseUrl(dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (testProvider() === "sqlite") return { url: `file:${path.join(dir, "test.db")}`, drop: async () => {} };
  const name = `wd_test_${crypto.createHash("sha256").update(dir).digest("hex").slice(0, 16)}`;
  await createPostgresDatabase(name);
  return { url: postgresUrlFor(name), drop: () => dropPostgresDatabase(name) };
}
