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

  it("never changes content: CDATA with `>`, comments and processing instructions stay whole and verbatim", () => {
    const cdata = "<![CDATA[if (a > b && c >= d) { x = '<not a tag>'; }\n  second line ]]>";
    const comment = "<!-- a > b -- still\n comment -->";
    const pi = `<?xml-stylesheet href="a.xsl" note="x > y"?>`;
    const source = `<?xml version="1.0"?>\n${pi}<root a="1 > 0" b='<'>${comment}<code>${cdata}</code><t>x &gt; y</t></root>`;
    const lines = prettyMarkup(source);
    expect(lines?.map((l) => l.text)).toEqual([
      `<?xml version="1.0"?>`,
      pi,
      `<root a="1 > 0" b='<'>`,
      comment,
      "<code>",
      cdata,
      "</code>",
      "<t>",
      "x &gt; y",
      "</t>",
      "</root>",
    ]);
    expect(lines?.find((l) => l.text === cdata)?.kind).toBe("cdata");
    // Dropping only the whitespace between tokens, the text reads the same.
    expect(lines?.map((l) => l.text).join("")).toBe(source.replace(/>\s+</g, "><"));
  });

  it("keeps a DOCTYPE's internal subset and unterminated sections whole", () => {
    const doctype = `<!DOCTYPE note [<!ENTITY w "a > b">]>`;
    expect(prettyMarkup(`${doctype}<note/>`)?.map((l) => l.text)).toEqual([doctype, "<note/>"]);
    expect(prettyMarkup("<a><![CDATA[ never > closed")?.map((l) => l.text)).toEqual(["<a>", "<![CDATA[ never > closed"]);
  });

  it("recognises markup by its first tag", () => {
    expect(looksLikeMarkup("  <!DOCTYPE html><html>")).toBe(true);
    expect(looksLikeMarkup("<?xml version='1.0'?>")).toBe(true);
    expect(looksLikeMarkup("a < b")).toBe(false);
  });
});
