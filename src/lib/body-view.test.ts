import { describe, expect, it } from "vitest";
import { base64ToBytes, bodyViews, hexDump, prettyJson, queryPairs, sniffImageType, viewBody } from "./body-view";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("viewBody", () => {
  it("shows an empty body as empty, whatever its content type", () => {
    expect(viewBody(new Uint8Array(), null)).toEqual({ kind: "empty" });
    expect(viewBody(new Uint8Array(), "application/json")).toEqual({ kind: "empty" });
  });

  it("pretty-prints JSON declared by the content type, with two-space indentation", () => {
    expect(viewBody(utf8('{"a":1,"b":[true,null]}'), "application/json")).toEqual({
      kind: "json",
      text: '{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}',
    });
  });

  it("recognises JSON content types with parameters and +json suffixes", () => {
    for (const contentType of ["application/json; charset=utf-8", "application/vnd.github+json", "APPLICATION/JSON", "application/cloudevents+json"]) {
      expect(viewBody(utf8('{"x":"y"}'), contentType)).toEqual({ kind: "json", text: '{\n  "x": "y"\n}' });
    }
  });

  it("pretty-prints JSON scalars when the content type says JSON", () => {
    expect(viewBody(utf8("42"), "application/json")).toEqual({ kind: "json", text: "42" });
    expect(viewBody(utf8('"hi"'), "application/json")).toEqual({ kind: "json", text: '"hi"' });
  });

  it("sniffs JSON objects and arrays without a JSON content type", () => {
    expect(viewBody(utf8('  \n{"a":{"b":2}}'), null)).toEqual({ kind: "json", text: '{\n  "a": {\n    "b": 2\n  }\n}' });
    expect(viewBody(utf8("[1,2]"), "text/plain")).toEqual({ kind: "json", text: "[\n  1,\n  2\n]" });
    expect(viewBody(utf8("{}"), "application/x-www-form-urlencoded")).toEqual({ kind: "json", text: "{}" });
  });

  it("does not sniff JSON scalars as JSON", () => {
    expect(viewBody(utf8("42"), null)).toEqual({ kind: "text", text: "42" });
    expect(viewBody(utf8("true"), "text/plain")).toEqual({ kind: "text", text: "true" });
  });

  it("keeps invalid JSON verbatim as text, declared or sniffed", () => {
    const broken = '{"a": 1,, }';
    expect(viewBody(utf8(broken), "application/json")).toEqual({ kind: "text", text: broken });
    expect(viewBody(utf8(broken), null)).toEqual({ kind: "text", text: broken });
    const log = "[INFO] server started\n[WARN] disk low";
    expect(viewBody(utf8(log), "text/plain")).toEqual({ kind: "text", text: log });
  });

  it("shows JSON content exactly: large integers keep every digit", () => {
    // Snowflake-style ids (Discord, Twitter, many payment providers) exceed 2^53; a webhook
    // inspector must not show a different id from the one that was sent.
    const body = '{"id":12345678901234567890}';
    const view = viewBody(utf8(body), "application/json");
    expect(view.kind === "json" || view.kind === "text").toBe(true);
    expect(view.kind === "empty" || view.kind === "binary" ? "" : view.text).toContain("12345678901234567890");
  });

  it("shows other text as text, unchanged", () => {
    expect(viewBody(utf8("a=1&b=2"), "application/x-www-form-urlencoded")).toEqual({ kind: "text", text: "a=1&b=2" });
    expect(viewBody(utf8("<xml>é ✓ 😀</xml>"), "application/xml")).toEqual({ kind: "text", text: "<xml>é ✓ 😀</xml>" });
  });

  it("keeps tabs, newlines and carriage returns as text", () => {
    const text = "col1\tcol2\r\nline two\n\ttabbed";
    expect(viewBody(utf8(text), "text/csv")).toEqual({ kind: "text", text });
  });

  it("keeps a byte order mark in the text", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8("hello")]);
    expect(viewBody(bytes, "text/plain")).toEqual({ kind: "text", text: "\ufeffhello" });
  });

  it.each([
    ["a lone continuation byte", [0x61, 0x80, 0x62]],
    ["a broken two-byte sequence", [0xc3, 0x28]],
    ["a truncated three-byte sequence", [0x61, 0xe2, 0x82]],
    ["an overlong encoding", [0xc0, 0xaf]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
    ["0xff", [0xff, 0xfe, 0x00]],
  ])("shows invalid UTF-8 (%s) as binary", (_label, bytes) => {
    expect(viewBody(new Uint8Array(bytes), "text/plain")).toEqual({ kind: "binary" });
  });

  it.each(
    [0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f].map((byte) => [byte.toString(16).padStart(2, "0"), byte] as const),
  )("shows text with the control byte 0x%s as binary", (_hex, byte) => {
    expect(viewBody(new Uint8Array([...utf8("abc"), byte, ...utf8("def")]), "text/plain")).toEqual({ kind: "binary" });
  });

  it("shows JSON with a NUL byte as binary, even when declared JSON", () => {
    expect(viewBody(new Uint8Array([...utf8('{"a":'), 0x00, ...utf8("1}")]), "application/json")).toEqual({ kind: "binary" });
  });
});

describe("hexDump", () => {
  it("prints offset, 16 hex bytes and the ASCII column", () => {
    expect(hexDump(utf8("Hello, hex dump!"))).toBe(
      "00000000  48 65 6c 6c 6f 2c 20 68 65 78 20 64 75 6d 70 21  Hello, hex dump!",
    );
  });

  it("pads a short last row so the ASCII column stays aligned, and dots non-printable bytes", () => {
    const bytes = new Uint8Array([...Array.from({ length: 16 }, (_, i) => i), 0x41, 0x7f, 0x20, 0xff]);
    const lines = hexDump(bytes).split("\n");
    expect(lines).toEqual([
      "00000000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f  ................",
      "00000010  41 7f 20 ff                                      A. .",
    ]);
    expect(lines[0]?.indexOf("....")).toBe(lines[1]?.indexOf("A. ."));
  });

  it("prints nothing for no bytes", () => {
    expect(hexDump(new Uint8Array())).toBe("");
  });

  it("stops at maxBytes, mid-row included", () => {
    const bytes = utf8("abcdefghijklmnopqrstuvwxyz0123456789");
    expect(hexDump(bytes, 20)).toBe(
      "00000000  61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70  abcdefghijklmnop\n" +
        "00000010  71 72 73 74                                      qrst",
    );
    expect(hexDump(bytes, 16).split("\n")).toHaveLength(1);
    expect(hexDump(bytes, 0)).toBe("");
  });

  it("stops at 64 KiB by default", () => {
    const bytes = new Uint8Array(64 * 1024 + 100);
    const lines = hexDump(bytes).split("\n");
    expect(lines).toHaveLength(4096);
    expect(lines.at(-1)?.startsWith("0000fff0  ")).toBe(true);
  });

  it("prints offsets as 8 hex digits", () => {
    const lines = hexDump(new Uint8Array(0x120), 0x120).split("\n");
    expect(lines.map((line) => line.slice(0, 8))).toContain("00000110");
    for (const line of lines) expect(line).toMatch(/^[0-9a-f]{8} {2}/);
  });
});

describe("base64ToBytes", () => {
  it("round-trips every byte value", () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const base64 = Buffer.from(bytes).toString("base64");
    expect(base64ToBytes(base64)).toEqual(bytes);
  });

  it("decodes known values and the empty string", () => {
    expect(base64ToBytes("aGk=")).toEqual(new Uint8Array([0x68, 0x69]));
    expect(base64ToBytes("")).toEqual(new Uint8Array());
  });

  it("rejects characters outside base64", () => {
    expect(() => base64ToBytes("not base64!")).toThrow();
  });
});

describe("queryPairs", () => {
  it("keeps order and repeated keys", () => {
    expect(queryPairs("z=1&a=2&z=3")).toEqual([
      ["z", "1"],
      ["a", "2"],
      ["z", "3"],
    ]);
  });

  it("keeps empty values and bare flags", () => {
    expect(queryPairs("empty=&flag&x=1")).toEqual([
      ["empty", ""],
      ["flag", ""],
      ["x", "1"],
    ]);
  });

  it("decodes percent-encoding and + for reading", () => {
    expect(queryPairs("q=%41%26b&s=a+b&%C3%A9=%E2%9C%93")).toEqual([
      ["q", "A&b"],
      ["s", "a b"],
      ["é", "✓"],
    ]);
  });

  it("returns nothing for an empty query", () => {
    expect(queryPairs("")).toEqual([]);
  });
});

describe("prettyJson", () => {
  it.each([
    '{"a":1,"b":[1,2,{"c":null}],"d":{},"e":[],"f":"x,y:{z}"}',
    '[ {"nested" : [ [ ] , { } ]} , true , false , -1.5 ]',
    '"just a string"',
    '{"quote":"he said \\"hi\\"","slash":"a\\\\b"}',
  ])("indents like JSON.stringify(…, null, 2) for %s", (text) => {
    expect(prettyJson(text)).toBe(JSON.stringify(JSON.parse(text), null, 2));
  });

  it("keeps number literals, escapes and duplicate keys exactly as sent", () => {
    expect(prettyJson('{"id":12345678901234567890,"v":1.0,"e":"\\u00e9","k":1,"k":2}')).toBe(
      '{\n  "id": 12345678901234567890,\n  "v": 1.0,\n  "e": "\\u00e9",\n  "k": 1,\n  "k": 2\n}',
    );
  });
});

describe("bodyViews", () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it("chooses the pretty view from the Content-Type and sniffing, raw and hex always offered", () => {
    expect(bodyViews(bytes('{"a":1}'), "application/json")).toEqual({ views: ["json", "text", "raw", "hex"], preferred: "json" });
    expect(bodyViews(bytes('[1, 2]'), null).preferred).toBe("json");
    expect(bodyViews(bytes("{not json"), "application/json").preferred).toBe("text");
    expect(bodyViews(bytes("<?xml version='1.0'?><a/>"), "text/plain").preferred).toBe("markup");
    expect(bodyViews(bytes("<html><body>x</body></html>"), "text/html").views).toEqual(["markup", "text", "raw", "hex"]);
    expect(bodyViews(bytes("a=1&a=2"), "application/x-www-form-urlencoded").preferred).toBe("form");
    expect(bodyViews(bytes("--x\r\n\r\nhi\r\n--x--"), "multipart/form-data; boundary=x").preferred).toBe("multipart");
    expect(bodyViews(bytes("hello"), "text/plain")).toEqual({ views: ["text", "raw", "hex"], preferred: "text" });
  });

  it("opens binary in hex and proven images as images, whatever was declared", () => {
    expect(bodyViews(new Uint8Array([0, 1, 2, 0xff]), "text/plain").preferred).toBe("hex");
    expect(bodyViews(new Uint8Array([0xc3, 0x28]), "text/plain").preferred).toBe("hex");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(bodyViews(png, "application/octet-stream").preferred).toBe("image");
    expect(sniffImageType(png)).toBe("image/png");
    expect(sniffImageType(bytes("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
    expect(sniffImageType(bytes("<svg onload=alert(1)>"))).toBeNull();
  });
});
