import { createMemoryEventBus } from "../events/memory-event-bus";
import { afterEach, describe, expect, it } from "vitest";
import { captureRequest } from "../capture/capture-request";
import type { CaptureSummary } from "../events/event-bus";
import { streamCaptures } from "./stream-captures";
import { createTestApp, type TestApp } from "~/test/test-app";
import { seedBin } from "~/test/seed";

function input(slug: string, n: number) {
  return { slug, method: "POST", path: `/${n}`, query: "", headers: [] as [string, string][], body: Buffer.from(String(n)), truncated: false, declaredSize: null, ip: null };
}

/** Pulls `count` items from a stream, optionally pausing (awaiting `beforeNext`) between pulls. */
async function take(stream: AsyncGenerator<readonly CaptureSummary[]>, count: number, beforeNext?: (index: number) => Promise<void>) {
  const out: number[] = [];
  while (out.length < count) {
    const { value, done } = await stream.next();
    if (done) break;
    out.push(...value.map((summary) => summary.seq));
    await beforeNext?.(out.length);
  }
  return out;
}

describe("streamCaptures", () => {
  let t: TestApp;
  afterEach(() => t.close());

  it("backfills after afterSeq from the database, then continues live, without duplicates", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "stream-a");
    for (let i = 1; i <= 4; i += 1) await captureRequest(t.app, input(bin.slug, i));
    const controller = new AbortController();
    const stream = streamCaptures(t.app, { binId: bin.id, afterSeq: 1, signal: controller.signal });
    const backfill = await take(stream, 3);
    await captureRequest(t.app, input(bin.slug, 5));
    const live = await take(stream, 1);
    expect([...backfill, ...live]).toEqual([2, 3, 4, 5]);
    controller.abort();
    expect((await stream.next()).done).toBe(true);
  });

  it("a slow consumer whose queue overflows still gets every capture once, in order, from the database", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "stream-c");
    const stream = streamCaptures(t.app, { binId: bin.id, afterSeq: 0, maxQueue: 3, pageSize: 4 });
    await captureRequest(t.app, input(bin.slug, 1));
    const seen = await take(stream, 20, async (index) => {
      // While the consumer "works" on item 1, a burst far larger than the queue arrives.
      if (index === 1) for (let i = 2; i <= 20; i += 1) await captureRequest(t.app, input(bin.slug, i));
    });
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await stream.return(undefined);
  });

  it("fills a gap in live sequence numbers from the database", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "stream-d");
    const stream = streamCaptures(t.app, { binId: bin.id, afterSeq: 0 });
    const first = stream.next();
    await new Promise((resolve) => setImmediate(resolve));
    // seq 1 is committed but its event never reaches the bus (as if published to another process).
    const silent = { db: t.app.db, bus: createMemoryEventBus() };
    await captureRequest(silent, input(bin.slug, 1));
    await captureRequest(t.app, input(bin.slug, 2));
    // The gap sends it to the database, which has both.
    expect((await first).value?.map((summary: CaptureSummary) => summary.seq)).toEqual([1, 2]);
    await stream.return(undefined);
  });
});
