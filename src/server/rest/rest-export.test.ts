// Exports through real HTTP: one request and a whole bin, as JSON and HAR 1.2, as attachments.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ZHar } from "~/test/har-schema";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";

let server: TestServer;
let cookie: string;
let bin: { id: string; slug: string; url: string };
const ids: string[] = [];
const binary = Buffer.from([0x00, 0xff, 0x10, 0x80]);

async function get(path: string, as = cookie) {
  return fetch(`${server.url}/api/v1${path}`, { headers: { cookie: as } });
}

beforeAll(async () => {
  server = await startTestServer();
  cookie = (await signUp(server.url)).cookie;
  const created = await fetch(`${server.url}/api/v1/bins`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ name: "export" }) });
  bin = z.object({ id: z.string(), slug: z.string(), url: z.string() }).parse(await created.json());
  // 40 requests: more than one page of the server's export reader.
  for (let i = 0; i < 40; i++) {
    const init: RequestInit = i === 1 ? { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: binary } : { method: "POST", headers: { "content-type": "application/json", "x-n": String(i) }, body: JSON.stringify({ n: i }) };
    const response = await fetch(`${bin.url}/hook/${i}?i=${i}`, init);
    expect(response.status).toBe(200);
    ids.push(z.object({ id: z.string() }).parse(await response.json()).id);
  }
});
afterAll(() => server.close());

describe("GET /requests/{id}/export", () => {
  it("?format=har answers a HAR 1.2 attachment with the one request", async () => {
    const response = await get(`/requests/${ids[0]}/export?format=har`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${bin.slug}-1.har"`);
    const har = ZHar.parse(await response.json());
    expect(har.log.entries).toHaveLength(1);
    const entry = har.log.entries[0];
    expect(entry?.request.method).toBe("POST");
    expect(entry?.request.url).toBe(`${bin.url}/hook/0?i=0`);
    expect(entry?.request.headers).toContainEqual({ name: "x-n", value: "0" });
    expect(entry?.request.postData?.text).toBe('{"n":0}');
    expect(entry?.response.status).toBe(200);
  });

  it("?format=har carries a binary body as base64", async () => {
    const har = ZHar.parse(await (await get(`/requests/${ids[1]}/export?format=har`)).json());
    expect(har.log.entries[0]?.request.postData).toEqual({ mimeType: "application/octet-stream", text: binary.toString("base64"), encoding: "base64" });
  });

  it("?format=json (the default) answers the record with its URL", async () => {
    for (const query of ["?format=json", ""]) {
      const response = await get(`/requests/${ids[1]}/export${query}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${bin.slug}-2.json"`);
      const json = z.object({ id: z.string(), url: z.string(), method: z.string(), bodyBase64: z.string() }).parse(await response.json());
      expect(json).toMatchObject({ id: ids[1], url: `${bin.url}/hook/1?i=1`, method: "PUT" });
      expect(Buffer.from(json.bodyBase64, "base64").equals(binary)).toBe(true);
    }
  });

  it("answers 400 naming `format` for an unknown format, 404 for someone else's request, 401 without credentials", async () => {
    const bad = await get(`/requests/${ids[0]}/export?format=xml`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('"path":"format"');
    const stranger = await signUp(server.url);
    expect((await get(`/requests/${ids[0]}/export?format=har`, stranger.cookie)).status).toBe(404);
    expect((await fetch(`${server.url}/api/v1/requests/${ids[0]}/export`)).status).toBe(401);
  });
});

describe("GET /bins/{id}/export", () => {
  it("?format=har streams every request, oldest first, across the reader's pages", async () => {
    const response = await get(`/bins/${bin.id}/export?format=har`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${bin.slug}.har"`);
    const har = ZHar.parse(await response.json());
    expect(har.log.entries.map((e) => e.request.url)).toEqual(ids.map((_, i) => `${bin.url}/hook/${i}?i=${i}`));
  });

  it("?format=json answers the bin and every request", async () => {
    const response = await get(`/bins/${bin.id}/export?format=json`);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${bin.slug}.json"`);
    const json = z.object({ bin: z.object({ id: z.string(), url: z.string() }), requests: z.array(z.object({ id: z.string() })) }).parse(await response.json());
    expect(json.bin).toMatchObject({ id: bin.id, url: bin.url });
    expect(json.requests.map((r) => r.id)).toEqual(ids);
  });

  it("exports an empty bin as a valid, empty document", async () => {
    const created = await fetch(`${server.url}/api/v1/bins`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ name: "empty" }) });
    const empty = z.object({ id: z.string() }).parse(await created.json());
    expect(ZHar.parse(await (await get(`/bins/${empty.id}/export?format=har`)).json()).log.entries).toEqual([]);
  });

  it("answers 400 naming `format` for an unknown format and 404 for someone else's bin", async () => {
    const bad = await get(`/bins/${bin.id}/export?format=csv`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('"path":"format"');
    const stranger = await signUp(server.url);
    expect((await get(`/bins/${bin.id}/export?format=json`, stranger.cookie)).status).toBe(404);
  });
});
