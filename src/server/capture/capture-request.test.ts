import { describe, expect, it } from "vitest";
import { buildCaptureRows, createRoundSequences, groupByBin, type BinRef, type CaptureInput } from "./capture-request";

const input = (slug: string): CaptureInput => ({
  slug,
  method: "POST",
  path: "/",
  query: "",
  headers: [],
  body: new Uint8Array(new ArrayBuffer(0)),
  truncated: false,
  declaredSize: null,
  ip: null,
});

describe("groupByBin", () => {
  it("lists known bins in id order (the lock order of every store), each with its inputs in arrival order", () => {
    const bins = new Map<string, BinRef>([
      ["late", { id: "c-bin", slug: "late", userId: "u" }],
      ["early", { id: "a-bin", slug: "early", userId: "u" }],
    ]);
    const inputs = ["late", "unknown", "early", "late", "early"].map(input);
    expect(groupByBin(inputs, bins)).toEqual([
      ["a-bin", [2, 4]],
      ["c-bin", [0, 3]],
    ]);
  });
});

describe("createRoundSequences", () => {
  it("gives a bin bumped by n the n sequence numbers ending at its new lastSeq, and notes bins over their limit", () => {
    const round = createRoundSequences();
    round.assign("a", [4, 1, 7], { lastSeq: 12, requestCount: 5, maxRequests: 5 });
    round.assign("b", [0], { lastSeq: 1, requestCount: 6, maxRequests: 5 });
    expect([...round.seqByIndex]).toEqual([
      [4, 10],
      [1, 11],
      [7, 12],
      [0, 1],
    ]);
    expect(round.overLimitBinIds).toEqual(["b"]);
  });
});

describe("buildCaptureRows", () => {
  it("gives rows time-ordered UUIDv7 ids, increasing in the order of the inputs, and leaves unknown bins out", () => {
    const bin: BinRef = { id: "b1", slug: "known", userId: "u1" };
    const inputs = [input("known"), input("unknown"), input("known"), input("known")];
    const seqByIndex = new Map([
      [0, 1],
      [2, 2],
      [3, 3],
    ]);
    const { rows, outcomes } = buildCaptureRows(inputs, new Map([["known", bin]]), seqByIndex, new Date());
    const ids = rows.map((row) => row.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3]);
    expect(outcomes[1]).toEqual({ result: { status: "unknown-bin" } });
  });
});
