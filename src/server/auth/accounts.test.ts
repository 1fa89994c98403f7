// Accounts through better-auth's own HTTP routes (/api/auth/*), as the sign-in and sign-up pages use
// them: session cookies, the errors people see, sign-out, and the cross-origin POST check.
import { createTRPCClient, httpLink, isTRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { AppRouter } from "~/server/trpc/app-router";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";

// better-auth switches its origin check off when it believes it runs under test: `NODE_ENV` is read
// ONCE, when @better-auth/core/env is first imported (a module constant), and `TEST` each time an
// auth instance builds its context. Vitest sets both (NODE_ENV=test, TEST=true), and the app's own
// parsed NODE_ENV never reaches better-auth. So: NODE_ENV=production before any import (this file
// runs in its own worker process, so nothing leaks to other files), and TEST is removed only while
// the origin-check server below builds its auth context. Every other server in this file still sees
// TEST=true and behaves exactly as in the other test files.
const savedNodeEnv = vi.hoisted(() => {
  const saved = process.env.NODE_ENV;
  Object.assign(process.env, { NODE_ENV: "production" });
  return saved;
});
afterAll(() => {
  if (savedNodeEnv === undefined) Reflect.deleteProperty(process.env, "NODE_ENV");
  else Object.assign(process.env, { NODE_ENV: savedNodeEnv });
});

const PASSWORD = "correct-horse-battery";
const SESSION_COOKIE = "webhookdump.session_token";

const ZAuthError = z.object({ code: z.string(), message: z.string() });
const ZAuthUser = z.object({ user: z.object({ id: z.string(), email: z.string() }) });

interface SetCookie {
  name: string;
  value: string;
  attributes: string[];
}

function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
  const eq = pair.indexOf("=");
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes: attributes.map((a) => a.toLowerCase()) };
}

interface AuthResponse {
  status: number;
  json: unknown;
  cookies: SetCookie[];
  /** The live cookies as a Cookie request header (cleared ones left out). */
  cookieHeader: string;
}

async function authPost(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<AuthResponse> {
  const response = await fetch(`${baseUrl}/api/auth${path}`, {
    method: "POST",
    // A browser's own page sends its Origin; better-auth's check runs in tests as in production.
    headers: { "content-type": "application/json", origin: baseUrl, ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const cookies = response.headers.getSetCookie().map(parseSetCookie);
  return {
    status: response.status,
    json: text === "" ? null : (JSON.parse(text) as unknown),
    cookies,
    cookieHeader: cookies
      .filter((c) => c.value !== "")
      .map((c) => `${c.name}=${c.value}`)
      .join("; "),
  };
}

const sessionCookieOf = (response: AuthResponse) => response.cookies.find((c) => c.name === SESSION_COOKIE);

let counter = 0;
const freshEmail = () => `accounts-${Date.now()}-${counter++}@example.com`;

/** bins.list over tRPC with the given cookie: the user's bins, or the tRPC error code. */
async function binsListAs(baseUrl: string, cookie: string): Promise<{ ok: true; count: number } | { ok: false; code: string | undefined }> {
  const client = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${baseUrl}/api/trpc`, transformer: superjson, headers: () => ({ cookie }) })],
  });
  try {
    return { ok: true, count: (await client.bins.list.query()).length };
  } catch (error) {
    if (isTRPCClientError<AppRouter>(error)) return { ok: false, code: error.data?.code };
    throw error;
  }
}

describe("accounts", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const signUpPost = (body: unknown) => authPost(server.url, "/sign-up/email", body, { origin: server.url });

  it("sign-up answers 200 with the user and sets an HttpOnly webhookdump.session_token cookie that signs in", async () => {
    const email = freshEmail();
    const response = await signUpPost({ name: "New Person", email, password: PASSWORD });
    expect(response.status).toBe(200);
    expect(ZAuthUser.parse(response.json).user.email).toBe(email);
    expect(JSON.stringify(response.json)).not.toContain(PASSWORD);

    const session = sessionCookieOf(response);
    expect(session?.value).toBeTruthy();
    expect(session?.attributes).toContain("httponly");
    expect(await binsListAs(server.url, response.cookieHeader)).toEqual({ ok: true, count: 0 });
  });

  it("sign-up with an email already taken answers 422 USER_ALREADY_EXISTS… and sets no session", async () => {
    const { email } = await signUp(server.url);
    const response = await signUpPost({ name: "Impostor", email, password: "another-password-123" });
    expect(response.status).toBe(422);
    expect(ZAuthError.parse(response.json).code).toMatch(/^USER_ALREADY_EXISTS/);
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(await server.app.db.user.count({ where: { email } })).toBe(1);
    // The first owner's password still works.
    expect((await authPost(server.url, "/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
  });

  it("sign-up with a 7-character password answers 400 PASSWORD_TOO_SHORT and creates no user", async () => {
    const email = freshEmail();
    const response = await signUpPost({ name: "Short", email, password: "1234567" });
    expect(response.status).toBe(400);
    expect(ZAuthError.parse(response.json).code).toBe("PASSWORD_TOO_SHORT");
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(await server.app.db.user.count({ where: { email } })).toBe(0);
  });

  it("sign-up accepts a password of exactly 8 characters", async () => {
    const response = await signUpPost({ name: "Eight", email: freshEmail(), password: "12345678" });
    expect(response.status).toBe(200);
    expect(sessionCookieOf(response)?.value).toBeTruthy();
  });

  it("sign-in with a wrong password answers 401 INVALID_EMAIL_OR_PASSWORD and sets no session", async () => {
    const { email } = await signUp(server.url);
    const response = await authPost(server.url, "/sign-in/email", { email, password: "wrong-password-123" });
    expect(response.status).toBe(401);
    expect(ZAuthError.parse(response.json).code).toBe("INVALID_EMAIL_OR_PASSWORD");
    expect(sessionCookieOf(response)).toBeUndefined();
  });

  it("sign-in with an unknown email answers exactly like a wrong password", async () => {
    const { email } = await signUp(server.url);
    const wrongPassword = await authPost(server.url, "/sign-in/email", { email, password: "wrong-password-123" });
    const unknownEmail = await authPost(server.url, "/sign-in/email", { email: freshEmail(), password: "wrong-password-123" });
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.json).toEqual(wrongPassword.json);
  });

  it("sign-in with the right password answers 200 and a new HttpOnly session cookie that works for tRPC and REST", async () => {
    const { email, userId, cookie: signUpCookie } = await signUp(server.url);
    const response = await authPost(server.url, "/sign-in/email", { email, password: PASSWORD });
    expect(response.status).toBe(200);
    expect(ZAuthUser.parse(response.json).user.id).toBe(userId);

    const session = sessionCookieOf(response);
    expect(session?.attributes).toContain("httponly");
    expect(response.cookieHeader).not.toBe(signUpCookie);
    expect(await binsListAs(server.url, response.cookieHeader)).toEqual({ ok: true, count: 0 });
    const rest = await fetch(`${server.url}/api/v1/bins`, { headers: { cookie: response.cookieHeader } });
    expect(rest.status).toBe(200);
  });

  it("sign-out invalidates the session: the old cookie then gets UNAUTHORIZED from tRPC and 401 from REST", async () => {
    const { cookie } = await signUp(server.url);
    expect(await binsListAs(server.url, cookie)).toEqual({ ok: true, count: 0 });

    const response = await authPost(server.url, "/sign-out", {}, { cookie, origin: server.url });
    expect(response.status).toBe(200);
    // The browser is told to drop the cookie…
    expect(sessionCookieOf(response)?.value).toBe("");
    // …and replaying it does not work either: the session is gone on the server.
    expect(await binsListAs(server.url, cookie)).toEqual({ ok: false, code: "UNAUTHORIZED" });
    expect((await fetch(`${server.url}/api/v1/bins`, { headers: { cookie } })).status).toBe(401);
  });
});

describe("cross-origin POSTs (better-auth in production mode, as `npm start` runs it)", () => {
  const EVIL = "http://evil.example";
  let prod: TestServer;

  beforeAll(async () => {
    const savedTest = process.env.TEST;
    delete process.env.TEST;
    try {
      prod = await startTestServer({ NODE_ENV: "production" });
      await prod.app.auth.$context; // the flag is read while this resolves
    } finally {
      if (savedTest !== undefined) process.env.TEST = savedTest;
    }
  });
  afterAll(() => prod.close());

  it("runs with better-auth's origin check on (otherwise the tests below prove nothing)", async () => {
    expect((await prod.app.auth.$context).skipOriginCheck).toBe(false);
  });

  it("refuses a sign-up from a foreign Origin with 403 INVALID_ORIGIN, creating no user and no session", async () => {
    const email = freshEmail();
    const response = await authPost(prod.url, "/sign-up/email", { name: "Victim", email, password: PASSWORD }, { origin: EVIL });
    expect(response.status).toBe(403);
    expect(ZAuthError.parse(response.json).code).toBe("INVALID_ORIGIN");
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(await prod.app.db.user.count({ where: { email } })).toBe(0);
  });

  it("accepts the same sign-up from the server's own origin", async () => {
    const response = await authPost(prod.url, "/sign-up/email", { name: "Own", email: freshEmail(), password: PASSWORD }, { origin: prod.url });
    expect(response.status).toBe(200);
    expect(sessionCookieOf(response)?.value).toBeTruthy();
  });

  it("refuses a sign-in from a foreign Origin with 403 and sets no session, while the own origin signs in", async () => {
    const { email } = await signUp(prod.url);
    const foreign = await authPost(prod.url, "/sign-in/email", { email, password: PASSWORD }, { origin: EVIL });
    expect(foreign.status).toBe(403);
    expect(ZAuthError.parse(foreign.json).code).toBe("INVALID_ORIGIN");
    expect(sessionCookieOf(foreign)).toBeUndefined();

    const own = await authPost(prod.url, "/sign-in/email", { email, password: PASSWORD }, { origin: prod.url });
    expect(own.status).toBe(200);
    expect(sessionCookieOf(own)?.value).toBeTruthy();
  });

  it("refuses a cookie-bearing sign-out from a foreign Origin and the session stays valid", async () => {
    const { cookie } = await signUp(prod.url);
    const foreign = await authPost(prod.url, "/sign-out", {}, { cookie, origin: EVIL });
    expect(foreign.status).toBe(403);
    expect(ZAuthError.parse(foreign.json).code).toBe("INVALID_ORIGIN");
    expect(await binsListAs(prod.url, cookie)).toEqual({ ok: true, count: 0 });

    const own = await authPost(prod.url, "/sign-out", {}, { cookie, origin: prod.url });
    expect(own.status).toBe(200);
    expect(await binsListAs(prod.url, cookie)).toEqual({ ok: false, code: "UNAUTHORIZED" });
  });
});
