// Auto-forward through the real doors: a bin's forwards set over REST, captures sent to the
// production server, deliveries arriving at local targets on 127.0.0.1.
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startLocalTarget, type LocalTarget } from "~/test/local-target";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { captureRaw, mintToken, restClient } from "./delivery-test-helpers";

const ZForward = z.object({
  id: z.string().min(1),
  url: z.string(),
  pathMode: z.enum(["append", "exact"]),
  host: z.string(),
  headers: z.array(z.tuple([z.string(), z.string()])),
  enabled: z.boolean(),
  methods: z.array(z.string()).nullable(),
  pathPrefix: z.string().nullable(),
  concurrency: z.number().int(),
  state: z.object({ paused: z.boolean(), pending: z.number(), delivered: z.number(), failed: z.number(), dropped: z.number() }),
});
const ZBin = z.object({ id: z.string(), slug: z.string(), url: z.string(), forwards: z.array(ZForward) });
const ZAttempts = z.object({ attempts: z.array(z.object({ trigger: z.string(), attempt: z.number(), status: z.number().nullable() })) });

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function setUp(env: Record<string, string> = {}, respond?: Parameters<typeof startLocalTarget>[0]) {
  const server = await startTestServer({ FORWARD_ALLOWED_NETWORKS: "127.0.0.1/32", FORWARD_RETRY_DELAYS: "20ms,20ms,20ms,20ms,20ms", ...env });
  open.push(server);
  const target = await startLocalTarget(respond);
  open.push(target);
  const { cookie } = await signUp(server.url);
  const token = await mintToken(server.url, cookie);
  const rest = restClient(server.url, token);
  const bin = ZBin.parse((await rest("POST", "/bins", { name: "forwarding" })).json);
  return { server, target, rest, bin, token };
}

async function setForwards(rest: ReturnType<typeof restClient>, binId: string, forwards: unknown[]) {
  const response = await rest("PATCH", `/bins/${binId}`, { forwards });
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return ZBin.parse(response.json);
}

describe("forwards in the bin settings", () => {
  it("are replaced as a whole by PATCH, keep their ids, and show their state", async () => {
    const { rest, bin, target } = await setUp();
    const first = await setForwards(rest, bin.id, [{ url: target.url }, { url: `${target.url}/b`, methods: ["post"], pathPrefix: "/stripe", concurrency: 3 }]);
    expect(first.forwards).toHaveLength(2);
    expect(first.forwards[0]).toMatchObject({ url: target.url, pathMode: "append", host: "target", enabled: true, methods: null, concurrency: 1 });
    expect(first.forwards[1]).toMatchObject({ methods: ["POST"], pathPrefix: "/stripe", concurrency: 3 });
    expect(first.forwards[0]?.state).toEqual({ paused: false, pending: 0, delivered: 0, failed: 0, dropped: 0 });

    const kept = first.forwards[1]?.id;
    const second = await setForwards(rest, bin.id, [{ id: kept, url: `${target.url}/renamed` }]);
    expect(second.forwards.map((f) => [f.id, f.url])).toEqual([[kept, `${target.url}/renamed`]]);
    expect(ZBin.parse((await rest("GET", `/bins/${bin.id}`)).json).forwards).toEqual(second.forwards);
  });

  it("refuses bad targets with a clear error naming the field", async () => {
    const { rest, bin, target } = await setUp();
    for (const [forwards, path] of [
      [Array.from({ length: 6 }, () => ({ url: target.url })), "forwards"],
      [[{ url: "javascript:alert(1)" }], "forwards.0.url"],
      [[{ url: target.url, concurrency: 11 }], "forwards.0.concurrency"],
      [[{ url: target.url, pathPrefix: "stripe" }], "forwards.0.pathPrefix"],
      [[{ url: target.url, methods: [] }], "forwards.0.methods"],
    ] as const) {
      const response = await rest("PATCH", `/bins/${bin.id}`, { forwards });
      expect(response.status).toBe(400);
      expect((response.json as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path)).toContain(path);
    }
    const unknownId = await rest("PATCH", `/bins/${bin.id}`, { forwards: [{ id: "nope", url: target.url }] });
    expect(unknownId.status).toBe(400);
    expect(unknownId.json).toMatchObject({ error: { field: "forwards.0.id" } });
    expect(ZBin.parse((await rest("GET", `/bins/${bin.id}`)).json).forwards).toEqual([]);
  });
});

describe("delivery", () => {
  it("delivers 500 captures once each, in sequence order, byte-exact", async () => {
    const { server, rest, bin, target } = await setUp();
    await setForwards(rest, bin.id, [{ url: `${target.url}/in` }]);
    const ids: string[] = [];
    for (let round = 0; round < 10; round++) {
      // 50 at once: they share commit rounds, so sequence order is decided by the server.
      ids.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => captureRaw(server.url, `/b/${bin.slug}/p?n=${round * 50 + i}`, { body: `${round * 50 + i}` })))));
    }
    await target.until(500);
    const list = z.object({ requests: z.array(z.object({ id: z.string(), seq: z.number(), query: z.string() })) });
    const seqOf = new Map<string, number>();
    for (let cursor: number | null = null, page = 0; page < 10; page++) {
      const { json } = await rest("GET", `/bins/${bin.id}/requests?limit=200${cursor ? `&cursor=${cursor}` : ""}`);
      const parsed = list.extend({ nextCursor: z.number().nullable() }).parse(json);
      for (const r of parsed.requests) seqOf.set(r.query, r.seq);
      cursor = parsed.nextCursor;
      if (cursor === null) break;
    }
    const deliveredSeqs = target.received.map((r) => seqOf.get(new URL(r.url, "http://x").search.slice(1)));
    expect(deliveredSeqs).toEqual([...deliveredSeqs].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(new Set(deliveredSeqs).size).toBe(500);
    expect(target.received.every((r) => r.url === `/in/p?${new URL(r.url, "http://x").search.slice(1)}` && r.body.toString() === new URL(r.url, "http://x").searchParams.get("n"))).toBe(true);
    // Every auto-forwarded copy carries one Via entry: the loop guard.
    expect(target.received[0]?.headers.filter(([name]) => name === "Via")).toEqual([["Via", "1.1 webhookdump"]]);
    expect(ids).toHaveLength(500);
  });

  it("retries a target that is down, holding the queue, then delivers in order", async () => {
    let healthy = false;
    const { server, rest, bin, target } = await setUp({}, () => (healthy ? { status: 200 } : { status: 503, headers: { "Retry-After": "0" } }));
    await setForwards(rest, bin.id, [{ url: target.url }]);
    const first = await captureRaw(server.url, `/b/${bin.slug}`, { body: "1" });
    await captureRaw(server.url, `/b/${bin.slug}`, { body: "2" });
    await target.until(2); // the first delivery, and its first retry: still 503
    healthy = true;
    await target.until(4);
    await waitForState(rest, bin.id, (s) => s.delivered === 2);
    const bodies = target.received.map((r) => r.body.toString());
    // "2" never overtakes "1": everything before the first "2" is "1".
    expect(bodies.slice(0, bodies.indexOf("2")).every((b) => b === "1")).toBe(true);
    expect(bodies.filter((b) => b === "2")).toEqual(["2"]);
    const { attempts } = ZAttempts.parse((await rest("GET", `/requests/${first}/attempts`)).json);
    expect(attempts[0]).toMatchObject({ trigger: "auto", attempt: 1, status: 503 });
    expect(attempts.slice(1).every((a) => a.trigger === "retry")).toBe(true);
    expect(attempts.at(-1)?.status).toBe(200);
  });

  it("marks a delivery failed after the last retry, and retry-failed sends it again", async () => {
    let status = 500;
    const { server, rest, bin, target } = await setUp({ FORWARD_RETRY_DELAYS: "10ms,10ms" }, () => ({ status }));
    await setForwards(rest, bin.id, [{ url: target.url }]);
    await captureRaw(server.url, `/b/${bin.slug}`, { body: "x" });
    await target.until(3);
    const failed = await waitForState(rest, bin.id, (s) => s.failed === 1);
    expect(failed).toMatchObject({ failed: 1, pending: 0, delivered: 0 });
    status = 200;
    const retried = await rest("POST", `/bins/${bin.id}/forwards/retry-failed`);
    expect(retried).toEqual({ status: 200, json: { retried: 1 } });
    await target.until(4);
    expect(await waitForState(rest, bin.id, (s) => s.delivered === 1)).toMatchObject({ failed: 0, delivered: 1 });
  });

  it("does not retry a 4xx answer", async () => {
    const { server, rest, bin, target } = await setUp({}, () => ({ status: 422 }));
    await setForwards(rest, bin.id, [{ url: target.url }]);
    await captureRaw(server.url, `/b/${bin.slug}`, { body: "x" });
    expect(await waitForState(rest, bin.id, (s) => s.failed === 1)).toMatchObject({ failed: 1, pending: 0 });
    expect(target.received).toHaveLength(1);
  });

  it("holds a paused target's captures and sends them on resume; drops the oldest beyond the backlog cap", async () => {
    const { server, rest, bin, target } = await setUp({ FORWARD_BACKLOG_CAP: "5" });
    const [forward] = (await setForwards(rest, bin.id, [{ url: target.url }])).forwards;
    const paused = await rest("POST", `/bins/${bin.id}/forwards/${forward?.id}/pause`);
    expect(ZBin.parse(paused.json).forwards[0]?.state.paused).toBe(true);
    for (let i = 1; i <= 8; i++) await captureRaw(server.url, `/b/${bin.slug}`, { body: String(i) });
    expect(ZBin.parse((await rest("GET", `/bins/${bin.id}`)).json).forwards[0]?.state).toMatchObject({ paused: true, pending: 8 });
    expect(target.received).toHaveLength(0);
    await rest("POST", `/bins/${bin.id}/forwards/${forward?.id}/resume`);
    await target.until(5);
    expect(target.received.map((r) => r.body.toString())).toEqual(["4", "5", "6", "7", "8"]);
    expect(await waitForState(rest, bin.id, (s) => s.delivered === 5)).toMatchObject({ dropped: 3, pending: 0 });
  });

  it("sends nothing for captures a target's filters exclude", async () => {
    const { server, rest, bin, target } = await setUp();
    await setForwards(rest, bin.id, [{ url: target.url, methods: ["PUT"], pathPrefix: "/only" }]);
    await captureRaw(server.url, `/b/${bin.slug}/only`, { body: "post" });
    await captureRaw(server.url, `/b/${bin.slug}/other`, { method: "PUT", body: "wrong path" });
    await captureRaw(server.url, `/b/${bin.slug}/only/x`, { method: "PUT", body: "yes" });
    await target.until(1);
    expect(await waitForState(rest, bin.id, (s) => s.delivered === 1)).toMatchObject({ pending: 0, failed: 0 });
    expect(target.received.map((r) => r.body.toString())).toEqual(["yes"]);
  });

  it("stops a bin that forwards to itself after a few hops, and records the refusal", async () => {
    const { server, rest, bin } = await setUp();
    await setForwards(rest, bin.id, [{ url: `${server.url}/b/${bin.slug}`, pathMode: "exact" }]);
    await captureRaw(server.url, `/b/${bin.slug}`, { body: "loop" });
    const state = await waitForState(rest, bin.id, (s) => s.failed === 1 && s.pending === 0);
    expect(state).toMatchObject({ delivered: 3, failed: 1 });
    const list = (await rest("GET", `/bins/${bin.id}/requests`)).json as { requests: unknown[] };
    expect(list.requests).toHaveLength(4);
  });

  it("delivers what was pending across a restart of the server", async () => {
    const { server, rest, bin, target, token } = await setUp();
    const [forward] = (await setForwards(rest, bin.id, [{ url: target.url }])).forwards;
    await rest("POST", `/bins/${bin.id}/forwards/${forward?.id}/pause`);
    for (let i = 1; i <= 10; i++) await captureRaw(server.url, `/b/${bin.slug}`, { body: String(i) });
    await server.server.close();
    await server.app.close();
    const again = await startTestServer({ FORWARD_ALLOWED_NETWORKS: "127.0.0.1/32" }, { dir: server.dir });
    open.push(again);
    const resumed = await restClient(again.url, token)("POST", `/bins/${bin.id}/forwards/${forward?.id}/resume`);
    expect(resumed.status).toBe(200);
    await target.until(10);
    expect(target.received.map((r) => r.body.toString())).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
  });
});

async function waitForState(
  rest: ReturnType<typeof restClient>,
  binId: string,
  done: (state: z.infer<typeof ZForward>["state"]) => boolean,
): Promise<z.infer<typeof ZForward>["state"]> {
  // The worker settles a delivery right after its attempt; poll its row state briefly.
  for (let i = 0; i < 200; i++) {
    const state = ZBin.parse((await rest("GET", `/bins/${binId}`)).json).forwards[0]?.state;
    if (state && done(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the delivery state never reached the expected value");
}
