import { describe, expect, it } from "vitest";
import { copyAsFetch } from "./copy-as-fetch";
import { copyAsHttpie } from "./copy-as-httpie";
import type { ReplayableRequest } from "./replayable-request";

const base: ReplayableRequest = {
  method: "POST",
  url: "http://h/b/x/p?a=1&a=2",
  headers: [["Host", "h"], ["Content-Length", "9"], ["Content-Type", "application/json"], ["X-Dup", "1"], ["X-Dup", "it's"]],
  body: new TextEncoder().encode('{"a":"b"}'),
  bodyFileName: "request-7.bin",
};

describe("copyAsHttpie", () => {
  it("sends headers in order with duplicates, the body verbatim, and no transport headers", () => {
    expect(copyAsHttpie(base)).toEqual({
      command: `http --ignore-stdin POST 'http://h/b/x/p?a=1&a=2' Content-Type:application/json X-Dup:1 'X-Dup:it'\\''s' --raw '{"a":"b"}'`,
      needsBodyFile: false,
    });
  });

  it("reads binary bodies from the body file on stdin", () => {
    const { command, needsBodyFile } = copyAsHttpie({ ...base, headers: [], body: new Uint8Array([0, 255]) });
    expect(needsBodyFile).toBe(true);
    expect(command).toBe(`http POST 'http://h/b/x/p?a=1&a=2' Content-Type: < request-7.bin`);
  });
});

describe("copyAsFetch", () => {
  it("is runnable JavaScript that keeps duplicate headers and the exact body", async () => {
    const { code } = copyAsFetch(base);
    expect(code).toContain(`headers: [\n    ["Content-Type","application/json"],\n    ["X-Dup","1"],\n    ["X-Dup","it's"],\n  ],`);
    expect(code).toContain(`body: "{\\"a\\":\\"b\\"}",`);
    expect(code).not.toContain("Content-Length");
    // Run it with a fetch that records what it was asked to send.
    const calls: [string, RequestInit][] = [];
    const fakeFetch = async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return new Response("ok");
    };
    const run = new Function("fetch", "console", `return (async () => { ${code} })();`) as (f: typeof fakeFetch, c: { log(): void }) => Promise<void>;
    await run(fakeFetch, { log: () => undefined });
    expect(calls[0]?.[0]).toBe(base.url);
    expect(calls[0]?.[1].body).toBe('{"a":"b"}');
  });

  it("inlines small binary bodies as base64 that decodes to the same bytes", async () => {
    const body = new Uint8Array([0, 1, 254, 255]);
    const { code, needsBodyFile } = copyAsFetch({ ...base, body });
    expect(needsBodyFile).toBe(false);
    const expression = /body: (.*),\n/.exec(code)?.[1] ?? "";
    expect(new Function(`return ${expression}`)()).toEqual(body);
  });
});
