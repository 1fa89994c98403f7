import { describe, expect, it } from "vitest";
import {
  buildOutgoingRequest,
  OutgoingRequestError,
  parseHostMode,
  type OutgoingOptions,
  type StoredRequestForSend,
} from "./outgoing-request";

const bytes = (text: string) => new TextEncoder().encode(text);

function stored(overrides: Partial<StoredRequestForSend> = {}): StoredRequestForSend {
  return {
    method: "POST",
    path: "/hooks/github",
    query: "",
    headers: [
      ["Host", "dump.example:3000"],
      ["User-Agent", "GitHub-Hookshot/abc"],
      ["Content-Type", "application/json"],
      ["Content-Length", "11"],
    ],
    body: bytes('{"ok":true}'),
    truncated: false,
    ...overrides,
  };
}

/** The OutgoingRequestError `build` throws; fails the test when it throws nothing or something else. */
function buildError(request: StoredRequestForSend, options: OutgoingOptions): OutgoingRequestError {
  try {
    buildOutgoingRequest(request, options);
  } catch (error) {
    if (error instanceof OutgoingRequestError) return error;
    throw error;
  }
  throw new Error("buildOutgoingRequest accepted the request");
}

describe("method and body", () => {
  it("keeps the method and the exact body bytes, binary included", () => {
    const body = new Uint8Array([0, 255, 13, 10, 128, 1]);
    const out = buildOutgoingRequest(stored({ method: "PROPFIND", body }), { url: "http://target.test/" });
    expect(out.method).toBe("PROPFIND");
    expect(out.body).toEqual(body);
  });

  it("sends a replacement body instead, with its own length", () => {
    const out = buildOutgoingRequest(stored(), { url: "http://target.test/", body: bytes("edited") });
    expect(new TextDecoder().decode(out.body)).toBe("edited");
    expect(out.headers).toContainEqual(["Content-Length", "6"]);
  });
});

describe("URL: append mode (default)", () => {
  const url = (target: string, path: string, query = "") =>
    buildOutgoingRequest(stored({ path, query }), { url: target }).url;

  it("joins the target path and the captured sub-path with one slash", () => {
    expect(url("http://target.test/api", "/hooks/x")).toBe("http://target.test/api/hooks/x");
    expect(url("http://target.test/api/", "/hooks/x")).toBe("http://target.test/api/hooks/x");
    expect(url("http://target.test", "/hooks/x")).toBe("http://target.test/hooks/x");
    expect(url("http://target.test/", "/hooks/x")).toBe("http://target.test/hooks/x");
  });

  it("keeps the target path as it is when the capture was at the bin URL itself", () => {
    expect(url("http://target.test/api", "/")).toBe("http://target.test/api");
    expect(url("http://target.test/api/", "/")).toBe("http://target.test/api/");
    expect(url("http://target.test", "/")).toBe("http://target.test/");
  });

  it("keeps a trailing slash and inner double slashes of the captured path", () => {
    expect(url("http://target.test/api", "/a//b/")).toBe("http://target.test/api/a//b/");
  });

  it("appends the raw query byte for byte, never re-encoded", () => {
    const raw = "b=2&a=1&a=%20x&q='quoted'&s=a+b&e=&flag&u=%E2%82%AC&x=[1]";
    expect(url("http://target.test/in", "/x", raw)).toBe(`http://target.test/in/x?${raw}`);
  });

  it("keeps the captured path's percent-encoding and dot segments as received", () => {
    expect(url("http://target.test", "/a%2Fb/%7Euser/./..")).toBe("http://target.test/a%2Fb/%7Euser/./..");
  });

  it("puts the target's own query first, then the captured one", () => {
    expect(url("http://target.test/in?token=s3cret", "/x", "a=1")).toBe("http://target.test/in/x?token=s3cret&a=1");
    expect(url("http://target.test/in?token=s3cret&", "/x", "a=1")).toBe("http://target.test/in/x?token=s3cret&a=1");
    expect(url("http://target.test/in?token=s3cret", "/x", "")).toBe("http://target.test/in/x?token=s3cret");
    expect(url("http://target.test/in?", "/x", "")).toBe("http://target.test/in/x");
  });

  it("keeps the target's port, drops its fragment and the default port", () => {
    expect(url("http://127.0.0.1:8080/in#frag", "/x", "a=1")).toBe("http://127.0.0.1:8080/in/x?a=1");
    expect(url("https://target.test:443/in", "/x")).toBe("https://target.test/in/x");
    expect(url("http://[::1]:9000/", "/x")).toBe("http://[::1]:9000/x");
  });

  it("high Latin-1 bytes of a received path stay as they are; unsendable characters are escaped", () => {
    expect(url("http://target.test", "/caf\u00e9")).toBe("http://target.test/caf\u00e9");
    expect(url("http://target.test", "/a b\u20ac", "q=a b")).toBe("http://target.test/a%20b%E2%82%AC?q=a%20b");
  });

  it("refuses a captured path that does not start with a slash", () => {
    expect(buildError(stored({ path: "hooks" }), { url: "http://target.test" }).code).toBe("invalid_url");
  });
});

describe("URL: exact mode", () => {
  it("uses the target URL alone", () => {
    const out = buildOutgoingRequest(stored({ path: "/hooks/x", query: "a=1" }), {
      url: "http://target.test/only/here?k=v#f",
      pathMode: "exact",
    });
    expect(out.url).toBe("http://target.test/only/here?k=v");
  });
});

describe("URL validation", () => {
  it.each([
    ["not a url", "not an absolute URL"],
    ["/relative/path", "not an absolute URL"],
    ["ftp://target.test/", "only http: and https:"],
    ["file:///etc/passwd", "only http: and https:"],
    ["javascript:alert(1)", "only http: and https:"],
    ["ws://target.test/", "only http: and https:"],
    ["http://user:pass@target.test/", "credentials in the URL"],
    ["http://user@target.test/", "credentials in the URL"],
    ["http://256.0.0.1/", "not an absolute URL"],
  ])("refuses %s", (target, message) => {
    const error = buildError(stored(), { url: target });
    expect(error.code).toBe("invalid_url");
    expect(error.message).toContain(message);
  });

  it("accepts https and normalises the host as WHATWG does (numeric spellings included)", () => {
    expect(buildOutgoingRequest(stored(), { url: "HTTPS://Target.TEST/x" }).url).toBe("https://target.test/x/hooks/github");
    expect(buildOutgoingRequest(stored(), { url: "http://0x7f.1/" }).url).toBe("http://127.0.0.1/hooks/github");
  });
});

describe("headers", () => {
  it("keeps order, case and duplicates of every end-to-end header", () => {
    const headers: [string, string][] = [
      ["Host", "dump.example"],
      ["x-b", "2"],
      ["X-A", "1"],
      ["x-a", "one more"],
      ["Cookie", "a=1"],
      ["cookie", "b=2"],
      ["X-Latin1", "caf\u00e9"],
    ];
    const out = buildOutgoingRequest(stored({ headers, body: new Uint8Array(), method: "GET" }), { url: "http://t.test/" });
    expect(out.headers).toEqual([["Host", "t.test"], ...headers.slice(1)]);
  });

  it("drops every hop-by-hop header and those named by Connection", () => {
    const headers: [string, string][] = [
      ["Host", "dump.example"],
      ["Connection", "keep-alive, X-Hop-Only"],
      ["connection", "x-second-listed"],
      ["Keep-Alive", "timeout=5"],
      ["TE", "trailers"],
      ["Trailer", "X-Checksum"],
      ["Upgrade", "websocket"],
      ["Proxy-Authorization", "Basic abc"],
      ["Proxy-Connection", "keep-alive"],
      ["X-Hop-Only", "dropped"],
      ["X-Second-Listed", "dropped"],
      ["X-Kept", "kept"],
    ];
    const out = buildOutgoingRequest(stored({ headers, method: "GET", body: new Uint8Array() }), { url: "http://t.test/" });
    expect(out.headers).toEqual([
      ["Host", "t.test"],
      ["X-Kept", "kept"],
    ]);
  });

  it("adds nothing: a capture without Host or Content-Length gets only those two", () => {
    const out = buildOutgoingRequest(stored({ headers: [["X-Only", "1"]], body: bytes("abc") }), { url: "http://t.test/" });
    expect(out.headers).toEqual([
      ["Host", "t.test"],
      ["X-Only", "1"],
      ["Content-Length", "3"],
    ]);
  });
});

describe("Content-Length", () => {
  it("is recomputed from the body at the place of the received one, in its case", () => {
    const out = buildOutgoingRequest(
      stored({
        headers: [
          ["content-length", "999"],
          ["Host", "h"],
          ["X-A", "1"],
        ],
        body: bytes("four"),
      }),
      { url: "http://t.test/" },
    );
    expect(out.headers).toEqual([
      ["content-length", "4"],
      ["Host", "t.test"],
      ["X-A", "1"],
    ]);
  });

  it("replaces chunked framing at the place of Transfer-Encoding", () => {
    const out = buildOutgoingRequest(
      stored({
        headers: [
          ["Host", "h"],
          ["Transfer-Encoding", "chunked"],
          ["X-A", "1"],
        ],
        body: bytes("chunked body"),
      }),
      { url: "http://t.test/" },
    );
    expect(out.headers).toEqual([
      ["Host", "t.test"],
      ["Content-Length", "12"],
      ["X-A", "1"],
    ]);
  });

  it("keeps only one when the sender sent several", () => {
    const out = buildOutgoingRequest(
      stored({ headers: [["Content-Length", "3"], ["Content-Length", "3"], ["Transfer-Encoding", "chunked"]], body: bytes("abc") }),
      { url: "http://t.test/" },
    );
    expect(out.headers.filter(([name]) => name.toLowerCase() === "content-length")).toEqual([["Content-Length", "3"]]);
    expect(out.headers.some(([name]) => name.toLowerCase() === "transfer-encoding")).toBe(false);
  });

  it.each(["POST", "PUT", "PATCH", "PURGE"])("is 0 for an empty %s body", (method) => {
    const out = buildOutgoingRequest(stored({ method, headers: [], body: new Uint8Array() }), { url: "http://t.test/" });
    expect(out.headers).toEqual([
      ["Host", "t.test"],
      ["Content-Length", "0"],
    ]);
  });

  it.each(["GET", "HEAD", "DELETE", "OPTIONS"])("is left out for %s without a body", (method) => {
    const out = buildOutgoingRequest(stored({ method, headers: [["Accept", "*/*"]], body: new Uint8Array() }), {
      url: "http://t.test/",
    });
    expect(out.headers).toEqual([
      ["Host", "t.test"],
      ["Accept", "*/*"],
    ]);
  });

  it("is kept as 0 for a bodyless method when the sender framed an empty body", () => {
    const out = buildOutgoingRequest(stored({ method: "DELETE", headers: [["Content-Length", "0"]], body: new Uint8Array() }), {
      url: "http://t.test/",
    });
    expect(out.headers).toEqual([
      ["Host", "t.test"],
      ["Content-Length", "0"],
    ]);
  });

  it("is sent for a GET that carries a body", () => {
    const out = buildOutgoingRequest(stored({ method: "GET", headers: [], body: bytes("q") }), { url: "http://t.test/" });
    expect(out.headers).toContainEqual(["Content-Length", "1"]);
  });
});

describe("Host", () => {
  const withHost: [string, string][] = [
    ["X-First", "1"],
    ["host", "dump.example:3000"],
    ["X-Last", "2"],
  ];
  const request = () => stored({ method: "GET", headers: withHost, body: new Uint8Array() });

  it("is the target's host:port by default, at the place and in the case of the received one", () => {
    expect(buildOutgoingRequest(request(), { url: "http://127.0.0.1:8080/" }).headers).toEqual([
      ["X-First", "1"],
      ["host", "127.0.0.1:8080"],
      ["X-Last", "2"],
    ]);
  });

  it("leaves out the default port and keeps IPv6 brackets, as clients do", () => {
    const host = (url: string) => buildOutgoingRequest(request(), { url }).headers[1]?.[1];
    expect(host("https://target.test:443/")).toBe("target.test");
    expect(host("http://target.test:80/")).toBe("target.test");
    expect(host("http://[::1]:8080/")).toBe("[::1]:8080");
  });

  it("is the received value with host: original", () => {
    expect(buildOutgoingRequest(request(), { url: "http://t.test/", host: "original" }).headers[1]).toEqual([
      "host",
      "dump.example:3000",
    ]);
  });

  it("falls back to the target's when the capture had no Host (HTTP/1.0)", () => {
    const out = buildOutgoingRequest(stored({ headers: [["X-A", "1"]], method: "GET", body: new Uint8Array() }), {
      url: "http://t.test:81/",
      host: "original",
    });
    expect(out.headers).toEqual([
      ["Host", "t.test:81"],
      ["X-A", "1"],
    ]);
  });

  it("is a given value with host: { value }", () => {
    expect(buildOutgoingRequest(request(), { url: "http://t.test/", host: { value: "api.internal:8443" } }).headers[1]).toEqual([
      "host",
      "api.internal:8443",
    ]);
    expect(buildOutgoingRequest(request(), { url: "http://t.test/", host: { value: "[fe80::1]" } }).headers[1]?.[1]).toBe("[fe80::1]");
  });

  it("comes first when the capture had none, and only once when it had several", () => {
    const out = buildOutgoingRequest(
      stored({ headers: [["X-A", "1"], ["Host", "a"], ["Host", "b"]], method: "GET", body: new Uint8Array() }),
      { url: "http://t.test/" },
    );
    expect(out.headers).toEqual([
      ["X-A", "1"],
      ["Host", "t.test"],
    ]);
    const none = buildOutgoingRequest(stored({ headers: [["X-A", "1"]], method: "GET", body: new Uint8Array() }), {
      url: "http://t.test/",
    });
    expect(none.headers[0]).toEqual(["Host", "t.test"]);
  });

  it.each(["", "a b", "evil\r\nX-Injected: 1", "host/path", "user@host", "host:port", "host:123456"])(
    "refuses the Host value %j",
    (value) => {
      expect(buildError(request(), { url: "http://t.test/", host: { value } }).code).toBe("invalid_header");
    },
  );

  it("parseHostMode maps REST input: keywords, else a value", () => {
    expect(parseHostMode(undefined)).toBe("target");
    expect(parseHostMode("target")).toBe("target");
    expect(parseHostMode("original")).toBe("original");
    expect(parseHostMode("api.internal")).toEqual({ value: "api.internal" });
  });
});

describe("header overrides and removals", () => {
  const headers: [string, string][] = [
    ["Host", "h"],
    ["X-Sig", "old-1"],
    ["Accept", "*/*"],
    ["x-sig", "old-2"],
    ["X-Other", "o"],
  ];
  const request = () => stored({ method: "GET", headers, body: new Uint8Array() });

  it("replaces all same-name headers (any case) at the place of the first", () => {
    const out = buildOutgoingRequest(request(), { url: "http://t.test/", headers: [["x-SIG", "new"]] });
    expect(out.headers).toEqual([
      ["Host", "t.test"],
      ["x-SIG", "new"],
      ["Accept", "*/*"],
      ["X-Other", "o"],
    ]);
  });

  it("keeps several values given for one name, in order", () => {
    const out = buildOutgoingRequest(request(), {
      url: "http://t.test/",
      headers: [
        ["X-Sig", "a"],
        ["X-Sig", "b"],
      ],
    });
    expect(out.headers.slice(1, 3)).toEqual([
      ["X-Sig", "a"],
      ["X-Sig", "b"],
    ]);
  });

  it("appends headers the capture did not have, in the order given", () => {
    const out = buildOutgoingRequest(request(), {
      url: "http://t.test/",
      headers: [
        ["Authorization", "Bearer t"],
        ["X-New", "1"],
      ],
    });
    expect(out.headers.slice(-2)).toEqual([
      ["Authorization", "Bearer t"],
      ["X-New", "1"],
    ]);
  });

  it("removes every header of a listed name, any case", () => {
    const out = buildOutgoingRequest(request(), { url: "http://t.test/", removeHeaders: ["X-SIG", "accept"] });
    expect(out.headers).toEqual([
      ["Host", "t.test"],
      ["X-Other", "o"],
    ]);
  });

  it("an override of a removed name puts the new value at the old place", () => {
    const out = buildOutgoingRequest(request(), { url: "http://t.test/", removeHeaders: ["x-sig"], headers: [["X-Sig", "n"]] });
    expect(out.headers[1]).toEqual(["X-Sig", "n"]);
    expect(out.headers.filter(([name]) => name.toLowerCase() === "x-sig")).toHaveLength(1);
  });

  it("removing Content-Length or a hop-by-hop header changes nothing: they are dropped or recomputed anyway", () => {
    const out = buildOutgoingRequest(stored(), { url: "http://t.test/", removeHeaders: ["content-length", "connection"] });
    expect(out.headers).toContainEqual(["Content-Length", "11"]);
  });

  it.each([
    ["Host", "set Host with the host option"],
    ["content-length", "computed from the body"],
    ["Transfer-Encoding", "hop-by-hop"],
    ["Connection", "hop-by-hop"],
    ["Proxy-Authorization", "hop-by-hop"],
  ])("refuses an override of %s", (name, message) => {
    const error = buildError(request(), { url: "http://t.test/", headers: [[name, "x"]] });
    expect(error.code).toBe("invalid_header");
    expect(error.message).toContain(message);
  });

  it("refuses removing Host", () => {
    expect(buildError(request(), { url: "http://t.test/", removeHeaders: ["HOST"] }).code).toBe("invalid_header");
  });
});

describe("header validation", () => {
  it.each([
    ["", "v"],
    ["Bad Name", "v"],
    ["X-Colon:", "v"],
    ["X-\u00e9", "v"],
    ["X-Ok", "line\r\nX-Injected: 1"],
    ["X-Ok", "line\nbreak"],
    ["X-Ok", "nul\u0000"],
    ["X-Ok", "euro \u20ac"],
  ])("refuses the override [%j, %j]", (name, value) => {
    const error = buildError(stored(), { url: "http://t.test/", headers: [[name, value]] });
    expect(error.code).toBe("invalid_header");
  });

  it("refuses a stored header that could not be sent", () => {
    expect(buildError(stored({ headers: [["X-A", "a\r\nb"]] }), { url: "http://t.test/" }).code).toBe("invalid_header");
  });

  it("allows tabs and Latin-1 in values", () => {
    const out = buildOutgoingRequest(stored(), { url: "http://t.test/", headers: [["X-Tab", "a\tb \u00ff"]] });
    expect(out.headers).toContainEqual(["X-Tab", "a\tb \u00ff"]);
  });

  it("refuses a method that is not a token", () => {
    expect(buildError(stored({ method: "GET /x" }), { url: "http://t.test/" }).code).toBe("invalid_header");
  });
});

describe("truncated captures", () => {
  it("are refused unless allowTruncated", () => {
    const error = buildError(stored({ truncated: true }), { url: "http://t.test/" });
    expect(error.code).toBe("truncated");
    expect(error.message).toContain("allowTruncated");
  });

  it("are sent as stored with allowTruncated, the length being the stored bytes'", () => {
    const out = buildOutgoingRequest(stored({ truncated: true, body: bytes("cut") }), { url: "http://t.test/", allowTruncated: true });
    expect(out.headers).toContainEqual(["Content-Length", "3"]);
  });

  it("may be sent with a replacement body, which is no longer truncated", () => {
    const out = buildOutgoingRequest(stored({ truncated: true }), { url: "http://t.test/", body: bytes("whole") });
    expect(new TextDecoder().decode(out.body)).toBe("whole");
  });
});
