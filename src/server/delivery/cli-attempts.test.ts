// POST /api/v1/requests/{id}/attempts: the CLI reports a delivery it made from the user's machine;
// the attempt is stored with trigger "cli" and shown live to open inspectors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { connectWs } from "~/test/ws-client";
import { captureRaw, mintToken, restClient } from "./delivery-test-helpers";
import type { AttemptJson } from "./attempts-store";

let server: TestServer;
let token: string;
let rest: ReturnType<typeof restClient>;
let bin: { id: string; slug: string };

beforeAll(async () => {
  server = await startTestServer();
  const { cookie } = await signUp(server.url);
  token = await mintToken(server.url, cookie);
  rest = restClient(server.url, token);
  bin = (await rest("POST", "/bins", { name: "cli" })).json as { id: string; slug: string };
});

afterAll(async () => {
  await server.close();
});

const report = {
  url: "http://localhost:3000/webhooks/stripe",
  startedAt: "2026-01-31T09:00:00.000Z",
  durationMs: 12.4,
  status: 200,
  headers: [["Content-Type", "text/plain"], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]],
  bodyBase64: Buffer.from("ok").toString("base64"),
  bodyTruncated: false,
  error: null,
};

describe("POST /api/v1/requests/{id}/attempts", () => {
  it("records the delivery as a cli attempt, numbered per request, and publishes it live", async () => {
    const id = await captureRaw(server.url, `/b/${bin.slug}/stripe`, { body: "{}" });
    const ws = connectWs(server.url, { token });
    const live: AttemptJson[] = [];
    let started = () => {};
    const startedPromise = new Promise<void>((resolve) => (started = resolve));
    const subscription = ws.client.requests.onAttempt.subscribe({ id }, { onStarted: () => started(), onData: (event) => live.push(event.data) });
    try {
      await startedPromise;
      const first = await rest("POST", `/requests/${id}/attempts`, report);
      expect(first.status).toBe(201);
      expect(first.json).toMatchObject({
        requestId: id,
        trigger: "cli",
        attempt: 1,
        url: report.url,
        status: 200,
        durationMs: 12,
        headers: report.headers,
        bodyBase64: report.bodyBase64,
        error: null,
        modified: false,
      });
      const refused = await rest("POST", `/requests/${id}/attempts`, {
        ...report,
        status: null,
        headers: [],
        bodyBase64: "",
        error: { code: "connection_refused", message: "connect ECONNREFUSED 127.0.0.1:3000" },
        modified: true,
      });
      expect(refused.status).toBe(201);
      expect(refused.json).toMatchObject({ trigger: "cli", attempt: 2, status: null, modified: true, error: { code: "connection_refused" } });
      await expect.poll(() => live.map((attempt) => attempt.attempt)).toEqual([1, 2]);
      const listed = await rest("GET", `/requests/${id}/attempts`);
      expect((listed.json as { attempts: AttemptJson[] }).attempts.map((a) => [a.trigger, a.attempt])).toEqual([
        ["cli", 1],
        ["cli", 2],
      ]);
    } finally {
      subscription.unsubscribe();
      ws.close();
    }
  });

  it("is also a tRPC mutation", async () => {
    const id = await captureRaw(server.url, `/b/${bin.slug}/trpc`);
    const ws = connectWs(server.url, { token });
    try {
      const attempt = await ws.client.requests.reportAttempt.mutate({ id, attempt: { ...report, headers: [["A", "1"]] } });
      expect(attempt).toMatchObject({ trigger: "cli", attempt: 1, status: 200 });
    } finally {
      ws.close();
    }
  });

  it("rejects a bad report with 400 naming the field", async () => {
    const id = await captureRaw(server.url, `/b/${bin.slug}/bad`);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...report, url: "ftp://x" }, "url"],
      [{ ...report, startedAt: "yesterday" }, "startedAt"],
      [{ ...report, status: 42 }, "status"],
      [{ ...report, status: null, error: null }, "status"],
      [{ ...report, bodyBase64: "not base64!" }, "bodyBase64"],
      [{ ...report, bodyBase64: Buffer.alloc(1024 * 1024 + 1).toString("base64") }, "bodyBase64"],
      [{ ...report, error: { code: "exploded", message: "x" } }, "error.code"],
      [{ ...report, trigger: "manual" }, ""],
    ];
    for (const [body, field] of cases) {
      const response = await rest("POST", `/requests/${id}/attempts`, body);
      expect(response.status, field).toBe(400);
      const issues = (response.json as { error: { issues: { path: string }[] } }).error.issues.map((issue) => issue.path);
      expect(issues, field).toContain(field);
    }
    // Exactly 1 MiB is allowed.
    const full = await rest("POST", `/requests/${id}/attempts`, { ...report, bodyBase64: Buffer.alloc(1024 * 1024).toString("base64") });
    expect(full.status).toBe(201);
  });

  it("answers 404 for another user's request", async () => {
    const other = await signUp(server.url);
    const otherRest = restClient(server.url, await mintToken(server.url, other.cookie));
    const id = await captureRaw(server.url, `/b/${bin.slug}/mine`);
    const response = await otherRest("POST", `/requests/${id}/attempts`, report);
    expect(response.status).toBe(404);
    expect((await rest("GET", `/requests/${id}/attempts`)).json).toEqual({ attempts: [] });
  });
});
