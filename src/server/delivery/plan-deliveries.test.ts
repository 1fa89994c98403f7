import { describe, expect, it } from "vitest";
import { countForwardHops, MAX_FORWARD_HOPS, planDeliveries, targetMatches, VIA_MARKER } from "./plan-deliveries";

const now = new Date("2026-12-02T12:00:00Z");
const row = (seq: number, method = "POST", path = "/", headers: [string, string][] = []) => ({
  id: `r${seq}`,
  binId: "bin1",
  seq,
  method,
  path,
  headers: JSON.stringify(headers),
});

describe("targetMatches", () => {
  it("takes every method and path without filters", () => {
    expect(targetMatches({ id: "t", methods: null, pathPrefix: null }, "PROPFIND", "/x")).toBe(true);
  });
  it("filters by method, case-insensitively", () => {
    const target = { id: "t", methods: ["POST", "PUT"], pathPrefix: null };
    expect(targetMatches(target, "post", "/")).toBe(true);
    expect(targetMatches(target, "GET", "/")).toBe(false);
  });
  it("filters by path prefix", () => {
    const target = { id: "t", methods: null, pathPrefix: "/stripe" };
    expect(targetMatches(target, "POST", "/stripe/events")).toBe(true);
    expect(targetMatches(target, "POST", "/github")).toBe(false);
  });
});

describe("countForwardHops", () => {
  it("counts our Via entries, in lists and repeated headers, ignoring others", () => {
    expect(countForwardHops([])).toBe(0);
    expect(countForwardHops([["Via", "1.1 varnish, 1.1 webhookdump"]])).toBe(1);
    expect(countForwardHops([["via", VIA_MARKER], ["X-Other", "1.1 webhookdump"], ["VIA", "1.1 WebhookDump"]])).toBe(2);
  });
});

describe("planDeliveries", () => {
  const targets = new Map([["bin1", [{ id: "a", methods: null, pathPrefix: null }, { id: "b", methods: ["PUT"], pathPrefix: null }]]]);

  it("writes one pending delivery per capture and matching target", () => {
    const deliveries = planDeliveries([row(1), row(2, "PUT")], targets, now);
    expect(deliveries.map((d) => [d.requestId, d.targetId, d.seq, d.state])).toEqual([
      ["r1", "a", 1, "pending"],
      ["r2", "a", 2, "pending"],
      ["r2", "b", 2, "pending"],
    ]);
    expect(deliveries.every((d) => d.nextAttemptAt === now && d.lastError === null)).toBe(true);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(3);
  });

  it("writes nothing for bins without targets", () => {
    expect(planDeliveries([{ ...row(1), binId: "other" }], targets, now)).toEqual([]);
  });

  it("refuses, on record, a request that already passed through the maximum of forwards", () => {
    const looped = Array.from({ length: MAX_FORWARD_HOPS }, (): [string, string] => ["Via", VIA_MARKER]);
    const [below] = planDeliveries([row(1, "POST", "/", looped.slice(1))], targets, now);
    expect(below?.state).toBe("pending");
    const [refused] = planDeliveries([row(2, "POST", "/", looped)], targets, now);
    expect(refused?.state).toBe("failed");
    expect(refused?.lastError).toMatch(/^loop: /);
  });
});
