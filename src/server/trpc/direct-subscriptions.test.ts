import { transformTRPCResponse } from "@trpc/server/unstable-core-do-not-import";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createBin } from "../bins/bins-service";
import type { CaptureSummary } from "../events/event-bus";
import { appRouter } from "./app-router";
import { createTrpcContext } from "./context";
import { stampSubscriptionRequests, subscriptionAddressOf, trackedDataMessage } from "./direct-subscriptions";
import { shareSerialization, sharedJsonEncoder } from "./shared-serialization";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { captureOnce } from "~/test/subscribe-and-collect";

const summary = (seq: number): CaptureSummary => ({
  id: `r${seq}`,
  binId: "b1",
  seq,
  method: "POST",
  path: '/quote " and \u2028',
  query: "a=1",
  bodySize: 3,
  truncated: false,
  incomplete: false,
  contentType: null,
  receivedAt: new Date(seq).toISOString(),
  responseStatus: 200,
});

describe("direct subscription messages", () => {
  it("are byte for byte what tRPC's WebSocket adapter sends for a tracked yield", () => {
    const batch = shareSerialization([summary(1), summary(2)]);
    for (const address of [{ id: 1 }, { id: "sub-2", jsonrpc: "2.0" as const }]) {
      const viaTrpc = sharedJsonEncoder.encode(
        transformTRPCResponse(appRouter._def._config, {
          ...address,
          result: { type: "data", id: "2", data: { id: "2", data: batch } },
        }),
      );
      expect(trackedDataMessage(address, "2", batch).toString()).toBe(viaTrpc);
    }
    const one = summary(3);
    const viaTrpc = sharedJsonEncoder.encode(
      transformTRPCResponse(appRouter._def._config, { id: 4, result: { type: "data", id: "3", data: { id: "3", data: one } } }),
    );
    expect(trackedDataMessage({ id: 4 }, "3", one).toString()).toBe(viaTrpc);
  });

  it("are encoded once per data object and subscription id, however many sockets they go to", () => {
    const batch = shareSerialization([summary(1)]);
    const first = trackedDataMessage({ id: 1 }, "1", batch);
    expect(trackedDataMessage({ id: 1 }, "1", batch)).toBe(first);
    expect(trackedDataMessage({ id: "1" }, "1", batch)).not.toBe(first);
    expect(JSON.parse(trackedDataMessage({ id: "1" }, "1", batch).toString())).toMatchObject({ id: "1" });
    expect(trackedDataMessage({ id: 1 }, "1", shareSerialization([summary(1)]))).not.toBe(first);
  });
});

describe("stampSubscriptionRequests", () => {
  it("writes each subscription request's own id into its input, over whatever the client put there", () => {
    const decoded = stampSubscriptionRequests([
      { id: 7, method: "subscription", params: { path: "p", input: { json: { binId: "b", $wsSubscription: { id: 99 } } } } },
      { id: "s", jsonrpc: "2.0", method: "subscription", params: { path: "p", input: { json: { binId: "c" } } } },
    ]);
    expect(decoded.map((message) => subscriptionAddressOf(message.params.input.json))).toEqual([{ id: 7 }, { id: "s", jsonrpc: "2.0" }]);
  });

  it("strips the field from queries and mutations, and leaves malformed messages for tRPC to refuse", () => {
    const query = stampSubscriptionRequests({ id: 1, method: "query", params: { path: "p", input: { json: { $wsSubscription: { id: 1 } } } } });
    expect(subscriptionAddressOf(query.params.input.json)).toBeNull();
    for (const malformed of [null, "text", 3, { id: 1 }, { id: 1, params: { input: "x" } }, { id: 1, params: { input: { json: [1] } } }]) {
      expect(stampSubscriptionRequests(malformed)).toEqual(malformed);
    }
    const noId = stampSubscriptionRequests({ id: null, method: "subscription", params: { path: "p", input: { json: {} } } });
    expect(subscriptionAddressOf(noId.params.input.json)).toBeNull();
  });

  it("reads back only a well-formed address", () => {
    expect(subscriptionAddressOf(undefined)).toBeNull();
    expect(subscriptionAddressOf({ $wsSubscription: { id: { nested: 1 } } })).toBeNull();
    expect(subscriptionAddressOf({ $wsSubscription: { id: 3, jsonrpc: "1.0" } })).toEqual({ id: 3 });
  });
});

interface WireMessage {
  id: number | string | null;
  jsonrpc?: string;
  result?: { type: string; id?: string; data?: { json: { id: string; data: CaptureSummary[] | CaptureSummary } } };
  error?: unknown;
}

/** tRPC's WebSocket protocol on a bare socket, so the test sees exactly what goes over the wire. */
async function openWire(server: TestServer, cookie: string) {
  const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}/api/trpc-ws`, { headers: { cookie } });
  const messages: WireMessage[] = [];
  let waiter: { test: () => boolean; resolve: () => void } | null = null;
  socket.on("message", (raw: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(false);
    messages.push(JSON.parse(raw.toString()) as WireMessage);
    if (waiter?.test()) waiter.resolve();
  });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  return {
    messages,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    until: (test: () => boolean) => (test() ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { test, resolve }))),
    close: () => socket.close(),
  };
}

const dataSeqs = (messages: WireMessage[], id: number | string) =>
  messages
    .filter((m) => m.id === id && m.result?.type === "data")
    .flatMap((m) => [m.result?.data?.json.data ?? []].flat().map((s) => s.seq));

describe("live subscriptions over WebSocket write their own messages", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  it("addressed to each request's id (not one a client slips into its input), until that subscription stops", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const owner = await signUp(server.url);
    const bin = await createBin(server.app.db, owner.userId, { name: "Wire", slug: `wire-${Date.now()}` });
    const wire = await openWire(server, owner.cookie);
    cleanups.push(() => wire.close());
    const input = { json: { binId: bin.id, $wsSubscription: { id: 99 } } };
    wire.send({ id: 7, method: "subscription", params: { path: "requests.onCapturedBatch", input } });
    wire.send({ id: "each", jsonrpc: "2.0", method: "subscription", params: { path: "requests.onCaptured", input } });
    const started = () => wire.messages.filter((m) => m.result?.type === "started").length === 2;
    await wire.until(started);

    for (let i = 0; i < 3; i += 1) expect(await captureOnce(server.url, bin.slug, String(i))).toBe(200);
    await wire.until(() => dataSeqs(wire.messages, 7).length === 3 && dataSeqs(wire.messages, "each").length === 3);
    expect(dataSeqs(wire.messages, 7)).toEqual([1, 2, 3]);
    expect(dataSeqs(wire.messages, "each")).toEqual([1, 2, 3]);
    expect(wire.messages.some((m) => m.id === 99)).toBe(false);
    const each = wire.messages.filter((m) => m.id === "each" && m.result?.type === "data");
    expect(each.map((m) => [m.jsonrpc, m.result?.id])).toEqual([
      ["2.0", "1"],
      ["2.0", "2"],
      ["2.0", "3"],
    ]);

    wire.send({ id: 7, method: "subscription.stop" });
    await wire.until(() => wire.messages.some((m) => m.id === 7 && m.result?.type === "stopped"));
    expect(await captureOnce(server.url, bin.slug, "after stop")).toBe(200);
    await wire.until(() => dataSeqs(wire.messages, "each").length === 4);
    expect(dataSeqs(wire.messages, 7)).toEqual([1, 2, 3]);
  });

  it("stop counting as active when the socket closes", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const owner = await signUp(server.url);
    const bin = await createBin(server.app.db, owner.userId, { name: "Gauge", slug: `gauge-${Date.now()}` });
    const active = async () => (await server.app.metrics.subscriptions.get()).values[0]?.value ?? 0;
    const before = await active();
    const wire = await openWire(server, owner.cookie);
    wire.send({ id: 1, method: "subscription", params: { path: "requests.onCapturedBatch", input: { json: { binId: bin.id } } } });
    await wire.until(() => wire.messages.some((m) => m.result?.type === "started"));
    await expect.poll(active).toBe(before + 1);
    wire.close();
    await expect.poll(active).toBe(before);
  });

  it("outside WebSocket (a server-side caller) the same procedure streams through tRPC as before", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    const owner = await signUp(server.url);
    const bin = await createBin(server.app.db, owner.userId, { name: "Caller", slug: `caller-${Date.now()}` });
    const ctx = await createTrpcContext(server.app, { headers: new Headers({ cookie: owner.cookie }) });
    expect(ctx.socket).toBeNull();
    const controller = new AbortController();
    const caller = appRouter.createCaller(ctx, { signal: controller.signal });
    const stream = await caller.requests.onCapturedBatch({ binId: bin.id, lastEventId: "0" });
    expect(await captureOnce(server.url, bin.slug, "one")).toBe(200);
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    // What tRPC's adapters receive from the procedure: tracked(id, data).
    const [id, data] = first.value as [string, CaptureSummary[]];
    expect([id, data.map((s) => s.seq)]).toEqual(["1", [1]]);
    controller.abort();
    await iterator.return?.(undefined);
  });
});
