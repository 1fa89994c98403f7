import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import type { CaptureSummary } from "../events/event-bus";
import { createPrismaCaptureStore, type CaptureStore } from "./capture-request";
import { createCaptureWriter } from "./create-capture-writer";
import { createPostgresCaptureStore } from "./postgres-capture-store";
import { createSqliteCaptureStore } from "./sqlite-capture-store";
import { createTestApp, type TestApp } from "~/test/test-app";
import { seedBin } from "~/test/seed";
import { testProvider } from "~/test/test-database";

const input = (slug: string, n: number) => ({
  slug,
  method: "POST",
  path: `/${n}`,
  query: `n=${n}`,
  headers: [["Content-Type", "text/plain"]] as [string, string][],
  body: Buffer.from(`body ${n}`),
  truncated: false,
  declaredSize: null,
  ip: "127.0.0.1",
});

const onSqlite = testProvider() === "sqlite";

const pools: pg.Pool[] = [];
function openPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 2 });
  pools.push(pool);
  return pool;
}

// Each provider's own store runs on its own database only; the Prisma store runs on both.
const stores: { name: string; make: (t: TestApp) => CaptureStore }[] = [
  onSqlite
    ? { name: "SQLite store", make: (t: TestApp) => createSqliteCaptureStore(t.app.env.DATABASE_URL) }
    : { name: "PostgreSQL store", make: (t: TestApp) => createPostgresCaptureStore(openPool(t.app.env.DATABASE_URL)) },
  { name: "Prisma store", make: (t) => createPrismaCaptureStore(t.app.db) },
];

describe.each(stores)("createCaptureWriter with the $name", ({ make }) => {
  let t: TestApp;
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end();
    await t.close();
  });

  it("stores concurrent captures to several bins with contiguous per-bin sequence numbers and publishes each once, in order", async () => {
    t = await createTestApp();
    const a = await seedBin(t.app.db, "writer-a");
    const b = await seedBin(t.app.db, "writer-b");
    const published: CaptureSummary[] = [];
    let reached: { count: number; resolve: () => void } | null = null;
    const record = (summaries: readonly CaptureSummary[]) => {
      published.push(...summaries);
      if (reached && published.length >= reached.count) reached.resolve();
    };
    // The bus may hold events for a few milliseconds to deliver a burst together.
    const delivered = (count: number) =>
      published.length >= count ? Promise.resolve() : new Promise<void>((resolve) => (reached = { count, resolve }));
    t.app.bus.subscribeBin(a.bin.id, record);
    t.app.bus.subscribeBin(b.bin.id, record);
    const writer = createCaptureWriter({ store: make(t), bus: t.app.bus }, { maxBatch: 16 });

    const results = await Promise.all(
      Array.from({ length: 120 }, (_, n) => writer.capture(input(n % 3 === 0 ? "writer-b" : n % 7 === 0 ? "nope-bin" : "writer-a", n))),
    );

    const unknown = results.filter((r) => r.status === "unknown-bin").length;
    const stored = results.filter((r) => r.status === "stored");
    expect(unknown).toBe(Array.from({ length: 120 }, (_, n) => n).filter((n) => n % 3 !== 0 && n % 7 === 0).length);
    expect(stored).toHaveLength(120 - unknown);
    await delivered(stored.length);
    expect(published).toHaveLength(stored.length);
    for (const bin of [a.bin, b.bin]) {
      const seqs = published.filter((s) => s.binId === bin.id).map((s) => s.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      const row = await t.app.db.bin.findUniqueOrThrow({ where: { id: bin.id } });
      expect(row.lastSeq).toBe(seqs.length);
      expect(row.requestCount).toBe(seqs.length);
      expect(await t.app.db.capturedRequest.count({ where: { binId: bin.id } })).toBe(seqs.length);
    }
    // Each stored body is the one its caller sent.
    const sample = stored[5];
    if (sample?.status !== "stored") throw new Error("expected a stored capture");
    const row = await t.app.db.capturedRequest.findUniqueOrThrow({ where: { id: sample.id } });
    expect(Buffer.from(row.body).toString()).toBe(`body ${row.path.slice(1)}`);
    // Prisma reads the row as it reads its own: dates, booleans, nullable numbers, headers.
    expect(row.receivedAt).toBeInstanceOf(Date);
    expect(Math.abs(row.receivedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(row.truncated).toBe(false);
    expect(row.declaredSize).toBeNull();
    expect(JSON.parse(row.headers)).toEqual([["Content-Type", "text/plain"]]);
    expect(row.contentType).toBe("text/plain");
  });

  it("resolves every caller even when the same tick brings more than one batch", async () => {
    t = await createTestApp();
    await seedBin(t.app.db, "writer-c");
    const writer = createCaptureWriter({ store: make(t), bus: t.app.bus }, { maxBatch: 4 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, n) => writer.capture(input("writer-c", n))));
    expect(results.every((r) => r.status === "stored")).toBe(true);
    expect(new Set(results.map((r) => (r.status === "stored" ? r.seq : 0))).size).toBe(30);
  });
});

describe.skipIf(!onSqlite)("SQLite capture store bin lookups", () => {
  let t: TestApp;
  afterEach(() => t.close());

  it("sees bins created, changed and deleted through Prisma at once, despite its cache", async () => {
    t = await createTestApp();
    const store = createSqliteCaptureStore(t.app.env.DATABASE_URL);
    try {
      expect(await store.lookupBin("cached-bin")).toBeNull();
      const { bin } = await seedBin(t.app.db, "cached-bin");
      expect((await store.lookupBin("cached-bin"))?.response).toBeNull();
      await t.app.db.bin.update({ where: { id: bin.id }, data: { responseStatus: 202, rateLimitPerMinute: 5 } });
      expect(await store.lookupBin("cached-bin")).toMatchObject({ rateLimitPerMinute: 5, response: { status: 202 } });
      await t.app.db.bin.delete({ where: { id: bin.id } });
      expect(await store.lookupBin("cached-bin")).toBeNull();
    } finally {
      store.close();
    }
  });
});
