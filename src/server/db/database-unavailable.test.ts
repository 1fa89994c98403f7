// PostgreSQL stopped hard under a running server, for real: a private cluster (initdb in a temp
// dir, its own loopback port) is stopped and started again. While it is down, captures and the REST
// API answer 503 DATABASE_UNAVAILABLE with Retry-After (not 500); the outage is logged once when it
// starts and once when it ends, and the same process serves again once the database is back.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAppServer, type AppServer } from "../http/create-app-server";
import { createLogger } from "../observability/logger";
import { startPrivatePostgres, type PrivatePostgres } from "~/test/private-postgres";
import { apiFetchHandler, createTestApp, signUp, type TestApp } from "~/test/test-app";
import { testProvider } from "~/test/test-database";

// The cluster is the test's own whatever the suite's provider: run it once, in the SQLite pass.
const cluster = testProvider() === "sqlite" ? await startPrivatePostgres() : { missing: "runs in the SQLite pass only" };
if ("missing" in cluster && testProvider() === "sqlite") {
  // CI installs PostgreSQL (REQUIRE_POSTGRES=1): there a missing cluster is a failure, not a skip.
  if (process.env.REQUIRE_POSTGRES === "1") throw new Error(`database-unavailable.test.ts cannot run: ${cluster.missing}`);
  console.warn(`SKIPPED database-unavailable.test.ts: ${cluster.missing}`);
}
const pg: PrivatePostgres | null = "missing" in cluster ? null : cluster;

const ZError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
type LogLine = { level: number; msg: string; condition?: string; status?: number };

describe.skipIf(pg === null)("PostgreSQL stopped and started under a running server", () => {
  const raw: string[] = [];
  const lines = () => raw.map((line) => JSON.parse(line) as LogLine);
  let testApp: TestApp;
  let server: AppServer;
  let url: string;
  let binUrl: string;
  let binId: string;
  let cookie: string;

  beforeAll(async () => {
    if (!pg) return;
    testApp = await createTestApp({ DATABASE_URL: pg.url, EVENT_BUS: "memory" });
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void raw.push(line) } });
    const listener = getRequestListener(apiFetchHandler(testApp.app), { overrideGlobalObjects: false });
    server = createAppServer(testApp.app, (req: IncomingMessage, res: ServerResponse) => listener(req, res), { logger });
    url = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
    cookie = (await signUp(url)).cookie;
    const created = await fetch(`${url}/api/v1/bins`, { method: "POST", headers: { cookie, origin: url, "content-type": "application/json" }, body: JSON.stringify({ name: "outage", slug: "pg-outage" }) });
    const bin = z.object({ id: z.string(), url: z.string() }).parse(await created.json());
    binUrl = bin.url;
    binId = bin.id;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await testApp?.close();
    pg?.destroy();
  });

  it("answers 503 DATABASE_UNAVAILABLE with Retry-After while it is down, logs it once, and serves again after", async () => {
    if (!pg) return;
    expect((await fetch(binUrl, { method: "POST", body: "before" })).status).toBe(200);

    pg.stop();
    const stoppedAt = performance.now();
    for (let i = 0; i < 5; i++) {
      const capture = await fetch(`${binUrl}/${i}`, { method: "POST", body: "while down" });
      expect(capture.status).toBe(503);
      expect(capture.headers.get("retry-after")).toBe("5");
      expect(ZError.parse(await capture.json()).error.code).toBe("DATABASE_UNAVAILABLE");
    }
    const list = await fetch(`${url}/api/v1/bins/${binId}/requests`, { headers: { cookie } });
    expect(list.status).toBe(503);
    expect(list.headers.get("retry-after")).toBe("5");
    expect(ZError.parse(await list.json()).error.code).toBe("DATABASE_UNAVAILABLE");
    const downMs = Math.round(performance.now() - stoppedAt);

    pg.start();
    const startedAt = performance.now();
    // The pool's first attempt may still meet a connection the old server left half-closed.
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await fetch(binUrl, { method: "POST", body: "after" });
      status = response.status;
      await response.arrayBuffer();
    }
    expect(status).toBe(200);
    console.log(`postgres outage: refused for ${downMs} ms, serving again ${Math.round(performance.now() - startedAt)} ms after pg_ctl start returned`);

    expect(lines().filter((line) => line.condition === "unavailable" && line.level === 50)).toHaveLength(1);
    expect(lines().filter((line) => line.msg === "database condition ended")).toHaveLength(1);
    // Each refused request keeps its own request line (status 503), never a 500.
    expect(lines().filter((line) => line.status === 500)).toHaveLength(0);
  }, 60_000);
});
