import { describe, expect, it } from "vitest";
import { looksLikeMarkup, prettyMarkup } from "./pretty-markup";

describe("prettyMarkup", () => {
  it("indents nested XML and keeps declarations, comments and text", () => {
    const lines = prettyMarkup(`<?xml version="1.0"?><a x="1"><!-- c --><b>hi &amp; bye</b><c/></a>`);
    expect(lines?.map((l) => `${"  ".repeat(l.depth)}${l.text}`)).toEqual([
      `<?xml version="1.0"?>`,
      `<a x="1">`,
      "  <!-- c -->",
      "  <b>",
      "    hi &amp; bye",
      "  </b>",
      "  <c/>",
      "</a>",
    ]);
    expect(lines?.map((l) => l.kind)).toEqual(["declaration", "tag", "comment", "tag", "text", "tag", "tag", "tag"]);
  });

  it("treats script contents as opaque text and void elements as leaves", () => {
    const lines = prettyMarkup(`<p><img src=x onerror=alert(1)><script>if (a<b) alert(1)</script></p>`);
    expect(lines?.map((l) => [l.depth, l.text])).toEqual([
      [0, "<p>"],
      [1, "<img src=x onerror=alert(1)>"],
      [1, "<script>"],
      [2, "if (a<b) alert(1)"],
      [1, "</script>"],
      [0, "</p>"],
    ]);
  });

  it("recognises markup by its first tag", () => {
    expect(looksLikeMarkup("  <!DOCTYPE html><html>")).toBe(true);
    expect(looksLikeMarkup("<?xml version='1.0'?>")).toBe(true);
    expect(looksLikeMarkup("a < b")).toBe(false);
  });
});
