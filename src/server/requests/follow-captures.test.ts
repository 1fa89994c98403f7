import { afterEach, describe, expect, it } from "vitest";
import { captureRequest } from "../capture/capture-request";
import type { CaptureSummary, EventBus } from "../events/event-bus";
import { createMemoryEventBus } from "../events/memory-event-bus";
import { followCaptures } from "./follow-captures";
import { createTestApp, type TestApp } from "~/test/test-app";
import { seedBin } from "~/test/seed";

function input(slug: string, n: number) {
  return { slug, method: "POST", path: `/${n}`, query: "", headers: [] as [string, string][], body: Buffer.from(String(n)), truncated: false, declaredSize: null, ip: null };
}

/** A follower that records its batches and can be awaited until it has seen `count` captures. */
function follower(t: TestApp, binId: string, afterSeq: number, options: { bus?: EventBus; maxHeld?: number; pageSize?: number } = {}) {
  const controller = new AbortController();
  const batches: (readonly CaptureSummary[])[] = [];
  let waiter: { count: number; resolve: () => void } | null = null;
  const seqs = () => batches.flat().map((summary) => summary.seq);
  const done = followCaptures(
    { db: t.app.db, bus: options.bus ?? t.app.bus },
    { binId, afterSeq, signal: controller.signal, maxHeld: options.maxHeld, pageSize: options.pageSize },
    (batch) => {
      batches.push(batch);
      if (waiter && seqs().length >= waiter.count) waiter.resolve();
    },
  );
  return {
    batches,
    seqs,
    done,
    stop: () => controller.abort(),
    until: (count: number) => (seqs().length >= count ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { count, resolve }))),
  };
}

describe("followCaptures", () => {
  let t: TestApp;
  afterEach(() => t.close());

  it("catches up from the database, then passes each live batch on inside the bus's delivery, the same array to every follower", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "follow-a");
    for (let i = 1; i <= 3; i += 1) await captureRequest(t.app, input(bin.slug, i));
    const a = follower(t, bin.id, 1, { pageSize: 1 });
    const b = follower(t, bin.id, 3);
    await a.until(2);
    expect(a.batches.map((batch) => batch.map((s) => s.seq))).toEqual([[2], [3]]);

    await captureRequest(t.app, input(bin.slug, 4));
    // No await between the capture's publish and here: delivery happened inside it.
    expect(a.seqs()).toEqual([2, 3, 4]);
    expect(b.seqs()).toEqual([4]);
    expect(a.batches.at(-1)).toBe(b.batches.at(-1));
    a.stop();
    b.stop();
    await Promise.all([a.done, b.done]);
  });

  it("stops listening when its signal aborts, and resolves", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "follow-b");
    const f = follower(t, bin.id, 0);
    await captureRequest(t.app, input(bin.slug, 1));
    await f.until(1);
    f.stop();
    await expect(f.done).resolves.toBeUndefined();
    await captureRequest(t.app, input(bin.slug, 2));
    expect(f.seqs()).toEqual([1]);
  });

  it("fills a gap in live sequence numbers from the database", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "follow-c");
    const f = follower(t, bin.id, 0);
    // seq 1 is committed but its event never reaches this bus (as if published by another process).
    await captureRequest({ db: t.app.db, bus: createMemoryEventBus() }, input(bin.slug, 1));
    await captureRequest(t.app, input(bin.slug, 2));
    await f.until(2);
    expect(f.seqs()).toEqual([1, 2]);
    f.stop();
  });

  it("reads the database again when more arrives during a read than it may hold, and loses nothing", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "follow-d");
    for (let i = 1; i <= 5; i += 1) await captureRequest(t.app, input(bin.slug, i));
    const f = follower(t, bin.id, 0, { maxHeld: 2, pageSize: 2 });
    // Published while the first page is being read: more than maxHeld, so dropped and re-read.
    await Promise.all(Array.from({ length: 10 }, (_, i) => captureRequest(t.app, input(bin.slug, 6 + i))));
    await f.until(15);
    expect(f.seqs()).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    await captureRequest(t.app, input(bin.slug, 16));
    expect(f.seqs().at(-1)).toBe(16);
    f.stop();
  });

  it("ignores captures it already has (a duplicate or overlapping publication)", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "follow-e");
    const f = follower(t, bin.id, 0);
    await captureRequest(t.app, input(bin.slug, 1));
    await f.until(1);
    const [first] = f.batches[0] ?? [];
    if (!first) throw new Error("no first capture");
    t.app.bus.publish([{ userId: "u", summary: first }]);
    await captureRequest(t.app, input(bin.slug, 2));
    expect(f.seqs()).toEqual([1, 2]);
    f.stop();
  });

  it("a throwing consumer rejects its own follow and does not keep the other followers from the event", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "follow-f");
    const controller = new AbortController();
    const failing = followCaptures(t.app, { binId: bin.id, afterSeq: 0, signal: controller.signal }, () => {
      throw new Error("socket gone");
    });
    const healthy = follower(t, bin.id, 0);
    await new Promise((resolve) => setImmediate(resolve));
    await captureRequest(t.app, input(bin.slug, 1));
    await expect(failing).rejects.toThrow("socket gone");
    await healthy.until(1);
    expect(healthy.seqs()).toEqual([1]);
    healthy.stop();
  });

  it("rejects when the database cannot be read", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "follow-g");
    await t.app.db.$executeRawUnsafe('ALTER TABLE "captured_request" RENAME TO "captured_request_gone"');
    const controller = new AbortController();
    await expect(followCaptures(t.app, { binId: bin.id, afterSeq: 0, signal: controller.signal }, () => {})).rejects.toThrow();
    await t.app.db.$executeRawUnsafe('ALTER TABLE "captured_request_gone" RENAME TO "captured_request"');
  });
});
