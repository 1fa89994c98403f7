// The operations endpoints through the real app server: /api/health, /api/ready and /metrics are
// answered by create-app-server.ts itself, and the metrics they expose are fed by real captures,
// real WebSocket clients and real subscriptions.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { binLimitsFromEnv, createBin } from "../bins/bins-service";
import type { Db } from "../db/create-db";
import { PrismaClient } from "~/generated/prisma/client";
import { seedBin, seedUser } from "~/test/seed";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { connectWs } from "~/test/ws-client";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

async function start(overrides: Record<string, string> = {}): Promise<TestServer> {
  const server = await startTestServer(overrides);
  cleanups.push(() => server.close());
  return server;
}

async function scrape(server: TestServer, token?: string): Promise<string> {
  const response = await fetch(`${server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample in Prometheus text format (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels = ""): number | undefined {
  const prefix = `${name}${labels} `;
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

async function metricEventually(server: TestServer, name: string, expected: number) {
  await vi.waitFor(async () => expect(sample(await scrape(server), name)).toBe(expected), { timeout: 5_000, interval: 25 });
}

describe("GET /api/health", () => {
  it("answers 200 {status: ok} without Next, with a request id", async () => {
    const server = await start();
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

describe("GET /api/ready", () => {
  it("answers 200 when the database and the bus work", async () => {
    const server = await start();
    const response = await fetch(`${server.url}/api/ready`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe('{"status":"ready","checks":{"database":{"ok":true},"bus":{"ok":true}}}');
  });

  it("answers 503 naming the bus when its check fails", async () => {
    const server = await start();
    const bus = server.app.bus;
    server.app.bus = { ...bus, check: () => Promise.reject(new Error("LISTEN connection is down")) };
    cleanups.push(() => {
      server.app.bus = bus;
    });
    const response = await fetch(`${server.url}/api/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: "unavailable",
      failing: ["bus"],
      checks: { database: { ok: true }, bus: { ok: false, error: "LISTEN connection is down" } },
    });
  });

  it("answers 503 naming the database when it cannot be opened, without the driver's details", async () => {
    const server = await start();
    // A real Prisma client on a "database file" that is a directory: SQLite cannot open it, so
    // every query fails the way an unreachable database does.
    const unopenable = path.join(server.dir, "not-a-database");
    fs.mkdirSync(unopenable);
    const broken = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${unopenable}` }) }) as unknown as Db;
    const db = server.app.db;
    server.app.db = broken;
    cleanups.push(async () => {
      server.app.db = db;
      await broken.$disconnect().catch(() => undefined);
    });

    const response = await fetch(`${server.url}/api/ready`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; failing: string[]; checks: Record<string, { ok: boolean; error?: string }> };
    expect(body).toEqual({
      status: "unavailable",
      failing: ["database"],
      checks: { database: { ok: false, error: "the database did not answer SELECT 1" }, bus: { ok: true } },
    });
    expect(JSON.stringify(body)).not.toContain(server.dir);

    // Liveness keeps its documented answer for the same outage.
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "error", error: "database unavailable" });
  });

  it("answers HEAD without a body and refuses other methods", async () => {
    const server = await start();
    const head = await fetch(`${server.url}/api/ready`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await fetch(`${server.url}/api/ready`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});

describe("GET /metrics", () => {
  it("is open when no METRICS_TOKEN is configured", async () => {
    const server = await start();
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain("# TYPE webhookdump_captures_total counter");
    expect(text).toContain("webhookdump_process_cpu_seconds_total");
  });

  it("requires the bearer token when METRICS_TOKEN is set", async () => {
    const token = "scrape-secret-0123456789";
    const server = await start({ METRICS_TOKEN: token });
    for (const authorization of [undefined, "Bearer wrong-token", `Basic ${token}`, `Bearer ${token}x`, token]) {
      const response = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(response.status, String(authorization)).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("UNAUTHORIZED");
      expect(body.error.message).not.toContain(token);
    }
    expect(await scrape(server, token)).toContain("webhookdump_captures_total");
  });

  it("counts captures by outcome, and times the stored ones", async () => {
    const server = await start({ MAX_BODY_BYTES: "16", RATE_LIMIT_PER_BIN: "3" });
    const user = await seedUser(server.app.db);
    const bin = await createBin(server.app.db, user.id, { name: "Counted", slug: "counted-bin" }, binLimitsFromEnv(server.app.env));
    const send = async (slug: string, body: string) => {
      const response = await fetch(`${server.url}/b/${slug}/hook?token=abc`, { method: "POST", body });
      await response.arrayBuffer();
      return response.status;
    };
    // Three admissions fill the bin's per-minute limit; the next two are refused.
    expect(await send(bin.slug, "small")).toBe(200);
    expect(await send(bin.slug, "small too")).toBe(200);
    expect(await send(bin.slug, "x".repeat(100))).toBe(413);
    expect(await send(bin.slug, "late")).toBe(429);
    expect(await send(bin.slug, "later")).toBe(429);
    expect(await send("no-such-bin", "lost")).toBe(404);

    const text = await scrape(server);
    expect(sample(text, "webhookdump_captures_total", '{outcome="stored"}')).toBe(2);
    expect(sample(text, "webhookdump_captures_total", '{outcome="too_large"}')).toBe(1);
    expect(sample(text, "webhookdump_captures_total", '{outcome="rate_limited"}')).toBe(2);
    expect(sample(text, "webhookdump_captures_total", '{outcome="unknown_bin"}')).toBe(1);
    expect(sample(text, "webhookdump_capture_duration_seconds_count")).toBe(2);
    expect(sample(text, "webhookdump_capture_duration_seconds_sum")).toBeGreaterThan(0);
  });

  it("leaves a bin's configured response delay out of the latency", async () => {
    const server = await start();
    const { bin } = await seedBin(server.app.db, "slow-bin");
    await server.app.db.bin.update({ where: { id: bin.id }, data: { responseStatus: 202, responseDelayMs: 1_500 } });
    const response = await fetch(`${server.url}/b/${bin.slug}`, { method: "POST", body: "x" });
    expect(response.status).toBe(202);
    const text = await scrape(server);
    expect(sample(text, "webhookdump_capture_duration_seconds_count")).toBe(1);
    // Well under the 1.5 s delay even on a busy machine: the delay is not in it.
    expect(sample(text, "webhookdump_capture_duration_seconds_sum")).toBeLessThan(1);
  });

  it("follows WebSocket connections as they open and close", async () => {
    const server = await start();
    expect(sample(await scrape(server), "webhookdump_websocket_connections")).toBe(0);
    const first = connectWs(server.url);
    const second = connectWs(server.url);
    await metricEventually(server, "webhookdump_websocket_connections", 2);
    first.close();
    await metricEventually(server, "webhookdump_websocket_connections", 1);
    second.close();
    await metricEventually(server, "webhookdump_websocket_connections", 0);
  });

  it("counts active subscriptions and the captures delivered to them", async () => {
    const server = await start();
    const owner = await signUp(server.url);
    const bin = await createBin(server.app.db, owner.userId, { name: "Live", slug: `metrics-live-${Date.now()}` });
    const ws = connectWs(server.url, { cookie: owner.cookie });
    cleanups.push(() => ws.close());

    let each = 0;
    let batched = 0;
    let activity = 0;
    const started: Promise<void>[] = [];
    const subscribe = <T>(subscribeTo: (handlers: { onStarted: () => void; onData: (data: T) => void }) => { unsubscribe(): void }, onData: (data: T) => void) => {
      let resolve!: () => void;
      started.push(new Promise<void>((r) => (resolve = r)));
      return subscribeTo({ onStarted: () => resolve(), onData });
    };
    const onCaptured = subscribe(
      (handlers) => ws.client.requests.onCaptured.subscribe({ binId: bin.id }, handlers),
      () => (each += 1),
    );
    const onCapturedBatch = subscribe(
      (handlers) => ws.client.requests.onCapturedBatch.subscribe({ binId: bin.id }, handlers),
      (event: { data: readonly unknown[] }) => (batched += event.data.length),
    );
    const onActivity = subscribe(
      (handlers) => ws.client.bins.onActivity.subscribe(undefined, handlers),
      () => (activity += 1),
    );
    await Promise.all(started);
    await metricEventually(server, "webhookdump_subscriptions_active", 3);

    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${server.url}/b/${bin.slug}`, { method: "POST", body: String(i) });
      expect(response.status).toBe(200);
    }
    await vi.waitFor(() => expect([each, batched, activity > 0]).toEqual([3, 3, true]), { timeout: 5_000, interval: 10 });
    // One per capture per capture subscriber; bin activity is per bin, not per capture.
    expect(sample(await scrape(server), "webhookdump_events_delivered_total")).toBe(6);

    onCaptured.unsubscribe();
    await metricEventually(server, "webhookdump_subscriptions_active", 2);
    onCapturedBatch.unsubscribe();
    onActivity.unsubscribe();
    await metricEventually(server, "webhookdump_subscriptions_active", 0);
  });

  it("does not count a subscription that was refused", async () => {
    const server = await start();
    const owner = await signUp(server.url);
    const ws = connectWs(server.url, { cookie: owner.cookie });
    cleanups.push(() => ws.close());
    const failed = new Promise<Error>((resolve) => {
      ws.client.requests.onCapturedBatch.subscribe({ binId: "someone-elses" }, { onError: resolve, onData: () => undefined });
    });
    expect((await failed).message).toMatch(/not found/i);
    expect(sample(await scrape(server), "webhookdump_subscriptions_active")).toBe(0);
  });
});
