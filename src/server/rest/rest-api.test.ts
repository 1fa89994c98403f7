// The REST API under /api/v1 as automation clients see it: real HTTP against the production server
// (capture fast path included) on a fresh SQLite file, credentials from a real better-auth sign-up.
import crypto from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";

// --- response schemas: the contract's shapes, loose about extra fields ---------------------------

const ZErrorBody = z.object({
  error: z.object({ code: z.string().min(1), message: z.string().min(1) }),
});
const ZValidationErrorBody = z.object({
  error: z.object({
    code: z.literal("BAD_REQUEST"),
    message: z.string().min(1),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).min(1),
  }),
});
const ZCreatedToken = z.object({ id: z.string().min(1), name: z.string(), token: z.string().min(20) });
const ZTokenList = z.object({ tokens: z.array(z.object({ id: z.string(), name: z.string() })) });
const ZBin = z.object({
  id: z.string().min(1),
  name: z.string(),
  slug: z.string(),
  url: z.string(),
  createdAt: z.iso.datetime(),
});
const ZBinList = z.object({ bins: z.array(ZBin) });
const ZRequestSummary = z.object({
  id: z.string().min(1),
  seq: z.number().int(),
  binId: z.string(),
  method: z.string(),
  receivedAt: z.iso.datetime(),
});
const ZRequestPage = z.object({ requests: z.array(ZRequestSummary), nextCursor: z.number().int().nullable() });
const ZRequestRecord = z.object({
  id: z.string().min(1),
  seq: z.number().int().positive(),
  binId: z.string(),
  method: z.string(),
  path: z.string(),
  query: z.string(),
  headers: z.array(z.tuple([z.string(), z.string()])),
  bodyBase64: z.string(),
  bodySize: z.number().int(),
  truncated: z.boolean(),
  contentType: z.string().nullable(),
  ip: z.string().nullable(),
  receivedAt: z.iso.datetime(),
});
const ZCaptured = z.object({ id: z.string().min(1) });

// --- HTTP helpers -------------------------------------------------------------------------------

type Credentials = { cookie: string } | { bearer: string } | null;

interface ApiResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty body. */
  json: unknown;
}

let server: TestServer;

async function api(
  method: string,
  path: string,
  options: { as: Credentials; json?: unknown; rawBody?: string } = { as: null },
): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (options.as && "cookie" in options.as) headers.cookie = options.as.cookie;
  if (options.as && "bearer" in options.as) headers.authorization = `Bearer ${options.as.bearer}`;
  let body: string | undefined;
  if (options.json !== undefined) body = JSON.stringify(options.json);
  if (options.rawBody !== undefined) body = options.rawBody;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.url}/api/v1${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === "" ? null : (JSON.parse(text) as unknown) };
}

/** Sends a request to a capture URL and returns the stored request's id. */
async function capture(url: string, init: RequestInit = { method: "POST" }): Promise<string> {
  const response = await fetch(url, init);
  expect(response.status).toBe(200);
  return ZCaptured.parse(await response.json()).id;
}

/** Bytes straight onto a socket, so header order, case and duplicates are exactly what we wrote. */
function wireRequest(head: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(server.url);
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(Buffer.concat([Buffer.from(`${head}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
    });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]), body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
  });
}

let owner: { cookie: string };
let slugCounter = 0;
/** A fresh valid custom slug, unique within this file's database. */
const freshSlug = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${slugCounter++}`;

async function createBin(as: Credentials, input: { name: string; slug?: string }) {
  const response = await api("POST", "/bins", { as, json: input });
  expect(response.status).toBe(201);
  return ZBin.parse(response.json);
}

beforeAll(async () => {
  server = await startTestServer();
  owner = { cookie: (await signUp(server.url)).cookie };
});
afterAll(() => server.close());

// --- API tokens ---------------------------------------------------------------------------------

describe("API tokens", () => {
  it("POST /tokens with a session cookie answers 201 {id, name, token} and stores only a hash", async () => {
    const response = await api("POST", "/tokens", { as: owner, json: { name: "ci" } });
    expect(response.status).toBe(201);
    const created = ZCreatedToken.parse(response.json);
    expect(created.name).toBe("ci");

    const row = await server.app.db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(row.tokenHash).toBe(crypto.createHash("sha256").update(created.token).digest("hex"));
  });

  it("shows the token only once: GET /tokens lists it without the secret", async () => {
    const created = ZCreatedToken.parse((await api("POST", "/tokens", { as: owner, json: { name: "shown-once" } })).json);
    const list = await api("GET", "/tokens", { as: owner });
    expect(list.status).toBe(200);
    expect(ZTokenList.parse(list.json).tokens.map((t) => t.id)).toContain(created.id);
    expect(JSON.stringify(list.json)).not.toContain(created.token);
  });

  it("refuses POST /tokens authenticated by a Bearer token with 401 and mints nothing", async () => {
    const { token } = ZCreatedToken.parse((await api("POST", "/tokens", { as: owner, json: { name: "minter" } })).json);
    const before = await server.app.db.apiToken.count();
    const response = await api("POST", "/tokens", { as: { bearer: token }, json: { name: "minted-by-token" } });
    expect(response.status).toBe(401);
    expect(ZErrorBody.parse(response.json).error.code).toBe("UNAUTHORIZED");
    expect(await server.app.db.apiToken.count()).toBe(before);
  });

  it("POST /tokens answers 400 naming `name` when the name is missing", async () => {
    const response = await api("POST", "/tokens", { as: owner, json: {} });
    expect(response.status).toBe(400);
    expect(ZValidationErrorBody.parse(response.json).error.issues.map((i) => i.path)).toContain("name");
  });

  it("authenticates REST calls as the token's owner with Authorization: Bearer", async () => {
    const { token } = ZCreatedToken.parse((await api("POST", "/tokens", { as: owner, json: { name: "reader" } })).json);
    const bin = await createBin(owner, { name: "seen through a token" });
    const response = await api("GET", "/bins", { as: { bearer: token } });
    expect(response.status).toBe(200);
    expect(ZBinList.parse(response.json).bins.map((b) => b.id)).toContain(bin.id);
    // And it can write, too.
    const created = await api("POST", "/bins", { as: { bearer: token }, json: { name: "made by token" } });
    expect(created.status).toBe(201);
  });

  it("answers 401 to a revoked token (revoked with DELETE /tokens/{id} → 204)", async () => {
    const created = ZCreatedToken.parse((await api("POST", "/tokens", { as: owner, json: { name: "to revoke" } })).json);
    expect((await api("GET", "/bins", { as: { bearer: created.token } })).status).toBe(200);

    const revoke = await api("DELETE", `/tokens/${created.id}`, { as: owner });
    expect(revoke.status).toBe(204);
    expect(revoke.json).toBeNull();

    const response = await api("GET", "/bins", { as: { bearer: created.token } });
    expect(response.status).toBe(401);
    expect(ZErrorBody.parse(response.json).error.code).toBe("UNAUTHORIZED");
  });

  it.each([
    ["random garbage", "garbage"],
    ["a well-prefixed but unknown token", `whd_${crypto.randomBytes(32).toString("base64url")}`],
  ])("answers 401 to %s as Bearer", async (_label, token) => {
    const response = await api("GET", "/bins", { as: { bearer: token } });
    expect(response.status).toBe(401);
    expect(ZErrorBody.parse(response.json).error.code).toBe("UNAUTHORIZED");
  });

  it("answers 401 to a bad Bearer token even when a valid session cookie comes with it", async () => {
    const response = await fetch(`${server.url}/api/v1/bins`, {
      headers: { cookie: owner.cookie, authorization: "Bearer garbage" },
    });
    expect(response.status).toBe(401);
    expect(ZErrorBody.parse(await response.json()).error.code).toBe("UNAUTHORIZED");
  });

  it.each([
    ["GET", "/bins"],
    ["POST", "/bins"],
    ["GET", "/tokens"],
    ["POST", "/tokens"],
  ])("answers %s %s without credentials with 401 JSON", async (method, path) => {
    const response = await api(method, path, { as: null, json: method === "POST" ? { name: "x" } : undefined });
    expect(response.status).toBe(401);
    expect(ZErrorBody.parse(response.json).error.code).toBe("UNAUTHORIZED");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  });
});

// --- bins ---------------------------------------------------------------------------------------

describe("bins", () => {
  it("POST /bins with a custom slug answers 201 {id, name, slug, url, createdAt}, url ending in /b/<slug>", async () => {
    const slug = freshSlug("custom");
    const response = await api("POST", "/bins", { as: owner, json: { name: "Stripe hooks", slug } });
    expect(response.status).toBe(201);
    const bin = ZBin.parse(response.json);
    expect(bin).toMatchObject({ name: "Stripe hooks", slug });
    expect(bin.url.endsWith(`/b/${slug}`)).toBe(true);
    expect(Math.abs(Date.parse(bin.createdAt) - Date.now())).toBeLessThan(60_000);
  });

  it("gives a bin without a slug a random, unguessable one (>= 96 bits) that captures", async () => {
    const bins = await Promise.all(Array.from({ length: 8 }, (_, i) => createBin(owner, { name: `random ${i}` })));
    const slugs = bins.map((b) => b.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9-]+$/);
    // Entropy estimate from the outside: the alphabet seen over all slugs, times the shortest length.
    const alphabet = new Set(slugs.join(""));
    const shortest = Math.min(...slugs.map((s) => s.length));
    expect(shortest * Math.log2(alphabet.size)).toBeGreaterThanOrEqual(96);
    const first = bins[0];
    if (!first) throw new Error("no bin created");
    expect(first.url.endsWith(`/b/${first.slug}`)).toBe(true);
    await capture(first.url);
  });

  it("GET /bins/{id} and GET /bins answer 200 with the bin", async () => {
    const bin = await createBin(owner, { name: "readable", slug: freshSlug("read") });
    const one = await api("GET", `/bins/${bin.id}`, { as: owner });
    expect(one.status).toBe(200);
    expect(ZBin.parse(one.json)).toMatchObject({ id: bin.id, name: "readable", slug: bin.slug, url: bin.url, createdAt: bin.createdAt });
    const all = await api("GET", "/bins", { as: owner });
    expect(all.status).toBe(200);
    expect(ZBinList.parse(all.json).bins.find((b) => b.id === bin.id)).toMatchObject({ slug: bin.slug, url: bin.url });
  });

  it("PATCH /bins/{id} renames (200, slug unchanged) and DELETE answers 204, then GET answers 404", async () => {
    const bin = await createBin(owner, { name: "before", slug: freshSlug("patch") });
    const patched = await api("PATCH", `/bins/${bin.id}`, { as: owner, json: { name: "after" } });
    expect(patched.status).toBe(200);
    expect(ZBin.parse(patched.json)).toMatchObject({ id: bin.id, name: "after", slug: bin.slug, url: bin.url });
    expect(ZBin.parse((await api("GET", `/bins/${bin.id}`, { as: owner })).json).name).toBe("after");

    const deleted = await api("DELETE", `/bins/${bin.id}`, { as: owner });
    expect(deleted.status).toBe(204);
    expect(deleted.json).toBeNull();

    const gone = await api("GET", `/bins/${bin.id}`, { as: owner });
    expect(gone.status).toBe(404);
    expect(ZErrorBody.parse(gone.json).error.code).toBe("NOT_FOUND");
    expect((await api("DELETE", `/bins/${bin.id}`, { as: owner })).status).toBe(404);
  });

  it("answers 404 NOT_FOUND JSON for an id that never existed and for an unknown route", async () => {
    const missing = await api("GET", "/bins/cl0000000000000000000000", { as: owner });
    expect(missing.status).toBe(404);
    expect(ZErrorBody.parse(missing.json).error.code).toBe("NOT_FOUND");
    const noRoute = await api("GET", "/no-such-endpoint", { as: owner });
    expect(noRoute.status).toBe(404);
    expect(ZErrorBody.parse(noRoute.json).error.code).toBe("NOT_FOUND");
  });

  // An id no database row can have is bad input or not found; either way a 4xx, never a 500.
  // App bug: rest-app.ts parses the :id param with ZIdParam.parse (max 100); the ZodError it throws
  // is neither RestValidationError nor AppError, so onError answers 500 {"error":{"code":"INTERNAL"}}.
  it("answers an over-long bin id with 400 or 404, not 500", async () => {
    const response = await api("GET", `/bins/${"x".repeat(101)}`, { as: owner });
    expect(ZErrorBody.parse(response.json).error.code).not.toBe("INTERNAL");
    expect([400, 404]).toContain(response.status);
  });

  it("accepts a name of exactly 100 characters", async () => {
    const response = await api("POST", "/bins", { as: owner, json: { name: "n".repeat(100) } });
    expect(response.status).toBe(201);
    expect(ZBin.parse(response.json).name).toBe("n".repeat(100));
  });

  it("answers bad JSON with 400 {error: {code: BAD_REQUEST, message}}", async () => {
    const before = await server.app.db.bin.count();
    const response = await api("POST", "/bins", { as: owner, rawBody: '{"name": "unterminated' });
    expect(response.status).toBe(400);
    const body = ZErrorBody.parse(response.json);
    expect(body.error.code).toBe("BAD_REQUEST");
    expect(Object.keys(body)).toEqual(["error"]);
    expect(await server.app.db.bin.count()).toBe(before);
  });

  const invalidCreates: { label: string; input: Record<string, unknown>; field: string }[] = [
    { label: "a missing name", input: {}, field: "name" },
    { label: "an empty name", input: { name: "" }, field: "name" },
    { label: "a blank name", input: { name: "   " }, field: "name" },
    { label: "a name of 101 characters", input: { name: "n".repeat(101) }, field: "name" },
    { label: "a name that is not a string", input: { name: 42 }, field: "name" },
    { label: "a 2-character slug", input: { name: "x", slug: "ab" }, field: "slug" },
    { label: "a 65-character slug", input: { name: "x", slug: "a".repeat(65) }, field: "slug" },
    { label: "an uppercase slug", input: { name: "x", slug: "My-Bin" }, field: "slug" },
    { label: "a slug with an underscore", input: { name: "x", slug: "my_bin" }, field: "slug" },
    { label: "a slug with a slash", input: { name: "x", slug: "my/bin" }, field: "slug" },
    { label: "the reserved slug `admin`", input: { name: "x", slug: "admin" }, field: "slug" },
    { label: "the reserved slug `api`", input: { name: "x", slug: "api" }, field: "slug" },
    { label: "the reserved slug `settings`", input: { name: "x", slug: "settings" }, field: "slug" },
  ];

  it.each(invalidCreates)("answers POST /bins with $label with 400 naming the field $field", async ({ input, field }) => {
    const before = await server.app.db.bin.count();
    const response = await api("POST", "/bins", { as: owner, json: input });
    expect(response.status).toBe(400);
    const body = ZValidationErrorBody.parse(response.json);
    expect(body.error.issues.map((i) => i.path)).toContain(field);
    expect(body.error.message).toContain(field);
    expect(await server.app.db.bin.count()).toBe(before);
  });

  it("answers PATCH /bins/{id} with a 101-character name with 400 and keeps the old name", async () => {
    const bin = await createBin(owner, { name: "keep me" });
    const response = await api("PATCH", `/bins/${bin.id}`, { as: owner, json: { name: "n".repeat(101) } });
    expect(response.status).toBe(400);
    expect(ZValidationErrorBody.parse(response.json).error.issues.map((i) => i.path)).toContain("name");
    expect(ZBin.parse((await api("GET", `/bins/${bin.id}`, { as: owner })).json).name).toBe("keep me");
  });

  it("answers a slug already taken, by the same or another user, with 409 CONFLICT", async () => {
    const slug = freshSlug("taken");
    await createBin(owner, { name: "first", slug });

    const again = await api("POST", "/bins", { as: owner, json: { name: "second", slug } });
    expect(again.status).toBe(409);
    expect(ZErrorBody.parse(again.json).error.code).toBe("CONFLICT");

    const other = { cookie: (await signUp(server.url)).cookie };
    const elsewhere = await api("POST", "/bins", { as: other, json: { name: "someone else's", slug } });
    expect(elsewhere.status).toBe(409);
    expect(ZErrorBody.parse(elsewhere.json).error.code).toBe("CONFLICT");
    expect(await server.app.db.bin.count({ where: { slug } })).toBe(1);
  });
});

// --- captured requests --------------------------------------------------------------------------

describe("captured requests", () => {
  it("pages GET /bins/{id}/requests newest first by cursor: 3 pages of 3, 3, 1, no duplicates, nextCursor null at the end", async () => {
    const bin = await createBin(owner, { name: "pager" });
    const sent: string[] = [];
    // One after another, so "newest" is unambiguous.
    for (let i = 0; i < 7; i++) sent.push(await capture(`${bin.url}/n/${i}`, { method: "POST", body: String(i) }));

    const pages: z.infer<typeof ZRequestPage>[] = [];
    let cursor: number | null = null;
    do {
      const query: string = cursor === null ? "limit=3" : `limit=3&cursor=${cursor}`;
      const response = await api("GET", `/bins/${bin.id}/requests?${query}`, { as: owner });
      expect(response.status).toBe(200);
      const page = ZRequestPage.parse(response.json);
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 5);

    expect(pages.map((p) => p.requests.length)).toEqual([3, 3, 1]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    const ids = pages.flatMap((p) => p.requests.map((r) => r.id));
    expect(new Set(ids).size).toBe(7);
    expect(ids).toEqual([...sent].reverse());
    const seqs = pages.flatMap((p) => p.requests.map((r) => r.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    for (const request of pages.flatMap((p) => p.requests)) expect(request.binId).toBe(bin.id);
  });

  it("answers a single page with nextCursor null when everything fits", async () => {
    const bin = await createBin(owner, { name: "small" });
    await capture(bin.url);
    await capture(bin.url);
    const page = ZRequestPage.parse((await api("GET", `/bins/${bin.id}/requests?limit=3`, { as: owner })).json);
    expect(page.requests).toHaveLength(2);
    expect(page.nextCursor).toBeNull();
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=201", "limit"],
    ["limit=-5", "limit"],
    ["limit=abc", "limit"],
    ["limit=2.5", "limit"],
    ["cursor=-1", "cursor"],
    ["cursor=abc", "cursor"],
  ])("answers ?%s with 400 naming `%s`", async (query, field) => {
    const bin = await createBin(owner, { name: "limits" });
    const response = await api("GET", `/bins/${bin.id}/requests?${query}`, { as: owner });
    expect(response.status).toBe(400);
    expect(ZValidationErrorBody.parse(response.json).error.issues.map((i) => i.path)).toContain(field);
  });

  // App bug: z.coerce.number() turns "" into 0, so `cursor=` means "below seq 0" and the bin looks
  // empty ({"requests":[],"nextCursor":null}) to a client that fills the contract's
  // `?limit=&cursor=` template with an empty cursor for the first page.
  it("treats an empty `cursor=` as no cursor: the first page, not an empty one", async () => {
    const bin = await createBin(owner, { name: "empty cursor" });
    const id = await capture(bin.url);
    const response = await api("GET", `/bins/${bin.id}/requests?limit=3&cursor=`, { as: owner });
    expect(response.status).toBe(200);
    expect(ZRequestPage.parse(response.json).requests.map((r) => r.id)).toEqual([id]);
  });

  it("accepts the limit bounds 1 and 200", async () => {
    const bin = await createBin(owner, { name: "bounds" });
    await capture(bin.url);
    await capture(bin.url);
    const one = await api("GET", `/bins/${bin.id}/requests?limit=1`, { as: owner });
    expect(one.status).toBe(200);
    expect(ZRequestPage.parse(one.json).requests).toHaveLength(1);
    const max = await api("GET", `/bins/${bin.id}/requests?limit=200`, { as: owner });
    expect(max.status).toBe(200);
    expect(ZRequestPage.parse(max.json).requests).toHaveLength(2);
  });

  it("GET /requests/{id} answers the full record, headers as [name, value] pairs in received order", async () => {
    const bin = await createBin(owner, { name: "full record", slug: freshSlug("record") });
    const body = Buffer.from('{"event":"ping"}');
    const sent = await wireRequest(
      `PUT /b/${bin.slug}/hooks/github?z=1&a=2&z=3 HTTP/1.1\r\nHost: example.test\r\nX-Zeta: 1\r\n` +
        "Content-Type: application/json\r\nx-alpha: 2\r\nX-Zeta: 3\r\n",
      body,
    );
    expect(sent.status).toBe(200);
    const id = ZCaptured.parse(JSON.parse(sent.body)).id;

    const response = await api("GET", `/requests/${id}`, { as: owner });
    expect(response.status).toBe(200);
    const record = ZRequestRecord.parse(response.json);
    expect(record).toMatchObject({
      id,
      binId: bin.id,
      method: "PUT",
      path: "/hooks/github",
      query: "z=1&a=2&z=3",
      bodySize: body.length,
      truncated: false,
      contentType: "application/json",
      ip: "127.0.0.1",
    });
    expect(record.seq).toBe(1);
    expect(Buffer.from(record.bodyBase64, "base64").equals(body)).toBe(true);
    expect(Math.abs(Date.parse(record.receivedAt) - Date.now())).toBeLessThan(60_000);
    const names = record.headers.map(([name]) => name);
    expect(names.slice(0, 5)).toEqual(["Host", "X-Zeta", "Content-Type", "x-alpha", "X-Zeta"]);
    expect(record.headers.filter(([name]) => name === "X-Zeta")).toEqual([["X-Zeta", "1"], ["X-Zeta", "3"]]);
  });

  it("GET /requests/{id}/body returns the exact bytes as an attachment, whatever the sender's content type", async () => {
    const bin = await createBin(owner, { name: "binary" });
    const bytes = crypto.randomBytes(4096);
    const id = await capture(bin.url, { method: "POST", body: bytes, headers: { "content-type": "text/html" } });

    const response = await fetch(`${server.url}/api/v1/requests/${id}/body`, { headers: { cookie: owner.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment\b/);
    expect(response.headers.get("content-type")).not.toMatch(/html/);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("returns an empty body download for a request without a body", async () => {
    const bin = await createBin(owner, { name: "empty" });
    const id = await capture(bin.url, { method: "GET" });
    const response = await fetch(`${server.url}/api/v1/requests/${id}/body`, { headers: { cookie: owner.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment\b/);
    expect((await response.arrayBuffer()).byteLength).toBe(0);
  });

  it("DELETE /requests/{id} answers 204, then the record and its body answer 404 and the list drops it", async () => {
    const bin = await createBin(owner, { name: "delete one" });
    const keep = await capture(bin.url);
    const drop = await capture(bin.url);

    const deleted = await api("DELETE", `/requests/${drop}`, { as: owner });
    expect(deleted.status).toBe(204);
    expect(deleted.json).toBeNull();

    for (const path of [`/requests/${drop}`, `/requests/${drop}/body`]) {
      const response = await api("GET", path, { as: owner });
      expect(response.status).toBe(404);
      expect(ZErrorBody.parse(response.json).error.code).toBe("NOT_FOUND");
    }
    expect((await api("DELETE", `/requests/${drop}`, { as: owner })).status).toBe(404);
    const page = ZRequestPage.parse((await api("GET", `/bins/${bin.id}/requests`, { as: owner })).json);
    expect(page.requests.map((r) => r.id)).toEqual([keep]);
  });

  it("DELETE /bins/{id} removes its requests: they answer 404 and no row is left", async () => {
    const bin = await createBin(owner, { name: "doomed" });
    const ids = [await capture(bin.url), await capture(bin.url, { method: "POST", body: "x" })];
    expect((await api("GET", `/requests/${ids[0]}`, { as: owner })).status).toBe(200);

    expect((await api("DELETE", `/bins/${bin.id}`, { as: owner })).status).toBe(204);

    for (const id of ids) {
      const response = await api("GET", `/requests/${id}`, { as: owner });
      expect(response.status).toBe(404);
      expect(ZErrorBody.parse(response.json).error.code).toBe("NOT_FOUND");
    }
    expect(await server.app.db.capturedRequest.count({ where: { id: { in: ids } } })).toBe(0);
    const after = await fetch(bin.url, { method: "POST", body: "late" });
    expect(after.status).toBe(404);
  });
});
