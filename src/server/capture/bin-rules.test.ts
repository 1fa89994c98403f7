// Custom responses, rate limits, counters and retention, through the real HTTP server and REST API.
import { afterEach, describe, expect, it } from "vitest";
import { pruneBins } from "../retention/prune-bins";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";

interface BinJson {
  id: string;
  slug: string;
  requestCount: number;
  counters: { tooLarge: number; rateLimited: number; prunedByCount: number; prunedByAge: number };
}

async function setup(overrides: Record<string, string> = {}) {
  const server = await startTestServer({ MAX_BODY_BYTES: "1024", ...overrides });
  const { cookie } = await signUp(server.url);
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      ...init,
      headers: { cookie, "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) },
    });
    return { status: response.status, json: response.status === 204 ? null : ((await response.json()) as unknown) };
  };
  const createBin = async (slug: string) => (await api("/bins", { method: "POST", body: JSON.stringify({ name: slug, slug }) })).json as BinJson;
  const getBin = async (id: string) => (await api(`/bins/${id}`)).json as BinJson;
  return { server, api, createBin, getBin };
}

describe("bin rules over HTTP", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("answers with the bin's custom status, headers, body and type, sandboxed, and records the status", async () => {
    const s = await setup();
    server = s.server;
    const bin = await s.createBin("custom-answer");
    const patched = await s.api(`/bins/${bin.id}`, {
      method: "PATCH",
      body: JSON.stringify({
        response: { status: 201, headers: [["X-Reply", "one"], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]], body: "<h1>created</h1><script>alert(1)</script>", contentType: "text/html; charset=utf-8" },
      }),
    });
    expect(patched.status).toBe(200);
    const response = await fetch(`${s.server.url}/b/custom-answer/x`, { method: "POST", body: "hi" });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe("<h1>created</h1><script>alert(1)</script>");
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("x-reply")).toBe("one");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(response.headers.get("content-security-policy")).toBe("sandbox");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const id = response.headers.get("x-webhookdump-request-id");
    const record = (await s.api(`/requests/${id}`)).json as { responseStatus: number };
    expect(record.responseStatus).toBe(201);

    const reset = await s.api(`/bins/${bin.id}`, { method: "PATCH", body: JSON.stringify({ response: null }) });
    expect((reset.json as { response: unknown }).response).toBeNull();
    const plain = await fetch(`${s.server.url}/b/custom-answer`, { method: "POST" });
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as { ok: boolean }).ok).toBe(true);
  });

  it("refuses invalid responses with 400 naming the problem", async () => {
    const s = await setup();
    server = s.server;
    const bin = await s.createBin("bad-answer");
    for (const [response, expected] of [
      [{ status: 700 }, "200-599"],
      [{ status: 200, headers: [["Transfer-Encoding", "chunked"]] }, "Transfer-Encoding"],
      [{ status: 200, headers: [["Content-Length", "3"]] }, "Content-Length"],
      [{ status: 200, delayMs: 30_001 }, "0-30000"],
      [{ status: 200, body: "x".repeat(64 * 1024 + 1) }, "64 KiB"],
    ] as const) {
      const result = await s.api(`/bins/${bin.id}`, { method: "PATCH", body: JSON.stringify({ response }) });
      expect(result.status).toBe(400);
      expect(JSON.stringify(result.json)).toContain(expected);
    }
  });

  it("delays one bin's answer without holding up another bin's", async () => {
    const s = await setup();
    server = s.server;
    const slow = await s.createBin("slow-answer");
    await s.createBin("fast-answer");
    await s.api(`/bins/${slow.id}`, { method: "PATCH", body: JSON.stringify({ response: { status: 200, body: "slow", delayMs: 1500 } }) });
    const order: string[] = [];
    const started = Date.now();
    const slowDone = fetch(`${s.server.url}/b/slow-answer`, { method: "POST" }).then(async (r) => order.push(`slow:${await r.text()}`));
    const fastDone = fetch(`${s.server.url}/b/fast-answer`, { method: "POST" }).then(async (r) => {
      order.push(`fast:${r.status}`);
      return Date.now() - started;
    });
    const fastMs = await fastDone;
    await slowDone;
    expect(order).toEqual(["fast:200", "slow:slow"]);
    expect(fastMs).toBeLessThan(1500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it("over a bin's rate: 429 with Retry-After, nothing stored, and the refusals counted", async () => {
    const s = await setup({ RATE_LIMIT_PER_BIN: "5" });
    server = s.server;
    const bin = await s.createBin("limited-bin");
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i += 1) {
      const response = await fetch(`${s.server.url}/b/limited-bin/${i}`, { method: "POST", body: String(i) });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = response.headers.get("retry-after");
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    await s.server.app.capture.flush();
    const after = await s.getBin(bin.id);
    expect(after.requestCount).toBe(5);
    expect(after.counters.rateLimited).toBe(3);
  });

  it("limits one client IP across all bins", async () => {
    const s = await setup({ RATE_LIMIT_PER_IP: "4" });
    server = s.server;
    await s.createBin("ip-one");
    await s.createBin("ip-two");
    const statuses = [];
    for (const slug of ["ip-one", "ip-two", "ip-one", "ip-two", "ip-one", "ip-two"]) {
      statuses.push((await fetch(`${s.server.url}/b/${slug}`, { method: "POST" })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it("counts bodies that were too large", async () => {
    const s = await setup();
    server = s.server;
    const bin = await s.createBin("big-bodies");
    const response = await fetch(`${s.server.url}/b/big-bodies`, { method: "POST", body: "x".repeat(2048) });
    expect(response.status).toBe(413);
    const after = await s.getBin(bin.id);
    expect(after.counters.tooLarge).toBe(1);
    expect(after.requestCount).toBe(1);
  });

  it("keeps the newest N requests, counts what it dropped, and loses nothing captured during pruning", async () => {
    const s = await setup();
    server = s.server;
    const bin = await s.createBin("pruned-bin");
    await s.api(`/bins/${bin.id}`, { method: "PATCH", body: JSON.stringify({ maxRequests: 10 }) });
    const sent = 60;
    const responses = await Promise.all(
      Array.from({ length: sent }, (_, i) => fetch(`${s.server.url}/b/pruned-bin/${i}`, { method: "POST", body: String(i) })),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await s.server.app.pruner.idle();
    await pruneBins(s.server.app.db, { byAge: false });
    const after = await s.getBin(bin.id);
    expect(after.requestCount).toBe(10);
    expect(after.counters.prunedByCount).toBe(sent - 10);
    const page = (await s.api(`/bins/${bin.id}/requests?limit=50`)).json as { requests: { seq: number }[] };
    expect(page.requests.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => sent - i));
  });

  it("drops requests older than the bin's retention and counts them; 0 keeps forever", async () => {
    const s = await setup();
    server = s.server;
    const aged = await s.createBin("aged-bin");
    const forever = await s.createBin("forever-bin");
    await s.api(`/bins/${aged.id}`, { method: "PATCH", body: JSON.stringify({ retentionDays: 1 }) });
    await s.api(`/bins/${forever.id}`, { method: "PATCH", body: JSON.stringify({ retentionDays: 0 }) });
    for (const slug of ["aged-bin", "aged-bin", "forever-bin"]) await fetch(`${s.server.url}/b/${slug}`, { method: "POST" });
    await s.server.app.pruner.idle();
    const result = await pruneBins(s.server.app.db, { now: new Date(Date.now() + 2 * 24 * 60 * 60 * 1000) });
    expect(result.byAge).toBe(2);
    expect((await s.getBin(aged.id)).counters.prunedByAge).toBe(2);
    expect((await s.getBin(aged.id)).requestCount).toBe(0);
    expect((await s.getBin(forever.id)).requestCount).toBe(1);
  });
});
