import { describe, expect, it } from "vitest";
import { parseHeaderLines } from "./header-lines";

describe("parseHeaderLines", () => {
  it("reads Name: value lines in order, duplicates kept, values trimmed and allowed to hold colons", () => {
    expect(parseHeaderLines("X-A: 1\n\nX-A: 2\r\nAuthorization: Bearer a:b\n")).toEqual({
      ok: true,
      pairs: [["X-A", "1"], ["X-A", "2"], ["Authorization", "Bearer a:b"]],
    });
    expect(parseHeaderLines("X-Empty:")).toEqual({ ok: true, pairs: [["X-Empty", ""]] });
  });

  it("names the line that is not a header", () => {
    expect(parseHeaderLines("X-A: 1\nno colon here")).toEqual({ ok: false, error: "Line 2 is not “Name: value”." });
    expect(parseHeaderLines("Bad Name: 1")).toEqual({ ok: false, error: "Line 1 is not “Name: value”." });
  });
});
