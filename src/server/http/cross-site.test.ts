// Cross-site request forgery through every door that honours the session cookie: REST, tRPC over
// HTTP, better-auth and the tRPC WebSocket. Real HTTP on the production server; headers are set by
// hand (node:http), so "missing" really means absent (fetch adds Sec-Fetch-Mode on its own).
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { connectWs } from "~/test/ws-client";

const EVIL = "https://evil.example";
const ZErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string().min(1) }) });

interface RawResponse {
  status: number;
  body: string;
}

function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

const errorCode = (response: RawResponse) => ZErrorBody.parse(JSON.parse(response.body)).error.code;

/** The browser-ish headers of each case; `{}` is a client that is not a browser (curl, scripts). */
function originCases(own: string): { name: string; headers: Record<string, string>; refused: boolean }[] {
  return [
    { name: "a foreign Origin", headers: { origin: EVIL }, refused: true },
    { name: "Origin: null", headers: { origin: "null" }, refused: true },
    { name: "a foreign Referer and no Origin", headers: { referer: `${EVIL}/page` }, refused: true },
    { name: "Sec-Fetch-Site: same-site and no Origin", headers: { "sec-fetch-site": "same-site" }, refused: true },
    { name: "Sec-Fetch-Site: cross-site, own Referer", headers: { "sec-fetch-site": "cross-site", referer: `${own}/bins` }, refused: true },
    { name: "the app's own Origin", headers: { origin: own }, refused: false },
    { name: "Sec-Fetch-Site: same-origin and no Origin", headers: { "sec-fetch-site": "same-origin" }, refused: false },
    { name: "the app's own Referer and no Origin", headers: { referer: `${own}/bins` }, refused: false },
    { name: "no Origin, Sec-Fetch-Site or Referer", headers: {}, refused: false },
  ];
}

let server: TestServer;
let cookie: string;
let bearer: string;

beforeAll(async () => {
  server = await startTestServer();
  cookie = (await signUp(server.url)).cookie;
  const minted = await send(server.url, "POST", "/api/v1/tokens", { cookie, "content-type": "application/json", origin: server.url }, JSON.stringify({ name: "cross-site" }));
  bearer = z.object({ token: z.string() }).parse(JSON.parse(minted.body)).token;
});
afterAll(() => server.close());

const binCount = async () => server.app.db.bin.count();

describe("REST /api/v1 with the session cookie", () => {
  for (const { name, headers, refused } of originCases("http://OWN")) {
    it(`POST /bins with ${name} ${refused ? "is refused 403 CROSS_SITE and creates nothing" : "passes (201)"}`, async () => {
      const own = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace("http://OWN", server.url)]));
      const before = await binCount();
      const response = await send(server.url, "POST", "/api/v1/bins", { cookie, "content-type": "application/json", ...own }, JSON.stringify({ name: "csrf" }));
      if (refused) {
        expect(response.status).toBe(403);
        expect(errorCode(response)).toBe("CROSS_SITE");
        expect(await binCount()).toBe(before);
      } else {
        expect(response.status).toBe(201);
        expect(await binCount()).toBe(before + 1);
      }
    });
  }

  it("refuses minting a token and deleting a bin from a foreign origin, and lets GET through", async () => {
    const tokens = await server.app.db.apiToken.count();
    const mint = await send(server.url, "POST", "/api/v1/tokens", { cookie, "content-type": "application/json", origin: EVIL }, JSON.stringify({ name: "evil" }));
    expect([mint.status, errorCode(mint)]).toEqual([403, "CROSS_SITE"]);
    expect(await server.app.db.apiToken.count()).toBe(tokens);

    const bin = await server.app.db.bin.findFirstOrThrow();
    const remove = await send(server.url, "DELETE", `/api/v1/bins/${bin.id}`, { cookie, origin: EVIL });
    expect([remove.status, errorCode(remove)]).toEqual([403, "CROSS_SITE"]);
    expect(await server.app.db.bin.count({ where: { id: bin.id } })).toBe(1);

    const read = await send(server.url, "GET", "/api/v1/bins", { cookie, origin: EVIL });
    expect(read.status).toBe(200);
  });

  it("the issue's attack (text/plain body, foreign Origin) gets 403, and text/plain from our own page gets 415", async () => {
    const attack = await send(server.url, "POST", "/api/v1/bins", { cookie, "content-type": "text/plain", origin: EVIL }, JSON.stringify({ name: "x" }));
    expect([attack.status, errorCode(attack)]).toEqual([403, "CROSS_SITE"]);
    const before = await binCount();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const response = await send(server.url, "POST", "/api/v1/bins", { cookie, "content-type": type, origin: server.url }, JSON.stringify({ name: "x" }));
      expect([response.status, errorCode(response)]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    }
    const missing = await send(server.url, "POST", "/api/v1/bins", { cookie, origin: server.url }, JSON.stringify({ name: "x" }));
    expect(missing.status).toBe(415);
    const withCharset = await send(server.url, "POST", "/api/v1/bins", { cookie, "content-type": "Application/JSON; charset=utf-8", origin: server.url }, JSON.stringify({ name: "charset" }));
    expect(withCharset.status).toBe(201);
    expect(await binCount()).toBe(before + 1);
  });

  it("a Bearer token is unaffected by Origin (automation, not a browser session)", async () => {
    const response = await send(server.url, "POST", "/api/v1/bins", { authorization: `Bearer ${bearer}`, cookie, "content-type": "application/json", origin: EVIL }, JSON.stringify({ name: "token" }));
    expect(response.status).toBe(201);
    // …but still needs JSON.
    const text = await send(server.url, "POST", "/api/v1/bins", { authorization: `Bearer ${bearer}`, "content-type": "text/plain" }, JSON.stringify({ name: "token" }));
    expect(text.status).toBe(415);
  });
});

describe("tRPC over HTTP with the session cookie", () => {
  const mutation = (headers: Record<string, string>, contentType = "application/json") =>
    send(server.url, "POST", "/api/trpc/bins.create", { cookie, "content-type": contentType, ...headers }, JSON.stringify({ json: { name: "via trpc" } }));

  for (const { name, headers, refused } of originCases("http://OWN")) {
    it(`bins.create with ${name} ${refused ? "is refused 403 CROSS_SITE" : "passes (200)"}`, async () => {
      const own = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace("http://OWN", server.url)]));
      const before = await binCount();
      const response = await mutation(own);
      if (refused) {
        expect([response.status, errorCode(response)]).toEqual([403, "CROSS_SITE"]);
        expect(await binCount()).toBe(before);
      } else {
        expect(response.status).toBe(200);
        expect(await binCount()).toBe(before + 1);
      }
    });
  }

  it("a mutation that is not JSON is refused 415 before tRPC reads it", async () => {
    const before = await binCount();
    for (const type of ["text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]) {
      const response = await mutation({ origin: server.url }, type);
      expect([response.status, errorCode(response)]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    }
    expect(await binCount()).toBe(before);
  });

  it("queries (GET) are not writes and pass from anywhere; a Bearer token passes with a foreign Origin", async () => {
    const query = await send(server.url, "GET", "/api/trpc/bins.list", { cookie, origin: EVIL });
    expect(query.status).toBe(200);
    const token = await send(server.url, "POST", "/api/trpc/bins.create", { authorization: `Bearer ${bearer}`, "content-type": "application/json", origin: EVIL }, JSON.stringify({ json: { name: "token" } }));
    expect(token.status).toBe(200);
  });
});

describe("better-auth with the session cookie (its own origin check, fed our notion of our origin)", () => {
  const signOut = (headers: Record<string, string>) =>
    send(server.url, "POST", "/api/auth/sign-out", { cookie: freshCookie, "content-type": "application/json", ...headers }, "{}");
  let freshCookie: string;
  beforeAll(async () => {
    freshCookie = (await signUp(server.url)).cookie;
  });
  const sessionStillValid = async () => (await send(server.url, "GET", "/api/v1/bins", { cookie: freshCookie })).status === 200;

  it("refuses sign-out from a foreign Origin (403 INVALID_ORIGIN) and the session stays", async () => {
    const response = await signOut({ origin: EVIL });
    expect(response.status).toBe(403);
    expect(z.object({ code: z.string() }).parse(JSON.parse(response.body)).code).toBe("INVALID_ORIGIN");
    expect(await sessionStillValid()).toBe(true);
  });

  it("refuses sign-out with Origin: null and without any Origin (better-auth is stricter than the rule: it wants an Origin with a cookie)", async () => {
    for (const headers of [{ origin: "null" }, {}] as Record<string, string>[]) {
      const response = await signOut(headers);
      expect(response.status).toBe(403);
      expect(z.object({ code: z.string() }).parse(JSON.parse(response.body)).code).toBe("MISSING_OR_NULL_ORIGIN");
    }
    expect(await sessionStillValid()).toBe(true);
  });

  it("refuses a sign-in from a foreign Origin and accepts it from our own", async () => {
    const { email } = await signUp(server.url);
    const body = JSON.stringify({ email, password: "correct-horse-battery" });
    const foreign = await send(server.url, "POST", "/api/auth/sign-in/email", { "content-type": "application/json", origin: EVIL }, body);
    expect(foreign.status).toBe(403);
    const own = await send(server.url, "POST", "/api/auth/sign-in/email", { "content-type": "application/json", origin: server.url }, body);
    expect(own.status).toBe(200);
  });

  it("accepts sign-out from the app's own Origin", async () => {
    const response = await signOut({ origin: server.url });
    expect(response.status).toBe(200);
    expect(await sessionStillValid()).toBe(false);
  });
});

describe("tRPC over WebSocket with the session cookie", () => {
  async function whoAmI(origin: string | undefined): Promise<"signed in" | string> {
    const ws = connectWs(server.url, { cookie, ...(origin !== undefined ? { origin } : {}) });
    try {
      await ws.client.bins.list.query();
      return "signed in";
    } catch (error) {
      return z.object({ data: z.object({ code: z.string() }) }).parse(error).data.code;
    } finally {
      ws.close();
    }
  }

  it("ignores the cookie of a handshake from a foreign Origin or Origin: null", async () => {
    expect(await whoAmI(EVIL)).toBe("UNAUTHORIZED");
    expect(await whoAmI("null")).toBe("UNAUTHORIZED");
  });

  it("honours it from the app's own Origin and from a client with no Origin (not a browser)", async () => {
    expect(await whoAmI(server.url)).toBe("signed in");
    expect(await whoAmI(undefined)).toBe("signed in");
  });
});

describe("with APP_URL pinned", () => {
  let pinned: TestServer;
  let pinnedCookie: string;
  const APP_URL = "https://hooks.example.com";
  beforeAll(async () => {
    pinned = await startTestServer({ APP_URL });
    // A browser on the pinned origin signs up (the Host is the test server's; Origin is what counts).
    const response = await send(pinned.url, "POST", "/api/auth/sign-up/email", { "content-type": "application/json", origin: APP_URL }, JSON.stringify({ name: "Pinned", email: "pinned@example.com", password: "correct-horse-battery" }));
    expect(response.status).toBe(200);
    const login = await fetch(`${pinned.url}/api/auth/sign-in/email`, { method: "POST", headers: { "content-type": "application/json", origin: APP_URL }, body: JSON.stringify({ email: "pinned@example.com", password: "correct-horse-battery" }) });
    pinnedCookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  });
  afterAll(() => pinned.close());

  it("APP_URL's origin passes; the request's own host and another scheme do not", async () => {
    const post = (origin: string) => send(pinned.url, "POST", "/api/v1/bins", { cookie: pinnedCookie, "content-type": "application/json", origin }, JSON.stringify({ name: "pinned" }));
    expect((await post(APP_URL)).status).toBe(201);
    expect((await post(pinned.url)).status).toBe(403);
    expect((await post("http://hooks.example.com")).status).toBe(403);
  });
});
