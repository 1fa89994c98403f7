import { describe, expect, it } from "vitest";
import { parseJsonTree } from "./json-tree";

describe("parseJsonTree", () => {
  it("keeps number literals, escapes and duplicate keys exactly as written", () => {
    const tree = parseJsonTree(`{"id": 12345678901234567890, "price": 1.0, "e": -2.5E+3, "s": "a\\u0000<b>", "id": null}`);
    expect(tree).toEqual({
      kind: "object",
      entries: [
        { key: '"id"', value: { kind: "number", raw: "12345678901234567890" } },
        { key: '"price"', value: { kind: "number", raw: "1.0" } },
        { key: '"e"', value: { kind: "number", raw: "-2.5E+3" } },
        { key: '"s"', value: { kind: "string", raw: '"a\\u0000<b>"' } },
        { key: '"id"', value: { kind: "literal", raw: "null" } },
      ],
    });
  });

  it("parses nested arrays and empty containers", () => {
    expect(parseJsonTree(" [ [], {}, [true, false] ] ")).toEqual({
      kind: "array",
      items: [
        { kind: "array", items: [] },
        { kind: "object", entries: [] },
        { kind: "array", items: [{ kind: "literal", raw: "true" }, { kind: "literal", raw: "false" }] },
      ],
    });
  });

  it("rejects what JSON.parse rejects", () => {
    for (const bad of ["", "{", "[1,]", "{'a':1}", "01", "1 2", '"\t"', "nul", "{\"a\" 1}", "[1]x"]) {
      expect(parseJsonTree(bad), bad).toBeNull();
      expect(() => JSON.parse(bad), bad).toThrow();
    }
  });

  it("gives up (null) beyond the node budget instead of freezing the page", () => {
    expect(parseJsonTree(`[${"1,".repeat(100)}1]`, 50)).toBeNull();
    expect(parseJsonTree(`[${"1,".repeat(100)}1]`, 500)).not.toBeNull();
  });
});
