// Who may touch what, through every door: user B aims every tRPC procedure and every REST route that
// takes an id or slug at user A's bin, request and token, and must get "not found" (never 403, never
// a hint that the thing exists) while A's data stays exactly as it was. Unauthenticated callers get
// UNAUTHORIZED / 401. To cover a new procedure or route, add a row to the matching table.
import { createTRPCClient, httpLink, isTRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppRouter } from "~/server/trpc/app-router";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";

type Credentials = { cookie: string } | { bearer: string } | null;

function credentialHeaders(as: Credentials): Record<string, string> {
  if (!as) return {};
  return "cookie" in as ? { cookie: as.cookie } : { authorization: `Bearer ${as.bearer}` };
}

function trpcClient(baseUrl: string, as: Credentials) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/api/trpc`, transformer: superjson, headers: () => credentialHeaders(as) })],
  });
}
type Client = ReturnType<typeof trpcClient>;

/** The tRPC error code a call failed with; fails the test if the call succeeded. */
async function trpcErrorCode(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (error) {
    if (isTRPCClientError<AppRouter>(error)) return error.data?.code;
    throw error;
  }
  throw new Error("expected the call to be refused, but it succeeded");
}

const ZErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const ZBin = z.object({ id: z.string(), slug: z.string(), url: z.string() });
const ZCreatedToken = z.object({ id: z.string(), token: z.string() });
const ZCaptured = z.object({ id: z.string() });

let server: TestServer;

async function rest(method: string, path: string, as: Credentials, json?: unknown) {
  const headers = credentialHeaders(as);
  if (json !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await response.text();
  const isJson = response.headers.get("content-type")?.startsWith("application/json") ?? false;
  return { status: response.status, text, json: isJson ? (JSON.parse(text) as unknown) : null };
}

/** What user B aims at: user A's things. */
interface Target {
  binId: string;
  binSlug: string;
  requestId: string;
  tokenId: string;
}

interface Person {
  cookie: string;
  bearer: string;
  tokenId: string;
  trpc: Client;
}

let a: Person;
let b: Person;
let target: Target;
let bOwnBinId: string;
/** A's data as A sees it, taken before any of B's attempts. */
let baseline: Awaited<ReturnType<typeof snapshotOfA>>;

async function person(): Promise<Person> {
  const { cookie } = await signUp(server.url);
  const created = await rest("POST", "/tokens", { cookie }, { name: "matrix" });
  expect(created.status).toBe(201);
  const { id, token } = ZCreatedToken.parse(created.json);
  return { cookie, bearer: token, tokenId: id, trpc: trpcClient(server.url, { cookie }) };
}

async function snapshotOfA() {
  const bins = await a.trpc.bins.list.query();
  const bin = await a.trpc.bins.bySlug.query({ slug: target.binSlug });
  const requests = await a.trpc.requests.list.query({ binId: target.binId, limit: 200 });
  const record = await a.trpc.requests.byId.query({ id: target.requestId });
  // lastUsedAt moves whenever a token is used; which tokens exist and their names must not.
  const tokens = (await a.trpc.tokens.list.query()).map(({ lastUsedAt: _lastUsedAt, ...token }) => token);
  return { bins, bin, requests, record, tokens };
}

beforeAll(async () => {
  server = await startTestServer();
  a = await person();
  b = await person();

  const created = await rest("POST", "/bins", { cookie: a.cookie }, { name: "A's bin", slug: "a-private-bin" });
  expect(created.status).toBe(201);
  const bin = ZBin.parse(created.json);
  const captured = await fetch(bin.url, { method: "POST", body: "A's secret payload" });
  expect(captured.status).toBe(200);
  // A second request, so "clear" and "delete" by B would visibly change something.
  await fetch(`${bin.url}/second`, { method: "POST", body: "more" });
  target = { binId: bin.id, binSlug: bin.slug, requestId: ZCaptured.parse(await captured.json()).id, tokenId: a.tokenId };

  const own = await rest("POST", "/bins", { cookie: b.cookie }, { name: "B's bin" });
  expect(own.status).toBe(201);
  bOwnBinId = ZBin.parse(own.json).id;

  baseline = await snapshotOfA();
  expect(baseline.requests.requests).toHaveLength(2);
});
afterAll(() => server.close());

// --- tRPC ---------------------------------------------------------------------------------------

interface TrpcCase {
  procedure: string;
  call: (client: Client, t: Target) => Promise<unknown>;
}

/** Every procedure that takes an id or slug of someone's bin, request or token. */
const proceduresOnForeignIds: TrpcCase[] = [
  { procedure: "bins.bySlug", call: (c, t) => c.bins.bySlug.query({ slug: t.binSlug }) },
  { procedure: "bins.update", call: (c, t) => c.bins.update.mutate({ id: t.binId, patch: { name: "taken over" } }) },
  { procedure: "bins.delete", call: (c, t) => c.bins.delete.mutate({ id: t.binId }) },
  { procedure: "requests.list", call: (c, t) => c.requests.list.query({ binId: t.binId }) },
  { procedure: "requests.byId", call: (c, t) => c.requests.byId.query({ id: t.requestId }) },
  { procedure: "requests.signature", call: (c, t) => c.requests.signature.query({ id: t.requestId }) },
  { procedure: "bins.update (signature)", call: (c, t) => c.bins.update.mutate({ id: t.binId, patch: { signature: { scheme: "github", secret: "taken over" } } }) },
  { procedure: "requests.delete", call: (c, t) => c.requests.delete.mutate({ id: t.requestId }) },
  { procedure: "requests.clear", call: (c, t) => c.requests.clear.mutate({ binId: t.binId }) },
  { procedure: "tokens.revoke", call: (c, t) => c.tokens.revoke.mutate({ id: t.tokenId }) },
];

/** Every protected procedure, with harmless input, for the unauthenticated checks. */
const everyProtectedProcedure: TrpcCase[] = [
  ...proceduresOnForeignIds,
  { procedure: "bins.list", call: (c) => c.bins.list.query() },
  { procedure: "bins.create", call: (c) => c.bins.create.mutate({ name: "anonymous" }) },
  { procedure: "tokens.list", call: (c) => c.tokens.list.query() },
  { procedure: "tokens.create", call: (c) => c.tokens.create.mutate({ name: "anonymous" }) },
];

const trpcDoors = [
  { door: "session cookie", client: () => b.trpc },
  { door: "Bearer token", client: () => trpcClient(server.url, { bearer: b.bearer }) },
];

describe.each(trpcDoors)("tRPC as user B with B's $door", ({ client }) => {
  it.each(proceduresOnForeignIds)("$procedure on A's id answers NOT_FOUND and changes nothing of A's", async ({ call }) => {
    expect(await trpcErrorCode(call(client(), target))).toBe("NOT_FOUND");
    expect(await snapshotOfA()).toEqual(baseline);
  });

  it("bins.list shows only B's own bins", async () => {
    const ids = (await client().bins.list.query()).map((bin) => bin.id);
    expect(ids).toEqual([bOwnBinId]);
  });
});

describe("tRPC without valid credentials", () => {
  const doors: { door: string; as: () => Credentials }[] = [
    { door: "no credentials", as: () => null },
    { door: "a garbage Bearer token", as: () => ({ bearer: "whd_not-a-real-token" }) },
    { door: "a made-up session cookie", as: () => ({ cookie: "webhookdump.session_token=forged.value" }) },
  ];
  describe.each(doors)("with $door", ({ as }) => {
    it.each(everyProtectedProcedure)("$procedure answers UNAUTHORIZED", async ({ call }) => {
      expect(await trpcErrorCode(call(trpcClient(server.url, as()), target))).toBe("UNAUTHORIZED");
    });
  });

  it("leaves A's data unchanged", async () => {
    expect(await snapshotOfA()).toEqual(baseline);
  });
});

// --- REST ---------------------------------------------------------------------------------------

interface RestCase {
  method: string;
  path: (t: Target) => string;
  body?: unknown;
}

/** Every REST route with an id in its path. */
const restRoutesWithIds: RestCase[] = [
  { method: "GET", path: (t) => `/bins/${t.binId}` },
  { method: "PATCH", path: (t) => `/bins/${t.binId}`, body: { name: "taken over" } },
  { method: "DELETE", path: (t) => `/bins/${t.binId}` },
  { method: "GET", path: (t) => `/bins/${t.binId}/requests` },
  { method: "DELETE", path: (t) => `/bins/${t.binId}/requests` },
  { method: "GET", path: (t) => `/requests/${t.requestId}` },
  { method: "GET", path: (t) => `/requests/${t.requestId}/body` },
  { method: "DELETE", path: (t) => `/requests/${t.requestId}` },
  { method: "DELETE", path: (t) => `/tokens/${t.tokenId}` },
];

/** The id-free routes too, for the unauthenticated checks. */
const everyRestRoute: RestCase[] = [
  { method: "GET", path: () => "/bins" },
  { method: "POST", path: () => "/bins", body: { name: "anonymous" } },
  { method: "GET", path: () => "/tokens" },
  { method: "POST", path: () => "/tokens", body: { name: "anonymous" } },
  ...restRoutesWithIds,
];

const label = (route: RestCase) => `${route.method} ${route.path({ binId: "{binId}", binSlug: "{slug}", requestId: "{requestId}", tokenId: "{tokenId}" })}`;

const restDoors = [
  { door: "session cookie", as: (): Credentials => ({ cookie: b.cookie }) },
  { door: "Bearer token", as: (): Credentials => ({ bearer: b.bearer }) },
];

describe.each(restDoors)("REST as user B with B's $door", ({ as }) => {
  it.each(restRoutesWithIds.map((route) => ({ route, name: label(route) })))(
    "$name on A's id answers 404 NOT_FOUND and changes nothing of A's",
    async ({ route }) => {
      const response = await rest(route.method, route.path(target), as(), route.body);
      expect(response.status).toBe(404);
      expect(ZErrorBody.parse(response.json).error.code).toBe("NOT_FOUND");
      expect(response.text).not.toContain("A's secret payload");
      expect(await snapshotOfA()).toEqual(baseline);
    },
  );

  it("GET /bins shows only B's own bins", async () => {
    const response = await rest("GET", "/bins", as());
    expect(response.status).toBe(200);
    const ids = z.object({ bins: z.array(ZBin) }).parse(response.json).bins.map((bin) => bin.id);
    expect(ids).toEqual([bOwnBinId]);
  });
});

describe("REST: B cannot tell A's ids from ids that do not exist", () => {
  const missing: Target = { binId: "clnotarealbin000000000000", binSlug: "no-such-bin", requestId: "clnotarealrequest00000000", tokenId: "clnotarealtoken0000000000" };

  it.each(restRoutesWithIds.map((route) => ({ route, name: label(route) })))("$name answers the same 404 body", async ({ route }) => {
    const foreign = await rest(route.method, route.path(target), { cookie: b.cookie }, route.body);
    const absent = await rest(route.method, route.path(missing), { cookie: b.cookie }, route.body);
    expect(foreign.status).toBe(404);
    expect(absent.status).toBe(404);
    expect(foreign.json).toEqual(absent.json);
  });
});

describe("REST without valid credentials", () => {
  const doors: { door: string; as: () => Credentials }[] = [
    { door: "no credentials", as: () => null },
    { door: "a garbage Bearer token", as: () => ({ bearer: "whd_not-a-real-token" }) },
    { door: "a made-up session cookie", as: () => ({ cookie: "webhookdump.session_token=forged.value" }) },
  ];
  describe.each(doors)("with $door", ({ as }) => {
    it.each(everyRestRoute.map((route) => ({ route, name: label(route) })))("$name answers 401 UNAUTHORIZED", async ({ route }) => {
      const response = await rest(route.method, route.path(target), as(), route.body);
      expect(response.status).toBe(401);
      expect(ZErrorBody.parse(response.json).error.code).toBe("UNAUTHORIZED");
    });
  });

  it("leaves A's data unchanged", async () => {
    expect(await snapshotOfA()).toEqual(baseline);
  });
});

// The REST API refuses to mint tokens for a Bearer caller ("a leaked token must not be able to mint
// more"); that promise only holds if no other door mints them either.
describe("minting API tokens needs a signed-in session, through every door", () => {
  it("REST POST /tokens with B's Bearer token answers 401 and mints nothing", async () => {
    const before = await server.app.db.apiToken.count();
    const response = await rest("POST", "/tokens", { bearer: b.bearer }, { name: "minted by a token" });
    expect(response.status).toBe(401);
    expect(await server.app.db.apiToken.count()).toBe(before);
  });

  // App bug: the tRPC context accepts Bearer tokens and tokens.create does not ask for a session.
  it("tRPC tokens.create with B's Bearer token answers UNAUTHORIZED and mints nothing", async () => {
    const before = await server.app.db.apiToken.count();
    const client = trpcClient(server.url, { bearer: b.bearer });
    const outcome = await client.tokens.create.mutate({ name: "minted by a token" }).then(
      () => "minted a token",
      (error: unknown) => (isTRPCClientError<AppRouter>(error) ? error.data?.code : "failed otherwise"),
    );
    expect(outcome).toBe("UNAUTHORIZED");
    expect(await server.app.db.apiToken.count()).toBe(before);
  });

  it("tRPC tokens.create with B's session cookie still works", async () => {
    const created = await b.trpc.tokens.create.mutate({ name: "minted by a person" });
    expect(created.token).toMatch(/^whd_/);
    await b.trpc.tokens.revoke.mutate({ id: created.id });
  });
});

// Positive controls last (some of them change A's data): the same calls succeed for A, so the 404s
// above are about ownership, not broken routes or stale fixtures.
describe("controls: A can do everything B could not", () => {
  it("A reads its bin and request over REST with A's Bearer token", async () => {
    for (const path of [`/bins/${target.binId}`, `/bins/${target.binId}/requests`, `/requests/${target.requestId}`]) {
      expect((await rest("GET", path, { bearer: a.bearer })).status).toBe(200);
    }
    const body = await rest("GET", `/requests/${target.requestId}/body`, { bearer: a.bearer });
    expect(body.status).toBe(200);
    expect(body.text).toBe("A's secret payload");
  });

  it("A's tRPC mutations on the same ids succeed", async () => {
    expect((await a.trpc.bins.update.mutate({ id: target.binId, patch: { name: "renamed by A" } })).name).toBe("renamed by A");
    await a.trpc.requests.delete.mutate({ id: target.requestId });
    expect(await a.trpc.requests.clear.mutate({ binId: target.binId })).toEqual({ deleted: 1 });
    await a.trpc.tokens.revoke.mutate({ id: target.tokenId });
    await a.trpc.bins.delete.mutate({ id: target.binId });
    expect(await a.trpc.bins.list.query()).toEqual([]);
    expect(await a.trpc.tokens.list.query()).toEqual([]);
  });
});
