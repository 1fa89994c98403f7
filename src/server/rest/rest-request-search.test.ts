// Search and filters on GET /api/v1/bins/{id}/requests, through real HTTP against the production
// server on a fresh SQLite file: each filter alone, combined, paged, and every bad value → 400.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";

const ZPage = z.object({
  requests: z.array(z.object({ id: z.string(), seq: z.number().int(), method: z.string(), path: z.string(), receivedAt: z.iso.datetime() })),
  nextCursor: z.number().int().nullable(),
  lastSeq: z.number().int(),
});
const ZIssues = z.object({ error: z.object({ code: z.literal("BAD_REQUEST"), issues: z.array(z.object({ path: z.string(), message: z.string() })).min(1) }) });

let server: TestServer;
let cookie: string;
let binId: string;
let slug: string;
/** Sequence number of each capture by label, filled in beforeAll. */
const seq: Record<string, number> = {};

async function get(query: string) {
  const response = await fetch(`${server.url}/api/v1/bins/${binId}/requests?${query}`, { headers: { cookie } });
  return { status: response.status, json: (await response.json()) as unknown };
}
async function seqsFor(query: string): Promise<number[]> {
  const response = await get(query);
  expect(response.status).toBe(200);
  return ZPage.parse(response.json).requests.map((r) => r.seq);
}
async function capture(label: string, path: string, init: RequestInit) {
  const response = await fetch(`${server.url}/b/${slug}${path}`, init);
  expect(response.status).toBe(200);
  const list = ZPage.parse((await get("limit=1")).json);
  seq[label] = list.requests[0]?.seq ?? -1;
}

beforeAll(async () => {
  server = await startTestServer();
  cookie = (await signUp(server.url)).cookie;
  const created = await fetch(`${server.url}/api/v1/bins`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ name: "search" }) });
  ({ id: binId, slug } = z.object({ id: z.string(), slug: z.string() }).parse(await created.json()));
  await capture("stripe", "/hooks/stripe", { method: "POST", headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=abc", "x-quote": 'say "hi"' }, body: JSON.stringify({ type: "invoice.paid" }) });
  await capture("github", "/hooks/GitHub", { method: "POST", headers: { "x-github-event": "push" }, body: "ref=refs/heads/main" });
  await capture("binary", "/upload", { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: Buffer.concat([Buffer.from([0x00, 0xff, 0xfe]), Buffer.from("needle-in-binary"), Buffer.from([0x00])]) });
  await capture("get", "/health_check", { method: "GET", headers: { "x-note": "Grüße" } });
  await capture("purge", "/cache", { method: "PURGE" });
});
afterAll(() => server.close());

describe("GET /bins/{id}/requests filters", () => {
  it("method: exact, compared upper-cased", async () => {
    expect(await seqsFor("method=POST")).toEqual([seq.github, seq.stripe]);
    expect(await seqsFor("method=purge")).toEqual([seq.purge]);
    expect(await seqsFor("method=DELETE")).toEqual([]);
  });

  it("path: contains, ASCII letters in either case, LIKE wildcards taken literally", async () => {
    expect(await seqsFor("path=hooks")).toEqual([seq.github, seq.stripe]);
    expect(await seqsFor("path=github")).toEqual([seq.github]);
    expect(await seqsFor(`path=${encodeURIComponent("_check")}`)).toEqual([seq.get]);
    // `_` and `%` would match any character in a raw LIKE: here they match only themselves.
    expect(await seqsFor(`path=${encodeURIComponent("h_oks")}`)).toEqual([]);
    expect(await seqsFor(`path=${encodeURIComponent("%")}`)).toEqual([]);
  });

  it("q: text in a header name or value, quotes and non-ASCII included", async () => {
    expect(await seqsFor("q=x-github-event")).toEqual([seq.github]);
    expect(await seqsFor(`q=${encodeURIComponent("t=1,v1=abc")}`)).toEqual([seq.stripe]);
    expect(await seqsFor(`q=${encodeURIComponent("Grüße")}`)).toEqual([seq.get]);
    expect(await seqsFor(`q=${encodeURIComponent('say "hi"')}`)).toEqual([seq.stripe]);
  });

  it("q: bytes in the body, binary bodies included, ASCII letters in either case", async () => {
    expect(await seqsFor("q=invoice.paid")).toEqual([seq.stripe]);
    expect(await seqsFor("q=INVOICE.Paid")).toEqual([seq.stripe]);
    expect(await seqsFor(`q=${encodeURIComponent('"type":"invoice')}`)).toEqual([seq.stripe]);
    expect(await seqsFor("q=needle-in-binary")).toEqual([seq.binary]);
    // Between NUL and invalid UTF-8 bytes too.
    expect(await seqsFor("q=NEEDLE-IN-BINARY")).toEqual([seq.binary]);
    expect(await seqsFor("q=nowhere-at-all")).toEqual([]);
  });

  it("q with matchCase=true: exactly as typed, in headers and body", async () => {
    expect(await seqsFor("q=needle-in-binary&matchCase=true")).toEqual([seq.binary]);
    expect(await seqsFor("q=NEEDLE-IN-BINARY&matchCase=true")).toEqual([]);
    expect(await seqsFor("q=X-GitHub-Event&matchCase=true")).toEqual([]);
    expect(await seqsFor("q=x-github-event&matchCase=true")).toEqual([seq.github]);
    expect(await seqsFor("q=X-GitHub-Event&matchCase=false")).toEqual([seq.github]);
    // Not a filter by itself.
    expect(await seqsFor("matchCase=true")).toHaveLength(5);
  });

  it("from/to: received within the range, both ends inclusive", async () => {
    const all = ZPage.parse((await get("limit=10")).json).requests;
    const at = (label: string) => all.find((r) => r.seq === seq[label])?.receivedAt ?? "";
    const expected = all.filter((r) => r.receivedAt >= at("github") && r.receivedAt <= at("get")).map((r) => r.seq);
    expect(expected).toContain(seq.github);
    expect(await seqsFor(`from=${at("github")}&to=${at("get")}`)).toEqual(expected);
    const after = new Date(Date.parse(at("purge")) + 1).toISOString();
    expect(await seqsFor(`from=${after}`)).toEqual([]);
    expect(await seqsFor(`to=${encodeURIComponent(new Date(Date.parse(at("stripe")) - 1).toISOString())}`)).toEqual([]);
    // A zone offset is honoured: the same instant written in +02:00.
    const shifted = new Date(Date.parse(at("purge")) + 2 * 3600_000).toISOString().replace("Z", "+02:00");
    expect(await seqsFor(`from=${encodeURIComponent(shifted)}`)).toEqual([seq.purge]);
  });

  it("combines filters with AND", async () => {
    expect(await seqsFor("method=POST&path=hooks&q=push")).toEqual([seq.github]);
    expect(await seqsFor("method=PUT&q=invoice")).toEqual([]);
  });

  it("treats empty parameters as no filter", async () => {
    expect(await seqsFor("method=&path=&q=&from=&to=")).toHaveLength(5);
  });

  it("pages filtered results by the same seq cursor, without gaps or repeats", async () => {
    // Five more matching captures, interleaved with non-matching ones.
    for (let i = 0; i < 5; i++) {
      await capture(`page-${i}`, `/paged/${i}`, { method: "POST", body: `paged body ${i}` });
      await capture(`other-${i}`, `/other/${i}`, { method: "POST", body: "unrelated" });
    }
    const expected = [4, 3, 2, 1, 0].map((i) => seq[`page-${i}`]);
    for (const query of ["path=paged", "q=paged+body"]) {
      const seen: number[] = [];
      let cursor: number | null = null;
      let pages = 0;
      do {
        const response = await get(`${query}&limit=2${cursor === null ? "" : `&cursor=${cursor}`}`);
        const page = ZPage.parse(response.json);
        seen.push(...page.requests.map((r) => r.seq));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(seen, query).toEqual(expected);
      expect(pages, query).toBe(3);
    }
  });

  it("answers lastSeq, the bin's newest sequence number, with every page", async () => {
    const page = ZPage.parse((await get("method=DELETE")).json);
    expect(page.requests).toEqual([]);
    expect(page.lastSeq).toBe(Math.max(...Object.values(seq)));
  });
});

describe("q and the query string", () => {
  it("finds text in the raw query string, either case unless matchCase", async () => {
    await capture("query", "/tagged?tag=b&who=Monalisa", { method: "POST", body: "" });
    expect(await seqsFor(`q=${encodeURIComponent("tag=b")}`)).toEqual([seq.query]);
    expect(await seqsFor("q=monalisa")).toEqual([seq.query]);
    expect(await seqsFor("q=monalisa&matchCase=true")).toEqual([]);
    expect(await seqsFor("q=Monalisa&matchCase=true")).toEqual([seq.query]);
  });
});

describe("bad filter values answer 400 naming the parameter", () => {
  it.each([
    ["method", "method=GET%20X"],
    ["method", `method=${"A".repeat(33)}`],
    ["path", "path=(2049 characters)"],
    ["q", "q=(1001 characters)"],
    ["from", "from=yesterday"],
    ["from", "from=2026-01-31"],
    ["to", "to=2026-01-31T09:00:00"],
    ["to", "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z"],
    ["matchCase", "matchCase=yes"],
    ["limit", "limit=0"],
    ["cursor", "cursor=-1"],
  ])("%s: %s", async (field, label) => {
    const query = label.replace(/\((\d+) characters\)/, (_, n: string) => "x".repeat(Number(n)));
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(ZIssues.parse(response.json).error.issues.map((i) => i.path)).toContain(field);
  });
});
