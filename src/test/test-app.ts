import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { getRequestListener } from "@hono/node-server";
import { createAppContext, type AppContext } from "~/server/app-context";
import { parseEnv } from "~/server/env";
import { createAppServer, type AppServer } from "~/server/http/create-app-server";
import { createRestApp } from "~/server/rest/rest-app";
import { handleTrpcHttp } from "~/server/trpc/trpc-http-handler";
import { testDatabaseUrl } from "./test-database";

export interface TestApp {
  app: AppContext;
  dir: string;
  close(): Promise<void>;
}

/**
 * A real app context on a fresh database: a SQLite file in a temp directory, or, when the suite
 * runs against PostgreSQL (TEST_POSTGRES_URL, see test-database.ts), a fresh PostgreSQL database.
 * `reuse` reopens the database of an earlier test app (a restart test keeps its data).
 */
export async function createTestApp(overrides: Record<string, string> = {}, reuse?: { dir: string }): Promise<TestApp> {
  const dir = reuse?.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-test-"));
  const database = await testDatabaseUrl(dir);
  const app = await createAppContext(
    parseEnv({
      NODE_ENV: "test",
      DATABASE_URL: database.url,
      LOG_LEVEL: "silent",
      BETTER_AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      AUTH_RATE_LIMIT: "off",
      ...overrides,
    }),
    { log: () => undefined },
  );
  return {
    app,
    dir,
    async close() {
      await app.close();
      // A reused directory belongs to the caller (a restart test keeps its database).
      if (!reuse) {
        fs.rmSync(dir, { recursive: true, force: true });
        await database.drop();
      }
    },
  };
}

/**
 * The API routes Next.js would serve, dispatched to the same framework-free handlers its route
 * files call, so integration tests run over real HTTP without a Next build.
 */
export function apiFetchHandler(app: AppContext) {
  const rest = createRestApp(() => app);
  return async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/api/auth/")) return app.auth.handler(request);
    if (pathname.startsWith("/api/trpc/")) return handleTrpcHttp(app, request);
    if (pathname.startsWith("/api/v1/")) return rest.fetch(request);
    return new Response("not found", { status: 404 });
  };
}

export interface TestServer extends TestApp {
  url: string;
  server: AppServer;
}

/** The production HTTP server (capture fast path included) on port 0, with the API routes. */
export async function startTestServer(
  overrides: Record<string, string> = {},
  options: { dir?: string; port?: number } = {},
): Promise<TestServer> {
  const testApp = await createTestApp(overrides, options.dir ? { dir: options.dir } : undefined);
  const listener = getRequestListener(apiFetchHandler(testApp.app), { overrideGlobalObjects: false });
  const server = createAppServer(testApp.app, (req: IncomingMessage, res: ServerResponse) => listener(req, res));
  const port = await server.listen(options.port ?? 0, "127.0.0.1");
  return {
    ...testApp,
    url: `http://127.0.0.1:${port}`,
    server,
    async close() {
      await server.close();
      await testApp.close();
    },
  };
}

let counter = 0;

/** Signs up a fresh user through better-auth's HTTP route and returns its session cookie. */
export async function signUp(baseUrl: string, email = `user${Date.now()}-${counter++}@example.com`) {
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ name: "Test User", email, password: "correct-horse-battery" }),
  });
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const body = (await response.json()) as { user: { id: string } };
  return { cookie, email, userId: body.user.id };
}
