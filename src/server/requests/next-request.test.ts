// GET /api/v1/bins/{id}/requests/next, the long poll behind `webhookdump wait`, over real HTTP
// against a production server on a fresh database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { captureRaw, mintToken, restClient } from "../delivery/delivery-test-helpers";

let server: TestServer;
let token: string;
let rest: ReturnType<typeof restClient>;
let activeWaits = 0;

beforeAll(async () => {
  server = await startTestServer();
  const { cookie } = await signUp(server.url);
  token = await mintToken(server.url, cookie);
  rest = restClient(server.url, token);
  // Observes (and keeps) the real bus: how many bin subscriptions are open right now.
  const bus = server.app.bus;
  const subscribeBin = bus.subscribeBin.bind(bus);
  bus.subscribeBin = (binId, listener) => {
    activeWaits += 1;
    const unsubscribe = subscribeBin(binId, listener);
    return () => {
      activeWaits -= 1;
      unsubscribe();
    };
  };
});

afterAll(async () => {
  await server.close();
});

async function newBin(): Promise<{ id: string; slug: string }> {
  return (await rest("POST", "/bins", { name: "waits" })).json as { id: string; slug: string };
}

function next(binId: string, query: string, signal?: AbortSignal) {
  return fetch(`${server.url}/api/v1/bins/${binId}/requests/next?${query}`, { headers: { authorization: `Bearer ${token}` }, signal });
}

describe("GET /api/v1/bins/{id}/requests/next", () => {
  it("answers 204 when nothing new arrives in time, and ignores what was there before the call", async () => {
    const bin = await newBin();
    await captureRaw(server.url, `/b/${bin.slug}/before`, { body: "old" });
    const started = Date.now();
    const response = await next(bin.id, "timeout=0.4");
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
  });

  it("answers 200 with the full record as soon as a request is captured during the wait", async () => {
    const bin = await newBin();
    const started = Date.now();
    const waiting = next(bin.id, "timeout=20");
    // The wait subscribes before it reads, so a capture right after the call is not missed.
    await expect.poll(() => activeWaits).toBeGreaterThan(0);
    const id = await captureRaw(server.url, `/b/${bin.slug}/hook?x=1`, { headers: [["X-A", "1"], ["X-A", "2"]], body: Buffer.from([0, 255, 1]) });
    const response = await waiting;
    // Event-driven: well before the 20 s timeout (a loop that only checked at the end would not be).
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(response.status).toBe(200);
    const body = await response.json();
    const full = await rest("GET", `/requests/${id}`);
    expect(body).toEqual(full.json);
    expect(body).toMatchObject({ id, path: "/hook", query: "x=1", bodyBase64: Buffer.from([0, 255, 1]).toString("base64") });
  });

  it("returns at once what is already there after an explicit `after`, oldest first", async () => {
    const bin = await newBin();
    const first = await captureRaw(server.url, `/b/${bin.slug}/one`);
    await captureRaw(server.url, `/b/${bin.slug}/two`);
    const response = await next(bin.id, "after=0&timeout=10");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(first);
    const after1 = await next(bin.id, "after=1&timeout=10");
    expect(((await after1.json()) as { path: string }).path).toBe("/two");
    expect((await next(bin.id, "after=2&timeout=0")).status).toBe(204);
  });

  it("waits for the first request matching method, path and q, skipping others", async () => {
    const bin = await newBin();
    const waiting = next(bin.id, "timeout=20&method=put&path=ORDERS&q=paid");
    await expect.poll(() => activeWaits).toBeGreaterThan(0);
    await captureRaw(server.url, `/b/${bin.slug}/orders`, { method: "POST", body: "paid" });
    await captureRaw(server.url, `/b/${bin.slug}/orders`, { method: "PUT", body: "pending" });
    await captureRaw(server.url, `/b/${bin.slug}/users`, { method: "PUT", body: "paid" });
    const match = await captureRaw(server.url, `/b/${bin.slug}/orders/7`, { method: "PUT", body: '{"status":"paid"}' });
    const response = await waiting;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(match);
  });

  it("stops waiting and unsubscribes when the client goes away", async () => {
    const bin = await newBin();
    const before = activeWaits;
    const controller = new AbortController();
    const waiting = next(bin.id, "timeout=60", controller.signal).catch((error: unknown) => error);
    await expect.poll(() => activeWaits).toBe(before + 1);
    controller.abort();
    expect(await waiting).toBeInstanceOf(Error);
    await expect.poll(() => activeWaits).toBe(before);
  });

  it("rejects bad parameters with 400 naming the parameter", async () => {
    const bin = await newBin();
    for (const [query, name] of [
      ["timeout=61", "timeout"],
      ["timeout=-1", "timeout"],
      ["timeout=soon", "timeout"],
      ["after=-1", "after"],
      ["after=1.5", "after"],
      ["method=bad%20method", "method"],
    ] as const) {
      const response = await next(bin.id, query);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
      expect(body.error.code).toBe("BAD_REQUEST");
      expect(body.error.issues.map((issue) => issue.path)).toContain(name);
    }
  });

  it("answers 404 for an unknown or foreign bin and 401 without a token", async () => {
    expect((await next("no-such-bin", "timeout=0")).status).toBe(404);
    const other = await signUp(server.url);
    const otherBin = (await restClient(server.url, await mintToken(server.url, other.cookie))("POST", "/bins", { name: "theirs" })).json as { id: string };
    expect((await next(otherBin.id, "timeout=0")).status).toBe(404);
    const anonymous = await fetch(`${server.url}/api/v1/bins/${otherBin.id}/requests/next?timeout=0`);
    expect(anonymous.status).toBe(401);
  });
});
