import { describe, expect, it } from "vitest";
import type { CaptureSummary, CapturedEvent } from "./event-bus";
import { createMemoryEventBus } from "./memory-event-bus";

const event = (binId: string, seq: number, userId = "u1"): CapturedEvent => ({
  userId,
  summary: { id: `${binId}-${seq}`, binId, seq, method: "POST", path: "/", query: "", bodySize: 0, truncated: false, incomplete: false, contentType: null, receivedAt: new Date(0).toISOString(), responseStatus: 200 },
});

function collector() {
  const batches: (readonly CaptureSummary[])[] = [];
  let waiter: { count: number; resolve: () => void } | null = null;
  return {
    batches,
    listener: (summaries: readonly CaptureSummary[]) => {
      batches.push(summaries);
      if (waiter && batches.flat().length >= waiter.count) waiter.resolve();
    },
    until: (count: number) =>
      batches.flat().length >= count ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { count, resolve })),
  };
}

describe("memory event bus", () => {
  it("delivers an event after a quiet spell at once, synchronously", () => {
    const bus = createMemoryEventBus({ coalesceMsPerListener: 50, maxCoalesceMs: 50 });
    const c = collector();
    bus.subscribeBin("a", c.listener);
    bus.publish([event("a", 1)]);
    expect(c.batches.map((b) => b.map((s) => s.seq))).toEqual([[1]]);
  });

  it("coalesces a burst into one later delivery, in order, the same array for every listener", async () => {
    const bus = createMemoryEventBus({ coalesceMsPerListener: 10, maxCoalesceMs: 20 });
    const first = collector();
    const second = collector();
    bus.subscribeBin("a", first.listener);
    bus.subscribeBin("a", second.listener);
    bus.publish([event("a", 1)]);
    bus.publish([event("a", 2)]);
    bus.publish([event("a", 3), event("a", 4)]);
    await first.until(4);
    expect(first.batches.map((b) => b.map((s) => s.seq))).toEqual([[1], [2, 3, 4]]);
    expect(second.batches[1]).toBe(first.batches[1]);
  });

  it("routes by bin and by user, and a bin without listeners costs nothing", async () => {
    const bus = createMemoryEventBus({ coalesceMsPerListener: 0 });
    const binA = collector();
    const user2 = collector();
    bus.subscribeBin("a", binA.listener);
    bus.subscribeUser("u2", user2.listener);
    bus.publish([event("a", 1, "u1"), event("b", 1, "u2"), event("c", 1, "u3")]);
    await binA.until(1);
    await user2.until(1);
    expect(binA.batches.flat().map((s) => s.binId)).toEqual(["a"]);
    expect(user2.batches.flat().map((s) => s.binId)).toEqual(["b"]);
  });

  it("stops delivering after unsubscribe", () => {
    const bus = createMemoryEventBus({ coalesceMsPerListener: 0 });
    const c = collector();
    const unsubscribe = bus.subscribeBin("a", c.listener);
    unsubscribe();
    bus.publish([event("a", 1)]);
    expect(c.batches).toHaveLength(0);
  });
});
