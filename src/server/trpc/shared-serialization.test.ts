import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { shareSerialization, sharedJsonEncoder, sharedTransformer } from "./shared-serialization";

describe("shared serialization", () => {
  it("passes shared plain lists through as superjson would, and other values through superjson", () => {
    const batch = shareSerialization([{ seq: 1, at: "1970-01-01T00:00:00.000Z", contentType: null }]);
    expect(sharedTransformer.serialize(batch)).toEqual(superjson.serialize(batch));
    const withDate = [{ seq: 2, at: new Date(0) }];
    expect(sharedTransformer.serialize(withDate)).toEqual(superjson.serialize(withDate));
  });

  it("encodes exactly what JSON.stringify would, with or without a shared value inside", () => {
    const batch = shareSerialization([{ seq: 1, path: 'quote " and \u0000 and \u2028', truncated: false }, { seq: 2, path: "/" }]);
    const data = sharedTransformer.serialize(batch);
    for (const id of [1, "sub-2"]) {
      const message = { id, result: { type: "data", id: "7", data } };
      expect(sharedJsonEncoder.encode(message)).toBe(JSON.stringify(message));
    }
    const other = { id: 3, result: { type: "started" } };
    expect(sharedJsonEncoder.encode(other)).toBe(JSON.stringify(other));
    expect(sharedJsonEncoder.decode(JSON.stringify(other))).toEqual(other);
  });

  it("recognises tRPC's tracked wrapper around a shared list", () => {
    const batch = shareSerialization([{ seq: 3 }]);
    const tracked = { id: "3", data: batch };
    expect(sharedTransformer.serialize(tracked)).toEqual({ json: tracked });
    expect(superjson.serialize(tracked)).toEqual({ json: tracked });
    const message = { id: 1, result: { type: "data", id: "3", data: sharedTransformer.serialize(tracked) } };
    expect(sharedJsonEncoder.encode(message)).toBe(JSON.stringify(message));
  });

  it("reuses each item's JSON across different batches", () => {
    const a = { seq: 1 };
    const b = { seq: 2 };
    const one = sharedJsonEncoder.encode({ id: 1, result: { data: sharedTransformer.serialize(shareSerialization([a])) } });
    const two = sharedJsonEncoder.encode({ id: 2, result: { data: sharedTransformer.serialize(shareSerialization([a, b])) } });
    expect(one).toBe('{"id":1,"result":{"data":{"json":[{"seq":1}]}}}');
    expect(two).toBe('{"id":2,"result":{"data":{"json":[{"seq":1},{"seq":2}]}}}');
  });

  it("round-trips through the client's superjson", () => {
    const batch = shareSerialization([{ seq: 9, at: "2026-01-01T00:00:00.000Z" }]);
    const wire = JSON.parse(sharedJsonEncoder.encode({ id: 1, result: { type: "data", data: sharedTransformer.serialize(batch) } }) as string) as {
      result: { data: Parameters<typeof superjson.deserialize>[0] };
    };
    expect(superjson.deserialize(wire.result.data)).toEqual(batch);
  });
});
