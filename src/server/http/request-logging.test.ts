// Request ids and the one JSON log line per request, read back from a pino destination given to
// the real app server.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { createLogger } from "../observability/logger";
import { requestIdFrom } from "../observability/request-id";
import { createAppServer } from "./create-app-server";
import { seedBin } from "~/test/seed";
import { apiFetchHandler, createTestApp } from "~/test/test-app";

type LogLine = Record<string, unknown> & { level: number; msg: string };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

/** The real app server with a logger at `level` whose lines land in `lines`. */
async function start(level: "info" | "debug") {
  const testApp = await createTestApp();
  cleanups.push(() => testApp.close());
  const raw: string[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void raw.push(line) } });
  const listener = getRequestListener(apiFetchHandler(testApp.app), { overrideGlobalObjects: false });
  const fallback = (req: IncomingMessage, res: ServerResponse) =>
    req.url?.startsWith("/explode") ? Promise.reject(new Error("kaboom")) : listener(req, res);
  const server = createAppServer(testApp.app, fallback, { logger });
  const port = await server.listen(0, "127.0.0.1");
  cleanups.push(() => server.close());
  return {
    app: testApp.app,
    url: `http://127.0.0.1:${port}`,
    raw,
    lines: () => raw.map((line) => JSON.parse(line) as LogLine),
    linesFor: (reqId: string) => raw.map((line) => JSON.parse(line) as LogLine).filter((line) => line.reqId === reqId),
  };
}

describe("request ids", () => {
  it("keeps a sane incoming X-Request-Id and replaces anything else with a UUID", () => {
    expect(requestIdFrom("abc.DEF_123-x")).toBe("abc.DEF_123-x");
    expect(requestIdFrom("a".repeat(128))).toBe("a".repeat(128));
    for (const insane of ["a".repeat(129), "", "has space", "semi;colon", "new\nline", "a, b", ["a", "b"], undefined]) {
      expect(requestIdFrom(insane)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe("request log lines", () => {
  it("writes one JSON line per request with reqId, method, path, status and ms, never the query", async () => {
    const server = await start("info");
    const response = await fetch(`${server.url}/api/health?token=query-secret`, { headers: { "x-request-id": "probe.1" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("probe.1");

    await vi.waitFor(() => expect(server.linesFor("probe.1")).toHaveLength(1));
    const [line] = server.linesFor("probe.1");
    expect(line).toMatchObject({ level: 30, reqId: "probe.1", method: "GET", path: "/api/health", status: 200, service: "webhookdump" });
    expect(typeof line?.ms).toBe("number");
    expect(server.raw.join("")).not.toContain("query-secret");
  });

  it("never logs bodies, headers or tokens", async () => {
    const server = await start("info");
    const response = await fetch(`${server.url}/api/v1/bins?x=query-secret`, {
      method: "POST",
      headers: { authorization: "Bearer token-secret-123", cookie: "session=cookie-secret", "content-type": "application/json", "x-request-id": "rest-1" },
      body: JSON.stringify({ name: "body-secret" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("x-request-id")).toBe("rest-1");
    await vi.waitFor(() => expect(server.linesFor("rest-1")).toHaveLength(1));
    expect(server.linesFor("rest-1")[0]).toMatchObject({ method: "POST", path: "/api/v1/bins", status: 401 });
    const all = server.raw.join("");
    for (const secret of ["query-secret", "token-secret-123", "cookie-secret", "body-secret"]) expect(all).not.toContain(secret);
  });

  it("gives a request without a usable id a fresh one, the same in the header and the log", async () => {
    const server = await start("info");
    const response = await fetch(`${server.url}/api/ready`, { headers: { "x-request-id": "not sane!" } });
    const id = response.headers.get("x-request-id") ?? "";
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await vi.waitFor(() => expect(server.linesFor(id)).toHaveLength(1));
    expect(server.raw.join("")).not.toContain("not sane!");
  });

  it("logs captures at debug only, without the query or the body", async () => {
    const quiet = await start("info");
    const { bin: quietBin } = await seedBin(quiet.app.db);
    const first = await fetch(`${quiet.url}/b/${quietBin.slug}/hook`, { method: "POST", body: "x", headers: { "x-request-id": "cap-quiet" } });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-request-id")).toBe("cap-quiet");
    // A later request's line is written after the capture's would have been.
    await fetch(`${quiet.url}/api/health`, { headers: { "x-request-id": "after" } });
    await vi.waitFor(() => expect(quiet.linesFor("after")).toHaveLength(1));
    expect(quiet.linesFor("cap-quiet")).toEqual([]);

    const verbose = await start("debug");
    const { bin } = await seedBin(verbose.app.db);
    const response = await fetch(`${verbose.url}/b/${bin.slug}/hook?signature=query-secret`, {
      method: "POST",
      body: "capture-body-secret",
      headers: { "x-request-id": "cap-1" },
    });
    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(verbose.linesFor("cap-1")).toHaveLength(1));
    expect(verbose.linesFor("cap-1")[0]).toMatchObject({ level: 20, method: "POST", path: `/b/${bin.slug}/hook`, status: 200 });
    const all = verbose.raw.join("");
    expect(all).not.toContain("query-secret");
    expect(all).not.toContain("capture-body-secret");
  });

  it("lets a bin's own X-Request-Id answer header win on its capture URL", async () => {
    const server = await start("info");
    const { bin } = await seedBin(server.app.db);
    await server.app.db.bin.update({
      where: { id: bin.id },
      data: { responseStatus: 200, responseHeaders: JSON.stringify([["X-Request-Id", "from-the-bin"]]), responseBody: "ok" },
    });
    const response = await fetch(`${server.url}/b/${bin.slug}`, { method: "POST", headers: { "x-request-id": "from-the-sender" } });
    expect(response.headers.get("x-request-id")).toBe("from-the-bin");
  });

  it("logs a failed request at error with its id and the error, and answers 500", async () => {
    const server = await start("info");
    const response = await fetch(`${server.url}/explode?k=query-secret`, { headers: { "x-request-id": "boom-1" } });
    expect(response.status).toBe(500);
    expect(response.headers.get("x-request-id")).toBe("boom-1");
    await vi.waitFor(() => expect(server.linesFor("boom-1")).toHaveLength(1));
    const [line] = server.linesFor("boom-1");
    expect(line).toMatchObject({ level: 50, path: "/explode", status: 500 });
    expect((line?.err as { message?: string } | undefined)?.message).toBe("kaboom");
    expect(server.raw.join("")).not.toContain("query-secret");
  });

  it("echoes the id on a WebSocket upgrade and logs the connection once it closes", async () => {
    const server = await start("info");
    const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/api/trpc-ws?connectionParams=0`, { headers: { "x-request-id": "ws-1" } });
    let echoed: string | string[] | undefined;
    socket.on("upgrade", (res) => (echoed = res.headers["x-request-id"]));
    await new Promise<void>((resolve, reject) => {
      socket.on("open", () => resolve());
      socket.on("error", reject);
    });
    expect(echoed).toBe("ws-1");
    socket.close();
    await vi.waitFor(() => expect(server.linesFor("ws-1")).toHaveLength(1));
    expect(server.linesFor("ws-1")[0]).toMatchObject({ level: 30, method: "GET", path: "/api/trpc-ws", status: 101 });
  });
});
