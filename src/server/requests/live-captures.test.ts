// Live delivery through the real server: tRPC over WebSocket, real `ws` clients, real captures.
import { afterEach, describe, expect, it } from "vitest";
import { createApiToken } from "../tokens/tokens-service";
import { createBin } from "../bins/bins-service";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { captureOnce, subscribeAndCollect, type Tracked } from "~/test/subscribe-and-collect";
import { connectWs } from "~/test/ws-client";

async function capture(server: TestServer, slug: string, body: string) {
  expect(await captureOnce(server.url, slug, body)).toBe(200);
}

const seqs = (events: Tracked[]) => events.map((event) => event.data.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("requests.onCaptured over WebSocket", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  async function setup() {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const owner = await signUp(server.url);
    const bin = await createBin(server.app.db, owner.userId, { name: "Live", slug: `live-${Date.now()}` });
    return { server, owner, bin };
  }

  function connect(server: TestServer, auth: { cookie?: string; token?: string; origin?: string }) {
    const ws = connectWs(server.url, auth);
    cleanups.push(() => ws.close());
    return ws;
  }

  it("delivers 200 concurrent captures to each of 10 subscribers exactly once, in sequence order", async () => {
    const { server, owner, bin } = await setup();
    // Five per capture (the contract: one tracked message per seq), five in batches.
    const subscribers = Array.from({ length: 10 }, (_, i) =>
      subscribeAndCollect(connect(server, { cookie: owner.cookie }), { binId: bin.id }, i < 5 ? "each" : "batch"),
    );
    await Promise.all(subscribers.map((s) => s.started));
    await Promise.all(Array.from({ length: 200 }, (_, i) => capture(server, bin.slug, String(i))));
    await Promise.all(subscribers.map((s) => s.until(200)));
    for (const subscriber of subscribers) {
      expect(seqs(subscriber.received)).toEqual(range(1, 200));
      expect(subscriber.received.map((e) => e.id)).toEqual(range(1, 200).map(String));
    }
    // A batch's tracked id is its last seq: increasing, ending at the newest.
    for (const subscriber of subscribers.slice(5)) {
      const ids = subscriber.batchIds.map(Number);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(ids.at(-1)).toBe(200);
    }
  });

  it("resumes a batch subscription from a batch id with exactly what was missed", async () => {
    const { server, owner, bin } = await setup();
    const first = subscribeAndCollect(connect(server, { cookie: owner.cookie }), { binId: bin.id }, "batch");
    await first.started;
    for (let i = 0; i < 4; i += 1) await capture(server, bin.slug, `a${i}`);
    await first.until(4);
    first.unsubscribe();
    for (let i = 0; i < 3; i += 1) await capture(server, bin.slug, `b${i}`);
    const second = subscribeAndCollect(connect(server, { cookie: owner.cookie }), { binId: bin.id, lastEventId: first.batchIds.at(-1) }, "batch");
    await second.until(3);
    expect(seqs(second.received)).toEqual(range(5, 7));
  });

  it("resumes after a disconnect with exactly what was missed", async () => {
    const { server, owner, bin } = await setup();
    const first = subscribeAndCollect(connect(server, { cookie: owner.cookie }), { binId: bin.id });
    await first.started;
    for (let i = 0; i < 5; i += 1) await capture(server, bin.slug, `a${i}`);
    await first.until(5);
    first.unsubscribe();
    for (let i = 0; i < 7; i += 1) await capture(server, bin.slug, `b${i}`);

    const second = subscribeAndCollect(connect(server, { cookie: owner.cookie }), { binId: bin.id, lastEventId: first.received.at(-1)?.id });
    await second.until(7);
    await capture(server, bin.slug, "live");
    await second.until(8);
    expect(seqs(second.received)).toEqual(range(6, 13));
  });

  it("after a full server restart on the same database, the client reconnects and gets exactly what it missed", async () => {
    const { server, owner, bin } = await setup();
    const port = Number(new URL(server.url).port);
    const ws = connect(server, { cookie: owner.cookie });
    const live = subscribeAndCollect(ws, { binId: bin.id });
    await live.started;
    for (let i = 0; i < 3; i += 1) await capture(server, bin.slug, `before${i}`);
    await live.until(3);

    await server.server.close();
    await server.app.close();
    // Same database file, same port: the client's automatic reconnect finds the new process.
    const restarted = await startTestServer({}, { dir: server.dir, port });
    cleanups.push(() => restarted.close());
    for (let i = 0; i < 4; i += 1) await capture(restarted, bin.slug, `after${i}`);
    await live.until(7);
    expect(seqs(live.received)).toEqual(range(1, 7));
  });

  it("refuses another user's bin and unauthenticated subscribers, and never sends them data", async () => {
    const { server, bin } = await setup();
    const stranger = await signUp(server.url);
    const foreign = subscribeAndCollect(connect(server, { cookie: stranger.cookie }), { binId: bin.id });
    await expect(foreign.error).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
    const anonymous = subscribeAndCollect(connect(server, {}), { binId: bin.id });
    await expect(anonymous.error).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    await capture(server, bin.slug, "secret");
    expect(foreign.received).toHaveLength(0);
    expect(anonymous.received).toHaveLength(0);
  });

  it("accepts an API token in connectionParams and ignores a cross-site page's cookie", async () => {
    const { server, owner, bin } = await setup();
    const { token } = await createApiToken(server.app.db, owner.userId, { name: "ws" });
    const viaToken = subscribeAndCollect(connect(server, { token }), { binId: bin.id });
    await viaToken.started;
    await capture(server, bin.slug, "hello");
    await viaToken.until(1);
    expect(viaToken.received[0]?.data.method).toBe("POST");
    expect(viaToken.received[0]?.data.bodySize).toBe(5);

    const crossSite = subscribeAndCollect(connect(server, { cookie: owner.cookie, origin: "http://evil.example" }), { binId: bin.id });
    await expect(crossSite.error).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    const sameSite = subscribeAndCollect(connect(server, { cookie: owner.cookie, origin: server.url }), { binId: bin.id });
    await sameSite.started;
    await capture(server, bin.slug, "again");
    await sameSite.until(1);
    expect(crossSite.received).toHaveLength(0);
  });

  it("bins.onActivity tells a user about captures into their own bins only", async () => {
    const { server, owner, bin } = await setup();
    const other = await createBin(server.app.db, owner.userId, { name: "Second", slug: `second-${Date.now()}` });
    const stranger = await signUp(server.url);
    const strangersBin = await createBin(server.app.db, stranger.userId, { name: "Theirs", slug: `theirs-${Date.now()}` });

    const seen: { binId: string; seq: number }[] = [];
    let notify: (() => void) | null = null;
    let startedResolve!: () => void;
    const started = new Promise<void>((resolve) => (startedResolve = resolve));
    const ws = connect(server, { cookie: owner.cookie });
    ws.client.bins.onActivity.subscribe(undefined, {
      onStarted: () => startedResolve(),
      onData: (activity) => {
        seen.push({ binId: activity.binId, seq: activity.seq });
        notify?.();
      },
    });
    await started;
    await capture(server, strangersBin.slug, "not yours");
    await capture(server, bin.slug, "one");
    await capture(server, other.slug, "two");
    while (seen.length < 2) await new Promise<void>((resolve) => (notify = resolve));
    expect(seen).toEqual([
      { binId: bin.id, seq: 1 },
      { binId: other.id, seq: 1 },
    ]);
  });
});
