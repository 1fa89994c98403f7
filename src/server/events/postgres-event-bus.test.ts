import crypto from "node:crypto";
import net from "node:net";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBin } from "../bins/bins-service";
import { captureRequest, createPrismaCaptureStore, type CaptureInput } from "../capture/capture-request";
import { createCaptureReader } from "./capture-reader";
import type { CaptureSummary, EventBus } from "./event-bus";
import {
  ZCaptureNotification,
  encodeNotifications,
  startPostgresEventBus,
  type NotificationEntry,
  type PostgresEventBus,
  type PostgresEventBusOptions,
} from "./postgres-event-bus";
import { createTestApp, type TestApp } from "~/test/test-app";
import { seedBin, seedUser } from "~/test/seed";

// The admin URL of a scratch PostgreSQL server, e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres.
const PG_URL = process.env.TEST_POSTGRES_URL;

const input = (slug: string, n: number): CaptureInput => ({
  slug,
  method: "POST",
  path: `/${n}`,
  query: "",
  headers: [["Content-Type", "text/plain"]],
  body: new Uint8Array(Buffer.from(`body ${n}`)),
  truncated: false,
  declaredSize: null,
  ip: "127.0.0.1",
});

/** Collects what a listener receives; `until(n)` waits for n captures or fails naming what came. */
function collector(name: string) {
  const received: CaptureSummary[] = [];
  let waiter: { count: number; resolve: () => void } | null = null;
  return {
    received,
    listener: (summaries: readonly CaptureSummary[]) => {
      received.push(...summaries);
      if (waiter && received.length >= waiter.count) waiter.resolve();
    },
    seqs: (binId?: string) => received.filter((s) => binId === undefined || s.binId === binId).map((s) => s.seq),
    until(count: number, timeoutMs = 5_000): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name}: waited for ${count} captures, got ${received.length}: ${JSON.stringify(received.map((s) => s.seq))}`)),
          timeoutMs,
        );
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    },
  };
}

/** A log that tests can wait on. */
function recordingLog() {
  const entries: { level: "warn" | "error"; msg: string; obj: object }[] = [];
  const waiters: { pattern: RegExp; count: number; resolve: () => void }[] = [];
  const matching = (pattern: RegExp) => entries.filter((entry) => pattern.test(entry.msg)).length;
  const record = (level: "warn" | "error") => (obj: object, msg: string) => {
    entries.push({ level, msg, obj });
    for (const waiter of [...waiters]) if (matching(waiter.pattern) >= waiter.count) waiter.resolve();
  };
  return {
    entries,
    log: { warn: record("warn"), error: record("error") },
    matching,
    waitFor(pattern: RegExp, count = 1, timeoutMs = 5_000): Promise<void> {
      if (matching(pattern) >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line ${pattern} (x${count}) within ${timeoutMs} ms: ${JSON.stringify(entries.map((e) => e.msg))}`)), timeoutMs);
        waiters.push({
          pattern,
          count,
          resolve: () => {
            clearTimeout(timer);
            waiters.splice(waiters.findIndex((w) => w.pattern === pattern), 1);
            resolve();
          },
        });
      });
    },
  };
}

/** Retries an assertion on server-side state (pg_stat_activity) that settles asynchronously. */
async function eventually(assertion: () => Promise<void>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/**
 * A TCP proxy to PostgreSQL that can refuse new connections: keeps a bus deaf for exactly as long
 * as a test needs, whatever its reconnect delay and the machine's speed.
 */
async function gatedProxy(target: string) {
  const upstreamUrl = new URL(target);
  let open = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    if (!open) {
      socket.destroy();
      return;
    }
    const upstream = net.connect(Number(upstreamUrl.port || 5432), upstreamUrl.hostname);
    for (const [from, to] of [[socket, upstream], [upstream, socket]] as const) {
      sockets.add(from);
      from.pipe(to);
      from.on("error", () => to.destroy());
      from.on("close", () => {
        sockets.delete(from);
        to.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(address.port);
  return {
    url: url.toString(),
    setOpen(value: boolean) {
      open = value;
    },
    /** Stops forwarding on the connections made so far, like a network that drops packets. */
    freeze() {
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("encodeNotifications", () => {
  it("packs entries into as few payloads as fit under the limit, in order", () => {
    const entries: NotificationEntry[] = Array.from({ length: 300 }, (_, i) => [`bin-${i}-${"x".repeat(20)}`, `user-${"y".repeat(30)}`, i + 1, i + 3]);
    const payloads = encodeNotifications("instance-1", 1_700_000_000_000, entries);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(7_500);
    const decoded = payloads.map((payload) => ZCaptureNotification.parse(JSON.parse(payload)));
    expect(decoded.flatMap((n) => n.b)).toEqual(entries);
    expect(decoded.every((n) => n.i === "instance-1" && n.t === 1_700_000_000_000)).toBe(true);
    // A payload is split only when the next entry would not fit.
    expect(Buffer.byteLength(payloads[0] ?? "") + JSON.stringify(entries[0]).length + 1).toBeGreaterThan(7_500);
    expect(encodeNotifications("i", 1, [["b", "u", 1, 1]])).toEqual(['{"i":"i","t":1,"b":[["b","u",1,1]]}']);
  });
});

describe.skipIf(!PG_URL)("postgres event bus", () => {
  const url = PG_URL ?? "";
  let t: TestApp;
  let pool: pg.Pool;
  let channel: string;
  let cleanups: (() => Promise<unknown>)[];

  beforeEach(async () => {
    t = await createTestApp();
    pool = new pg.Pool({ connectionString: url, max: 4 });
    channel = `wd_test_${crypto.randomBytes(6).toString("hex")}`;
    cleanups = [];
  });

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await pool.end();
    await t.close();
  });

  /** A bus on the shared test channel, reading rows from the test app's database. */
  async function startBus(name: string, extra: Partial<PostgresEventBusOptions> = {}) {
    const logs = recordingLog();
    const bus = await startPostgresEventBus({
      pool,
      connectionString: url,
      reader: createCaptureReader(t.app.db),
      instanceId: `${name}-${crypto.randomUUID()}`,
      channel,
      log: logs.log,
      ...extra,
    });
    cleanups.push(() => bus.close());
    return { bus, logs };
  }

  /** A plain LISTEN on the test channel: what actually went over PostgreSQL. */
  async function rawListener() {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const payloads: string[] = [];
    let waiter: { done: () => boolean; resolve: () => void } | null = null;
    client.on("notification", (message) => {
      payloads.push(message.payload ?? "");
      if (waiter?.done()) waiter.resolve();
    });
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    cleanups.push(() => client.end());
    const entries = () => payloads.map((p) => ZCaptureNotification.parse(JSON.parse(p))).flatMap((n) => n.b);
    return {
      payloads,
      entries,
      /** Waits until the notifications announced `count` captures in all. */
      untilCaptures: (count: number) => {
        const done = () => entries().reduce((sum, [, , from, to]) => sum + to - from + 1, 0) >= count;
        return done() ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { done, resolve }));
      },
    };
  }

  /** Stores captures in one transaction and publishes them as one round, as the capture writer does. */
  async function captureRound(bus: EventBus, inputs: CaptureInput[]) {
    const { outcomes } = await createPrismaCaptureStore(t.app.db).store(inputs);
    bus.publish(outcomes.flatMap((outcome) => (outcome.published ? [outcome.published] : [])));
  }

  const capture = (bus: EventBus, slug: string, n: number) => captureRequest({ db: t.app.db, bus }, input(slug, n));

  async function listenPid(bus: PostgresEventBus): Promise<number> {
    const { rows } = await pool.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [bus.applicationName]);
    expect(rows).toHaveLength(1);
    return rows[0]?.pid ?? 0;
  }

  it("delivers captures published on A to bin and user subscribers on B exactly once, in order, and not back to A", async () => {
    const lags: number[] = [];
    const lagsOnA: number[] = [];
    const a = await startBus("a", { onLag: (seconds) => lagsOnA.push(seconds) });
    const b = await startBus("b", { onLag: (seconds) => lags.push(seconds) });
    const raw = await rawListener();
    const { user, bin } = await seedBin(t.app.db);
    const second = await createBin(t.app.db, user.id, { name: "Second" });
    const marker = await seedBin(t.app.db);

    const onB = collector("bin on B");
    const userOnB = collector("user on B");
    const onA = collector("bin on A");
    const markerOnA = collector("marker bin on A");
    b.bus.subscribeBin(bin.id, onB.listener);
    b.bus.subscribeUser(user.id, userOnB.listener);
    a.bus.subscribeBin(bin.id, onA.listener);
    a.bus.subscribeBin(marker.bin.id, markerOnA.listener);
    await b.bus.check();

    // Each round waits for its NOTIFY: rounds published while one is in flight share the next.
    for (let n = 1; n <= 3; n++) {
      await capture(a.bus, bin.slug, n);
      await raw.untilCaptures(n);
    }
    await captureRound(a.bus, [4, 5, 6, 7].map((n) => input(bin.slug, n)));
    await raw.untilCaptures(7);
    await captureRound(a.bus, [input(second.slug, 1), input(second.slug, 2)]);
    // Published on A: A's own subscriber had them at once, from the memory bus.
    expect(onA.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7]);

    await onB.until(7);
    await userOnB.until(9);
    await capture(a.bus, bin.slug, 8);
    await onB.until(8);
    await userOnB.until(10);
    // B's notification reaches A after A's own last one (PostgreSQL delivers in commit order):
    // once A has it, A has seen and ignored all of its own.
    await capture(b.bus, marker.bin.slug, 1);
    await markerOnA.until(1);

    expect(onB.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(onB.received.every((s) => s.binId === bin.id && s.path === `/${s.seq}`)).toBe(true);
    expect(userOnB.seqs(bin.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(userOnB.seqs(second.id)).toEqual([1, 2]);
    expect(onA.seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(markerOnA.seqs()).toEqual([1]);

    // One NOTIFY per round, carrying ranges, not summaries.
    await raw.untilCaptures(11);
    expect(raw.entries().map(([binId, userId, from, to]) => [binId === bin.id ? "bin" : binId === second.id ? "second" : "marker", userId === user.id, from, to])).toEqual([
      ["bin", true, 1, 1],
      ["bin", true, 2, 2],
      ["bin", true, 3, 3],
      ["bin", true, 4, 7],
      ["second", true, 1, 2],
      ["bin", true, 8, 8],
      ["marker", false, 1, 1],
    ]);
    expect(raw.payloads.every((p) => Buffer.byteLength(p) < 200)).toBe(true);
    // Per entry from another instance; A heard only B's marker, its own entries were dropped unread.
    expect(lags).toHaveLength(6);
    expect(lags.every((s) => s >= 0 && s < 5)).toBe(true);
    expect(lagsOnA).toHaveLength(1);
    await a.bus.check();
    await b.bus.check();
  });

  it("splits a round too big for one NOTIFY into several, and every capture still arrives", async () => {
    const a = await startBus("a");
    const b = await startBus("b");
    const raw = await rawListener();
    const owners = [await seedUser(t.app.db), await seedUser(t.app.db)];
    const bins = [];
    for (let i = 0; i < 130; i++) {
      const owner = owners[i % 2];
      if (!owner) throw new Error("no owner");
      bins.push(await createBin(t.app.db, owner.id, { name: `Bin ${i}` }));
    }
    const perBin = collector("bins on B");
    const firstOwner = collector("first owner on B");
    for (const bin of bins) b.bus.subscribeBin(bin.id, perBin.listener);
    b.bus.subscribeUser(owners[0]?.id ?? "", firstOwner.listener);

    await captureRound(a.bus, bins.flatMap((bin) => [input(bin.slug, 1), input(bin.slug, 2)]));

    await perBin.until(260);
    await firstOwner.until(130);
    await raw.untilCaptures(260);
    expect(raw.payloads.length).toBeGreaterThan(1);
    expect(raw.payloads.every((p) => Buffer.byteLength(p) <= 7_500)).toBe(true);
    expect(raw.entries()).toHaveLength(130);
    for (const bin of bins) expect(perBin.seqs(bin.id)).toEqual([1, 2]);
    expect(perBin.received).toHaveLength(260);
  });

  it("re-listens after its connection is killed and delivers what was captured meanwhile, exactly once", async () => {
    const a = await startBus("a");
    const proxy = await gatedProxy(url);
    cleanups.push(() => proxy.close());
    const b = await startBus("b", { connectionString: proxy.url, reconnectDelayMs: { min: 20, max: 100 } });
    const { user, bin } = await seedBin(t.app.db);
    const other = await createBin(t.app.db, user.id, { name: "Watched through the user only" });
    const quiet = await seedBin(t.app.db);
    const onB = collector("bin on B");
    const userOnB = collector("user on B");
    const quietOnB = collector("quiet bin on B");
    b.bus.subscribeBin(bin.id, onB.listener);
    b.bus.subscribeUser(user.id, userOnB.listener);
    // Subscribed while connected, no capture seen before the outage: caught up from its lastSeq.
    b.bus.subscribeBin(quiet.bin.id, quietOnB.listener);

    await capture(a.bus, bin.slug, 1);
    await capture(a.bus, other.slug, 1);
    await onB.until(1);
    await userOnB.until(2);

    // B cannot reconnect until the proxy opens again.
    proxy.setOpen(false);
    await pool.query("SELECT pg_terminate_backend($1)", [await listenPid(b.bus)]);
    await b.logs.waitFor(/connection for captures lost/);
    await expect(b.bus.check()).rejects.toThrow(/LISTEN connection is down \(reconnecting\)/);

    await captureRound(a.bus, [input(bin.slug, 2), input(bin.slug, 3)]);
    await capture(a.bus, bin.slug, 4);
    await capture(a.bus, other.slug, 2);
    await capture(a.bus, other.slug, 3);
    await capture(a.bus, quiet.bin.slug, 1);
    // Still down, and trying: all of the above was announced while B could not hear it.
    await b.logs.waitFor(/could not LISTEN/, 2);
    await expect(b.bus.check()).rejects.toThrow(/down/);
    proxy.setOpen(true);

    await onB.until(4);
    await quietOnB.until(1);
    // The user's list gets the directly watched bin's captures and the other bin's newest.
    await userOnB.until(6);
    await b.bus.check();

    // A capture after the catch-up: anything duplicated or late would have arrived before it.
    await capture(a.bus, bin.slug, 5);
    await onB.until(5);
    await userOnB.until(7);
    expect(onB.seqs()).toEqual([1, 2, 3, 4, 5]);
    expect(userOnB.seqs(bin.id)).toEqual([1, 2, 3, 4, 5]);
    expect(userOnB.seqs(other.id)).toEqual([1, 3]);
    expect(quietOnB.seqs()).toEqual([1]);
    // The new connection is B's only one.
    await listenPid(b.bus);
  });

  it("reads a gap from the database when a notification is missing, and skips the late one", async () => {
    const a = await startBus("a");
    const b = await startBus("b");
    const { user, bin } = await seedBin(t.app.db);
    const onB = collector("bin on B");
    const userOnB = collector("user on B");
    b.bus.subscribeBin(bin.id, onB.listener);
    b.bus.subscribeUser(user.id, userOnB.listener);
    const lateNotify = (from: number, to: number) =>
      pool.query("SELECT pg_notify($1, $2)", [channel, JSON.stringify({ i: "late", t: Date.now(), b: [[bin.id, user.id, from, to]] })]);

    await capture(a.bus, bin.slug, 1);
    await onB.until(1);
    // Stored, its notification not (yet) sent: the next announcement covers it.
    await createPrismaCaptureStore(t.app.db).store([input(bin.slug, 2)]);
    await capture(a.bus, bin.slug, 3);
    await onB.until(3);
    expect(onB.seqs()).toEqual([1, 2, 3]);

    // B's own capture after a gap (seq 4 not announced to B yet): B reads the gap itself and
    // does not hand its own capture out twice.
    await createPrismaCaptureStore(t.app.db).store([input(bin.slug, 4)]);
    await capture(b.bus, bin.slug, 5);
    await onB.until(5);
    await lateNotify(2, 2);
    await lateNotify(4, 4);
    await capture(a.bus, bin.slug, 6);
    await onB.until(6);
    await userOnB.until(6);
    expect(onB.seqs()).toEqual([1, 2, 3, 5, 4, 6]);
    expect(userOnB.seqs()).toEqual([1, 2, 3, 5, 4, 6]);
  });

  it("check() replaces a LISTEN connection that stops answering", async () => {
    const a = await startBus("a");
    const proxy = await gatedProxy(url);
    cleanups.push(() => proxy.close());
    const b = await startBus("b", { connectionString: proxy.url, reconnectDelayMs: { min: 20, max: 100 } });
    const { bin } = await seedBin(t.app.db);
    const onB = collector("bin on B");
    b.bus.subscribeBin(bin.id, onB.listener);
    await b.bus.check();

    proxy.freeze();
    await expect(b.bus.check()).rejects.toThrow(/LISTEN connection is not answering: no answer to SELECT 1 within 2000 ms/);
    await b.logs.waitFor(/connection for captures lost/);
    await capture(a.bus, bin.slug, 1);
    await onB.until(1);
    await b.bus.check();
  });

  it("ignores malformed notifications and keeps delivering", async () => {
    const a = await startBus("a");
    const b = await startBus("b");
    const { bin } = await seedBin(t.app.db);
    const onB = collector("bin on B");
    b.bus.subscribeBin(bin.id, onB.listener);
    const notify = (payload: string) => pool.query("SELECT pg_notify($1, $2)", [channel, payload]);

    await notify("not json");
    await notify(JSON.stringify({ i: "someone" }));
    await notify(JSON.stringify({ i: "someone", t: Date.now(), b: [[bin.id, "u", 5, 2]] }));
    await notify(JSON.stringify({ i: "someone", t: Date.now(), b: [[bin.id, "u", 0, 1]] }));
    await b.logs.waitFor(/malformed capture notification/, 4);

    await capture(a.bus, bin.slug, 1);
    await onB.until(1);
    expect(onB.seqs()).toEqual([1]);
    expect(b.logs.entries.filter((e) => e.level === "error")).toEqual([]);
    await b.bus.check();
  });

  it("logs a failed NOTIFY instead of throwing into the capture path", async () => {
    const broken = new pg.Pool({ connectionString: url.replace(/:\d+\//, ":1/"), connectionTimeoutMillis: 2_000 });
    cleanups.push(() => broken.end());
    const a = await startBus("a", { pool: broken });
    const { bin } = await seedBin(t.app.db);
    const onA = collector("bin on A");
    a.bus.subscribeBin(bin.id, onA.listener);
    await expect(capture(a.bus, bin.slug, 1)).resolves.toMatchObject({ status: "stored", seq: 1 });
    expect(onA.seqs()).toEqual([1]);
    await a.logs.waitFor(/NOTIFY of captures failed/);
  });

  it("refuses to start when PostgreSQL cannot be reached", async () => {
    const logs = recordingLog();
    await expect(
      startPostgresEventBus({ pool, connectionString: url.replace(/:\d+\//, ":1/"), reader: createCaptureReader(t.app.db), channel, log: logs.log }),
    ).rejects.toThrow(/could not LISTEN on PostgreSQL/);
  });

  it("closes idempotently, leaving no connection behind", async () => {
    const { bus } = await startBus("closing");
    const { bin } = await seedBin(t.app.db);
    const onBus = collector("bin");
    bus.subscribeBin(bin.id, onBus.listener);
    await listenPid(bus);

    await Promise.all([bus.close(), bus.close()]);
    await bus.close();
    await expect(bus.check()).rejects.toThrow(/closed/);
    // Publishing after close is a no-op, not an error.
    bus.publish([]);
    await captureRequest({ db: t.app.db, bus }, input(bin.slug, 1));
    expect(onBus.received).toEqual([]);
    await eventually(async () => {
      const { rows } = await pool.query("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [bus.applicationName]);
      expect(rows).toEqual([]);
    });
  });
});
