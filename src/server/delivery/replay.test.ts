// Replay through the real doors: REST and tRPC over HTTP and WebSocket, against a production
// server on a fresh database, sending to local target servers on 127.0.0.1 (the only address the
// tests open with FORWARD_ALLOWED_NETWORKS).
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startLocalTarget, type LocalTarget } from "~/test/local-target";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { connectWs } from "~/test/ws-client";
import { captureRaw, mintToken, restClient } from "./delivery-test-helpers";

// The attempt exactly as the issue specifies it: these fields, nothing missing.
const ZAttempt = z
  .object({
    id: z.string().min(1),
    requestId: z.string().min(1),
    trigger: z.enum(["manual", "auto", "retry", "cli"]),
    attempt: z.number().int().positive(),
    url: z.string(),
    ip: z.string().nullable(),
    startedAt: z.iso.datetime(),
    durationMs: z.number().int().min(0),
    status: z.number().int().nullable(),
    headers: z.array(z.tuple([z.string(), z.string()])),
    bodyBase64: z.string(),
    bodyTruncated: z.boolean(),
    modified: z.boolean(),
    error: z
      .object({ code: z.enum(["timeout", "connection_refused", "dns", "tls", "blocked_address", "redirect", "too_large", "network"]), message: z.string().min(1) })
      .nullable(),
  })
  .strict();

let server: TestServer;
let target: LocalTarget;
let rest: ReturnType<typeof restClient>;
let cookie: string;
let token: string;
let bin: { id: string; slug: string };

beforeAll(async () => {
  server = await startTestServer({ FORWARD_ALLOWED_NETWORKS: "127.0.0.1/32", MAX_BODY_BYTES: "64" });
  target = await startLocalTarget(() => ({ status: 201, headers: { "X-Target": "yes", "Set-Cookie": "a=1" }, body: "created!" }));
  ({ cookie } = await signUp(server.url));
  token = await mintToken(server.url, cookie);
  rest = restClient(server.url, token);
  const created = await rest("POST", "/bins", { name: "replays" });
  bin = created.json as { id: string; slug: string };
});

afterAll(async () => {
  await target.close();
  await server.close();
});

describe("POST /api/v1/requests/{id}/replays", () => {
  it("sends the stored request byte-exact and records what the target answered", async () => {
    const body = Buffer.from([0, 1, 2, 255, 254, 13, 10]);
    const id = await captureRaw(server.url, `/b/${bin.slug}/github/push?b=2&a=1&a=%20x`, {
      method: "PATCH",
      headers: [["X-Zed", "1"], ["X-Dup", "first"], ["content-type", "application/octet-stream"], ["X-Dup", "second"], ["Connection", "close, X-Zed"]],
      body,
    });
    const before = target.received.length;
    const response = await rest("POST", `/requests/${id}/replays`, { url: `${target.url}/hooks` });
    expect(response.status).toBe(201);
    const attempt = ZAttempt.parse(response.json);
    expect(attempt).toMatchObject({ requestId: id, trigger: "manual", attempt: 1, status: 201, modified: false, error: null, ip: "127.0.0.1", bodyTruncated: false });
    expect(attempt.url).toBe(`${target.url}/hooks/github/push?b=2&a=1&a=%20x`);
    expect(Buffer.from(attempt.bodyBase64, "base64").toString()).toBe("created!");
    expect(attempt.headers.filter(([name]) => ["x-target", "set-cookie"].includes(name.toLowerCase()))).toEqual([
      ["X-Target", "yes"],
      ["Set-Cookie", "a=1"],
    ]);

    const sent = target.received[before];
    expect(sent?.method).toBe("PATCH");
    expect(sent?.url).toBe("/hooks/github/push?b=2&a=1&a=%20x");
    expect(sent?.body.equals(body)).toBe(true);
    // Connection and the header it names are hop-by-hop; the rest keep order, case and duplicates.
    const names = sent?.headers.map(([name]) => name) ?? [];
    expect(names.filter((name) => name.startsWith("X-") || name === "content-type")).toEqual(["X-Dup", "content-type", "X-Dup"]);
    expect(sent?.headers.find(([name]) => name.toLowerCase() === "host")?.[1]).toBe(`127.0.0.1:${target.port}`);
    expect(sent?.headers.find(([name]) => name.toLowerCase() === "content-length")?.[1]).toBe(String(body.length));
  });

  it("keeps attempts on record, oldest first, numbering each request's replays", async () => {
    const id = await captureRaw(server.url, `/b/${bin.slug}`, { body: "{}" });
    await rest("POST", `/requests/${id}/replays`, { url: target.url, pathMode: "exact" });
    await rest("POST", `/requests/${id}/replays`, { url: `${target.url}/x`, host: "original" });
    const { status, json } = await rest("GET", `/requests/${id}/attempts`);
    expect(status).toBe(200);
    const { attempts } = z.object({ attempts: z.array(ZAttempt) }).strict().parse(json);
    expect(attempts.map((a) => [a.attempt, a.url])).toEqual([
      [1, target.url],
      [2, `${target.url}/x`],
    ]);
    // "original" sends the Host the sender used: this test server's.
    const sent = target.received.at(-1);
    expect(sent?.headers.find(([name]) => name.toLowerCase() === "host")?.[1]).toBe(new URL(server.url).host);
  });

  it("applies header overrides, removals and an edited body, marking the attempt modified", async () => {
    const id = await captureRaw(server.url, `/b/${bin.slug}`, { headers: [["X-Keep", "k"], ["X-Drop", "d"], ["X-Over", "old"]], body: "original" });
    const response = await rest("POST", `/requests/${id}/replays`, {
      url: target.url,
      host: "api.example.test",
      headers: [["X-Over", "new"]],
      removeHeaders: ["x-drop"],
      body: Buffer.from("edited").toString("base64"),
    });
    expect(ZAttempt.parse(response.json).modified).toBe(true);
    const sent = target.received.at(-1);
    expect(sent?.body.toString()).toBe("edited");
    expect(sent?.headers.filter(([name]) => name.startsWith("X-"))).toEqual([
      ["X-Keep", "k"],
      ["X-Over", "new"],
    ]);
    expect(sent?.headers.find(([name]) => name.toLowerCase() === "host")?.[1]).toBe("api.example.test");
  });

  it("does not send a truncated capture unless told so explicitly", async () => {
    const id = await captureRaw(server.url, `/b/${bin.slug}`, { body: "x".repeat(200) });
    const before = target.received.length;
    const refused = await rest("POST", `/requests/${id}/replays`, { url: target.url });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: { code: "BAD_REQUEST", field: "allowTruncated" } });
    expect(target.received.length).toBe(before);
    const sent = await rest("POST", `/requests/${id}/replays`, { url: target.url, allowTruncated: true });
    expect(sent.status).toBe(201);
    expect(target.received.at(-1)?.body.length).toBe(64);
  });

  it("records a blocked address as the attempt's error without connecting", async () => {
    const id = await captureRaw(server.url, `/b/${bin.slug}`, { body: "{}" });
    const connections = target.connections();
    const response = await rest("POST", `/requests/${id}/replays`, { url: `http://127.0.0.2:${target.port}/` });
    expect(response.status).toBe(201);
    const attempt = ZAttempt.parse(response.json);
    expect(attempt.status).toBeNull();
    expect(attempt.error?.code).toBe("blocked_address");
    expect(target.connections()).toBe(connections);
  });

  it("refuses bad input with a clear error and sends nothing", async () => {
    const id = await captureRaw(server.url, `/b/${bin.slug}`, { body: "{}" });
    const before = target.received.length;
    for (const [input, path] of [
      [{ url: "ftp://example.test/" }, "url"],
      [{}, "url"],
      [{ url: target.url, body: "not base64!" }, "body"],
      [{ url: target.url, pathMode: "prepend" }, "pathMode"],
      [{ url: target.url, headers: [["Bad Name", "x"]] }, "headers.0.0"],
      [{ url: target.url, headers: [["X-Ok", "line\r\nX-Injected: 1"]] }, "headers.0.1"],
      [{ url: target.url, extra: true }, ""],
    ] as const) {
      const response = await rest("POST", `/requests/${id}/replays`, input);
      expect(response.status, JSON.stringify(input)).toBe(400);
      const issues = (response.json as { error: { issues: { path: string }[] } }).error.issues;
      expect(issues.map((issue) => issue.path)).toContain(path);
    }
    expect(target.received.length).toBe(before);
  });

  it("answers 404 for unknown and foreign requests, and 401 without credentials", async () => {
    const id = await captureRaw(server.url, `/b/${bin.slug}`, { body: "{}" });
    const other = await signUp(server.url);
    const otherRest = restClient(server.url, await mintToken(server.url, other.cookie));
    expect((await otherRest("POST", `/requests/${id}/replays`, { url: target.url })).status).toBe(404);
    expect((await otherRest("GET", `/requests/${id}/attempts`)).status).toBe(404);
    expect((await rest("POST", `/requests/${crypto.randomUUID()}/replays`, { url: target.url })).status).toBe(404);
    const anonymous = await fetch(`${server.url}/api/v1/requests/${id}/replays`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
  });
});

describe("tRPC", () => {
  it("replays through requests.replay and streams the attempt live to requests.onAttempt", async () => {
    const id = await captureRaw(server.url, `/b/${bin.slug}`, { body: "live" });
    const ws = connectWs(server.url, { token });
    try {
      const received: z.infer<typeof ZAttempt>[] = [];
      let arrived!: () => void;
      const first = new Promise<void>((resolve) => (arrived = resolve));
      let started!: () => void;
      const ready = new Promise<void>((resolve) => (started = resolve));
      const subscription = ws.client.requests.onAttempt.subscribe(
        { id },
        {
          onStarted: () => started(),
          onData: (event) => {
            received.push(ZAttempt.parse(event.data));
            arrived();
          },
        },
      );
      await ready;
      const attempt = await ws.client.requests.replay.mutate({ id, replay: { url: target.url } });
      await first;
      subscription.unsubscribe();
      expect(received.map((a) => a.id)).toEqual([attempt.id]);
      expect(await ws.client.requests.attempts.query({ id })).toHaveLength(1);
    } finally {
      ws.close();
    }
  });
});
