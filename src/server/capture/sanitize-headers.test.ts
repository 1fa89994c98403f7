import { describe, expect, it } from "vitest";
import { clientIp, declaredLength, isHeader, pairRawHeaders, stripOwnAuthCookies } from "./sanitize-headers";

type Pairs = [string, string][];

describe("stripOwnAuthCookies", () => {
  it("removes webhookdump.* cookies and keeps the others in order", () => {
    const headers: Pairs = [["Cookie", "theme=dark; webhookdump.session_token=secret; lang=en"]];
    expect(stripOwnAuthCookies(headers)).toEqual([["Cookie", "theme=dark; lang=en"]]);
  });

  it("removes the __Secure- and __Host- prefixed variants", () => {
    const headers: Pairs = [
      ["cookie", "a=1; __Secure-webhookdump.session_token=s; b=2; __Host-webhookdump.csrf=c; c=3; __Secure-webhookdump.session_data=d"],
    ];
    expect(stripOwnAuthCookies(headers)).toEqual([["cookie", "a=1; b=2; c=3"]]);
  });

  it("keeps cookies that only look similar", () => {
    const value =
      "webhookdump=1; webhookdumpx.a=2; my.webhookdump.a=3; __Secure-other=4; __Host-session=5; xwebhookdump.a=6; Webhookdump.session_token=7";
    expect(stripOwnAuthCookies([["Cookie", value]])).toEqual([["Cookie", value]]);
  });

  it("leaves a Cookie header without own cookies byte for byte, spacing included", () => {
    const value = "a=1;b=2;  c=3 ; ;d";
    expect(stripOwnAuthCookies([["Cookie", value]])).toEqual([["Cookie", value]]);
  });

  it("handles own cookies without a value and without the space after ;", () => {
    expect(stripOwnAuthCookies([["Cookie", "a=1;webhookdump.session_token;b=x=y"]])).toEqual([["Cookie", "a=1; b=x=y"]]);
  });

  it("drops the header when nothing is left", () => {
    const headers: Pairs = [
      ["Host", "example.com"],
      ["Cookie", "webhookdump.session_token=s; __Secure-webhookdump.session_data=d"],
      ["Accept", "*/*"],
    ];
    expect(stripOwnAuthCookies(headers)).toEqual([
      ["Host", "example.com"],
      ["Accept", "*/*"],
    ]);
  });

  it("treats each of several Cookie headers on its own, keeping their positions", () => {
    const headers: Pairs = [
      ["Cookie", "a=1"],
      ["X-Other", "webhookdump.session_token=not-a-cookie-header"],
      ["COOKIE", "webhookdump.session_token=s"],
      ["cookie", "b=2; webhookdump.session_data=d"],
      ["Cookie", "c=3"],
    ];
    expect(stripOwnAuthCookies(headers)).toEqual([
      ["Cookie", "a=1"],
      ["X-Other", "webhookdump.session_token=not-a-cookie-header"],
      ["cookie", "b=2"],
      ["Cookie", "c=3"],
    ]);
  });

  it("leaves every other header untouched: order, case, duplicates and values", () => {
    const headers: Pairs = [
      ["Host", "x"],
      ["X-Zeta", "1"],
      ["x-alpha", "2"],
      ["X-Zeta", "3"],
      ["Set-Cookie", "webhookdump.session_token=s"],
      ["Authorization", "Bearer webhookdump.session_token"],
      ["Empty", ""],
    ];
    expect(stripOwnAuthCookies(headers)).toEqual(headers);
  });

  it("keeps an empty Cookie header as sent", () => {
    expect(stripOwnAuthCookies([["Cookie", ""]])).toEqual([["Cookie", ""]]);
  });

  it("returns a new array and does not modify its input", () => {
    const headers: Pairs = [["Cookie", "a=1; webhookdump.session_token=s"]];
    const copy = structuredClone(headers);
    const result = stripOwnAuthCookies(headers);
    expect(headers).toEqual(copy);
    expect(result).not.toBe(headers);
  });

  it("returns an empty list for no headers", () => {
    expect(stripOwnAuthCookies([])).toEqual([]);
  });
});

describe("pairRawHeaders", () => {
  it("pairs names and values in order, keeping case and duplicates", () => {
    expect(pairRawHeaders(["Host", "x", "X-Zeta", "1", "x-alpha", "2", "X-Zeta", "3"])).toEqual([
      ["Host", "x"],
      ["X-Zeta", "1"],
      ["x-alpha", "2"],
      ["X-Zeta", "3"],
    ]);
  });

  it("keeps empty values", () => {
    expect(pairRawHeaders(["X-Empty", "", "A", "b"])).toEqual([
      ["X-Empty", ""],
      ["A", "b"],
    ]);
  });

  it("returns nothing for an empty list and ignores a dangling name", () => {
    expect(pairRawHeaders([])).toEqual([]);
    expect(pairRawHeaders(["A", "1", "B"])).toEqual([["A", "1"]]);
  });
});

describe("clientIp", () => {
  it("uses the socket address", () => {
    expect(clientIp("203.0.113.7", [], false)).toBe("203.0.113.7");
    expect(clientIp("2001:db8::1", [], false)).toBe("2001:db8::1");
  });

  it("maps IPv4-mapped IPv6 socket addresses to plain IPv4", () => {
    expect(clientIp("::ffff:127.0.0.1", [], false)).toBe("127.0.0.1");
    expect(clientIp("::ffff:203.0.113.7", [], true)).toBe("203.0.113.7");
  });

  it("returns null without a socket address or trusted header", () => {
    expect(clientIp(null, [], false)).toBeNull();
    expect(clientIp(null, [["X-Forwarded-For", "1.2.3.4"]], false)).toBeNull();
  });

  it("ignores X-Forwarded-For without trustProxy", () => {
    expect(clientIp("10.0.0.1", [["X-Forwarded-For", "6.6.6.6, 203.0.113.9"]], false)).toBe("10.0.0.1");
  });

  it("with trustProxy, uses the last entry the proxy appended", () => {
    expect(clientIp("10.0.0.1", [["X-Forwarded-For", "6.6.6.6, 203.0.113.9"]], true)).toBe("203.0.113.9");
    expect(clientIp("10.0.0.1", [["x-forwarded-for", "203.0.113.9"]], true)).toBe("203.0.113.9");
    expect(clientIp(null, [["X-FORWARDED-FOR", " 2001:db8::2 "]], true)).toBe("2001:db8::2");
  });

  it("with trustProxy, takes the last entry of the LAST X-Forwarded-For header when it is repeated", () => {
    const headers: Pairs = [
      ["X-Forwarded-For", "6.6.6.6, 7.7.7.7"],
      ["Host", "x"],
      ["X-Forwarded-For", "8.8.8.8,203.0.113.9"],
    ];
    expect(clientIp("10.0.0.1", headers, true)).toBe("203.0.113.9");
  });

  it("with trustProxy but no usable X-Forwarded-For, falls back to the socket", () => {
    expect(clientIp("::ffff:10.0.0.1", [], true)).toBe("10.0.0.1");
    expect(clientIp("10.0.0.1", [["X-Forwarded-For", ""]], true)).toBe("10.0.0.1");
    expect(clientIp("10.0.0.1", [["X-Forwarded-For", "1.2.3.4, "]], true)).toBe("10.0.0.1");
  });

  it("does not read X-Real-IP or Forwarded", () => {
    const headers: Pairs = [
      ["X-Real-IP", "6.6.6.6"],
      ["Forwarded", "for=6.6.6.6"],
    ];
    expect(clientIp("10.0.0.1", headers, true)).toBe("10.0.0.1");
  });
});

describe("declaredLength", () => {
  it("reads Content-Length in any case", () => {
    expect(declaredLength([["Content-Length", "42"]])).toBe(42);
    expect(declaredLength([["content-length", "0"]])).toBe(0);
    expect(declaredLength([["Host", "x"], ["CONTENT-LENGTH", " 7 "]])).toBe(7);
  });

  it("returns null when the header is absent", () => {
    expect(declaredLength([])).toBeNull();
    expect(declaredLength([["Transfer-Encoding", "chunked"]])).toBeNull();
  });

  it.each(["", "abc", "-1", "1.5", "1e3", "0x10", "5, 5", "+5"])("returns null for the invalid value %j", (value) => {
    expect(declaredLength([["Content-Length", value]])).toBeNull();
  });

  it("uses the first Content-Length when several are sent", () => {
    expect(
      declaredLength([
        ["Content-Length", "10"],
        ["Content-Length", "20"],
      ]),
    ).toBe(10);
  });

  it("reads values far above any body limit", () => {
    expect(declaredLength([["Content-Length", "10737418240"]])).toBe(10 * 1024 * 1024 * 1024);
  });
});

describe("isHeader", () => {
  it("matches a name in any case, and nothing of another length or spelling", () => {
    expect(isHeader("Content-Type", "content-type")).toBe(true);
    expect(isHeader("CONTENT-TYPE", "content-type")).toBe(true);
    expect(isHeader("content-typ", "content-type")).toBe(false);
    expect(isHeader("content-typf", "content-type")).toBe(false);
    expect(isHeader("Content-Type ", "content-type")).toBe(false);
  });
});

describe("stripOwnAuthCookies without any Cookie header", () => {
  it("returns the headers as they are, without copying them", () => {
    const headers: [string, string][] = [["Host", "x"], ["X-Cookie", "webhookdump.session_token=a"]];
    expect(stripOwnAuthCookies(headers)).toBe(headers);
  });
});
