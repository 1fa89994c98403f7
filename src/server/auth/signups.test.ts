// Who may sign up (SIGNUPS) and the operator's commands (npm run user:create, user:reset-password),
// through better-auth's real HTTP routes; the scripts run as their own processes.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startTestServer, type TestServer } from "~/test/test-app";
import { createUserAccount, OperatorError, resetUserPassword } from "./operator-accounts";

const run = promisify(execFile);
const ZAuthError = z.object({ code: z.string(), message: z.string() });

async function authPost(base: string, route: string, body: unknown, cookie?: string) {
  const response = await fetch(`${base}/api/auth${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null, cookie: cookies };
}
const signUpAs = (base: string, email: string) => authPost(base, "/sign-up/email", { name: "Someone", email, password: "correct-horse-battery" });
const signInAs = (base: string, email: string, password: string) => authPost(base, "/sign-in/email", { email, password });
const sessionWorks = async (base: string, cookie: string) => (await fetch(`${base}/api/v1/bins`, { headers: { cookie } })).status === 200;

describe("SIGNUPS=closed", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SIGNUPS: "closed" });
  });
  afterAll(() => server.close());

  it("lets the very first account of an empty instance sign up, then refuses the next with 403 SIGNUPS_CLOSED", async () => {
    expect((await signUpAs(server.url, "first@example.com")).status).toBe(200);
    const second = await signUpAs(server.url, "second@example.com");
    expect(second.status).toBe(403);
    expect(ZAuthError.parse(second.json)).toMatchObject({ code: "SIGNUPS_CLOSED", message: expect.stringContaining("closed") });
    expect(second.cookie).toBe("");
    expect(await server.app.db.user.count({ where: { email: "second@example.com" } })).toBe(0);
  });

  it("still lets an operator add an account, which then signs in over HTTP", async () => {
    await createUserAccount(server.app.auth, { email: "Added@Example.com", name: "Added", password: "operator-chosen-1" });
    const signIn = await signInAs(server.url, "added@example.com", "operator-chosen-1");
    expect(signIn.status).toBe(200);
    expect(await sessionWorks(server.url, signIn.cookie)).toBe(true);
    await expect(createUserAccount(server.app.auth, { email: "added@example.com", name: "Again", password: "operator-chosen-1" })).rejects.toThrow(OperatorError);
    await expect(createUserAccount(server.app.auth, { email: "not-an-email", name: "X", password: "operator-chosen-1" })).rejects.toThrow(/email/i);
    await expect(createUserAccount(server.app.auth, { email: "short@example.com", name: "X", password: "short" })).rejects.toThrow(/at least 8/);
  });

  it("resets a password: the old one stops working, the new one signs in, existing sessions end", async () => {
    await createUserAccount(server.app.auth, { email: "reset@example.com", name: "Reset", password: "old-password-123" });
    const before = await signInAs(server.url, "reset@example.com", "old-password-123");
    expect(await sessionWorks(server.url, before.cookie)).toBe(true);

    const { sessionsEnded } = await resetUserPassword(server.app.auth, "reset@example.com", "new-password-456");
    expect(sessionsEnded).toBe(1);
    expect(await sessionWorks(server.url, before.cookie)).toBe(false);
    expect((await signInAs(server.url, "reset@example.com", "old-password-123")).status).toBe(401);
    expect((await signInAs(server.url, "reset@example.com", "new-password-456")).status).toBe(200);
    await expect(resetUserPassword(server.app.auth, "nobody@example.com", "new-password-456")).rejects.toThrow(/No user/);
  });
});

describe("SIGNUPS=open (the default)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("lets anyone sign up", async () => {
    expect((await signUpAs(server.url, "one@example.com")).status).toBe(200);
    expect((await signUpAs(server.url, "two@example.com")).status).toBe(200);
  });
});

describe("the operator scripts", () => {
  let server: TestServer;
  let databaseUrl: string;
  beforeAll(async () => {
    server = await startTestServer({ SIGNUPS: "closed" });
    databaseUrl = server.app.env.DATABASE_URL;
  });
  afterAll(() => server.close());

  const script = (name: string, args: string[]) =>
    run("npx", ["tsx", `scripts/${name}.ts`, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, BETTER_AUTH_SECRET: "test-secret-test-secret-test-secret-0123", NODE_ENV: "production" },
    });

  it("user:create makes an account that signs in, user:reset-password prints a new password that signs in", async () => {
    const created = await script("user-create", ["--email", "cli@example.com", "--name", "CLI"]);
    const password = /with the password: (\S+)/.exec(created.stdout)?.[1];
    expect(password).toMatch(/^[\w-]{24}$/);
    expect((await signInAs(server.url, "cli@example.com", password ?? "")).status).toBe(200);

    const reset = await script("user-reset-password", ["--email", "cli@example.com", "--password", "chosen-by-operator"]);
    expect(reset.stdout).toContain("Password of cli@example.com reset; 1 session ended.");
    expect((await signInAs(server.url, "cli@example.com", password ?? "")).status).toBe(401);
    expect((await signInAs(server.url, "cli@example.com", "chosen-by-operator")).status).toBe(200);
  }, 60_000);

  it("exits 1 with a clear message and the usage on bad input", async () => {
    const failure = await script("user-create", ["--email", "cli@example.com"]).then(
      () => null,
      (error: unknown) => z.object({ code: z.number(), stderr: z.string() }).parse(error),
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain("--email and --name are required.");
    expect(failure?.stderr).toContain("Usage: npm run user:create");
  }, 60_000);
});
