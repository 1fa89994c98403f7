// Several instances on one PostgreSQL database, as behind a load balancer: real servers on their own
// ports, real WebSocket subscribers, one shared database. Runs in the PostgreSQL pass of `npm test`.
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createBin, updateBin } from "./bins/bins-service";
import { ZForwardTargetInputSchema } from "./delivery/forward-target-schemas";
import { startLocalTarget } from "~/test/local-target";
import { migratePostgres } from "./db/migrate-postgres";
import type { PostgresEventBus } from "./events/postgres-event-bus";
import { postgresPruneLock } from "./retention/postgres-prune-lock";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { captureOnce, subscribeAndCollect, type Tracked } from "~/test/subscribe-and-collect";
import { adminPostgresUrl, createPostgresDatabase, dropPostgresDatabase, postgresUrlFor, testProvider } from "~/test/test-database";
import { connectWs } from "~/test/ws-client";

const seqs = (events: Tracked[]) => events.map((event) => event.data.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.skipIf(testProvider() !== "postgresql")("several instances on one PostgreSQL database", () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  /** Two instances sharing one database (the second reopens the first's). */
  async function twoInstances(env: Record<string, string> = {}) {
    const a = await startTestServer(env);
    cleanups.push(() => a.close());
    const b = await startTestServer(env, { dir: a.dir });
    cleanups.push(() => b.close());
    const owner = await signUp(a.url);
    const bin = await createBin(a.app.db, owner.userId, { name: "Shared", slug: `shared-${Date.now()}` });
    return { a, b, owner, bin };
  }

  function subscribe(server: TestServer, cookie: string, binId: string) {
    const ws = connectWs(server.url, { cookie });
    cleanups.push(() => ws.close());
    return subscribeAndCollect(ws, { binId });
  }

  it("delivers captures sent alternately to both instances to a subscriber on each, exactly once and in order", async () => {
    const { a, b, owner, bin } = await twoInstances();
    // A session made on A is valid on B: sessions live in the shared database.
    const onA = subscribe(a, owner.cookie, bin.id);
    const onB = subscribe(b, owner.cookie, bin.id);
    await Promise.all([onA.started, onB.started]);
    for (let i = 0; i < 40; i += 1) expect(await captureOnce((i % 2 === 0 ? a : b).url, bin.slug, `n${i}`)).toBe(200);
    await Promise.all([onA.until(40), onB.until(40)]);
    expect(seqs(onA.received)).toEqual(range(1, 40));
    expect(seqs(onB.received)).toEqual(range(1, 40));
  });

  it("hands out strictly increasing sequence numbers when both instances write the same bin at once", async () => {
    const { a, b, owner, bin } = await twoInstances();
    const onB = subscribe(b, owner.cookie, bin.id);
    await onB.started;
    const statuses = await Promise.all(range(1, 100).map((i) => captureOnce((i % 2 === 0 ? a : b).url, bin.slug, `c${i}`)));
    expect(statuses.every((status) => status === 200)).toBe(true);
    await onB.until(100);
    expect(seqs(onB.received)).toEqual(range(1, 100));
    const stored = await a.app.db.capturedRequest.findMany({ where: { binId: bin.id }, select: { seq: true }, orderBy: { seq: "asc" } });
    expect(stored.map((row) => row.seq)).toEqual(range(1, 100));
  });

  it("counts a bin's rate limit across both instances", async () => {
    const { a, b, owner } = await twoInstances();
    const created = await createBin(a.app.db, owner.userId, { name: "Limited", slug: `limited-${Date.now()}` });
    const bin = await a.app.db.bin.update({ where: { id: created.id }, data: { rateLimitPerMinute: 10 } });
    const statuses: number[] = [];
    for (let i = 0; i < 14; i += 1) statuses.push(await captureOnce((i % 2 === 0 ? a : b).url, bin.slug, `r${i}`));
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429]);
    expect(await a.app.db.capturedRequest.count({ where: { binId: bin.id } })).toBe(10);
  });

  it("counts sign-in attempts across both instances (better-auth's limiter stores its counters in the database)", async () => {
    const { a, b, owner } = await twoInstances({ AUTH_RATE_LIMIT: "on" });
    const attempt = (server: TestServer) =>
      fetch(`${server.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url },
        body: JSON.stringify({ email: owner.email, password: "wrong-password-123" }),
      }).then((response) => response.status);
    // better-auth allows 3 sign-in attempts per 10 s per client; the fourth is refused wherever it lands.
    const statuses = [await attempt(a), await attempt(b), await attempt(a), await attempt(b)];
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses[3]).toBe(429);
    expect(await a.app.db.rateLimit.count()).toBeGreaterThan(0);
  });

  it("loses nothing when an instance's LISTEN connection is killed while captures arrive elsewhere", async () => {
    const { a, b, owner, bin } = await twoInstances();
    const onB = subscribe(b, owner.cookie, bin.id);
    await onB.started;
    expect(await captureOnce(a.url, bin.slug, "before")).toBe(200);
    await onB.until(1);

    const listener = (b.app.bus as PostgresEventBus).applicationName;
    const admin = new pg.Client({ connectionString: adminPostgresUrl() });
    await admin.connect();
    cleanups.push(() => admin.end());
    const killed = await admin.query("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1", [listener]);
    expect(killed.rowCount).toBe(1);
    for (let i = 0; i < 10; i += 1) expect(await captureOnce(a.url, bin.slug, `during${i}`)).toBe(200);
    // B reconnects, catches up from the database, and its subscriber gets every capture once.
    await onB.until(11);
    expect(seqs(onB.received)).toEqual(range(1, 11));
    await expect(b.app.bus.check()).resolves.toBeUndefined();
    expect(await captureOnce(a.url, bin.slug, "after")).toBe(200);
    await onB.until(12);
    expect(seqs(onB.received)).toEqual(range(1, 12));
  });

  it("reports ready only with the database and the LISTEN connection both up", async () => {
    const { b } = await twoInstances();
    const ready = await fetch(`${b.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: { ok: true }, bus: { ok: true } } });
  });

  it("sends each auto-forward delivery exactly once, in order, with both instances working the outbox", async () => {
    const { a, b, owner, bin } = await twoInstances({ FORWARD_ALLOWED_NETWORKS: "127.0.0.1/32" });
    const target = await startLocalTarget();
    cleanups.push(() => target.close());
    await updateBin(a.app.db, owner.userId, bin.id, { forwards: [ZForwardTargetInputSchema.parse({ url: target.url })] });
    const statuses = await Promise.all(range(1, 100).map((i) => captureOnce((i % 2 === 0 ? a : b).url, bin.slug, `c${i}`)));
    expect(statuses.every((status) => status === 200)).toBe(true);
    // One more capture after the rest: in a queue kept in order, a duplicate of any earlier
    // delivery would arrive before it.
    await target.until(100);
    expect(await captureOnce(b.url, bin.slug, "last")).toBe(200);
    await target.until(101);
    const rows = await a.app.db.capturedRequest.findMany({ where: { binId: bin.id }, orderBy: { seq: "asc" }, select: { body: true } });
    expect(rows).toHaveLength(101);
    expect(target.received.map((r) => r.body.toString())).toEqual(rows.map((row) => Buffer.from(row.body).toString()));
  });
});

describe.skipIf(testProvider() !== "postgresql")("PostgreSQL coordination primitives", () => {
  const databases: string[] = [];
  afterEach(async () => {
    for (const name of databases.splice(0)) await dropPostgresDatabase(name);
  });

  async function freshDatabase(): Promise<string> {
    const name = await createPostgresDatabase(`wd_coord_${Date.now()}_${Math.floor(Math.random() * 1e6)}`);
    databases.push(name);
    return postgresUrlFor(name);
  }

  it("applies migrations once when several instances start at the same moment; the others wait and find nothing to do", async () => {
    const url = await freshDatabase();
    const results = await Promise.all([migratePostgres(url), migratePostgres(url), migratePostgres(url)]);
    const appliers = results.filter((result) => result.applied.length > 0);
    expect(appliers).toHaveLength(1);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; checksum: string }>(
        `SELECT migration_name, finished_at, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((row) => row.migration_name)).toEqual(appliers[0]?.applied);
      expect(rows.every((row) => row.finished_at !== null && /^[0-9a-f]{64}$/.test(row.checksum))).toBe(true);
    } finally {
      await client.end();
    }
  });

  it("names a migration lock held too long instead of waiting silently", async () => {
    const url = await freshDatabase();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(72707369)");
      await expect(migratePostgres(url, undefined, 300)).rejects.toThrow(/held the migration lock \(pg_advisory_lock 72707369\)/);
      await holder.query("SELECT pg_advisory_unlock(72707369)");
      expect((await migratePostgres(url, undefined, 300)).applied.length).toBeGreaterThan(0);
    } finally {
      await holder.end();
    }
  });

  it("records a failing migration like Prisma and refuses to start until it is resolved", async () => {
    const url = await freshDatabase();
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-pg-migrations-"));
    fs.mkdirSync(path.join(dir, "20260101000000_good"));
    fs.writeFileSync(path.join(dir, "20260101000000_good", "migration.sql"), `CREATE TABLE "a" ("id" INTEGER);`);
    fs.mkdirSync(path.join(dir, "20260102000000_bad"));
    fs.writeFileSync(path.join(dir, "20260102000000_bad", "migration.sql"), `CREATE TABLE "b" ("id" INTEGER);\nSELECT nope FROM missing;`);
    try {
      await expect(migratePostgres(url, dir)).rejects.toThrow(/Migration 20260102000000_bad failed: .*missing/);
      await expect(migratePostgres(url, dir)).rejects.toThrow(/20260102000000_bad failed earlier/);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; logs: string | null }>(
          `SELECT migration_name, finished_at, logs FROM "_prisma_migrations" ORDER BY migration_name`,
        );
        expect(rows.map((row) => [row.migration_name, row.finished_at !== null])).toEqual([
          ["20260101000000_good", true],
          ["20260102000000_bad", false],
        ]);
        expect(rows[1]?.logs).toMatch(/missing/);
        // The failed file ran as one transaction: its first statement left nothing behind.
        const { rows: tables } = await client.query(`SELECT to_regclass('"b"') AS b, to_regclass('"a"') AS a`);
        expect(tables[0]).toEqual({ a: "a", b: null });
      } finally {
        await client.end();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lets one instance prune at a time", async () => {
    const url = await freshDatabase();
    const poolA = new pg.Pool({ connectionString: url, max: 2 });
    const poolB = new pg.Pool({ connectionString: url, max: 2 });
    try {
      const lockA = postgresPruneLock(poolA);
      const lockB = postgresPruneLock(poolB);
      let release!: () => void;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const insideA = new Promise<void>((resolve) => (entered = resolve));
      const roundA = lockA(async () => {
        entered();
        await holding;
      });
      await insideA;
      let ranB = false;
      expect(await lockB(async () => void (ranB = true))).toBe(false);
      expect(ranB).toBe(false);
      release();
      expect(await roundA).toBe(true);
      expect(await lockB(async () => void (ranB = true))).toBe(true);
      expect(ranB).toBe(true);
    } finally {
      await poolA.end();
      await poolB.end();
    }
  });

});
