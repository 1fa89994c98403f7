// WebhookDump under test: the production server (`ws-server.ts`, NODE_ENV=production) as a child
// process on a temporary SQLite file, and the few API calls the benchmark needs to set it up.
import crypto from "node:crypto";
import { freePort, spawnNode, type NodeChild } from "./processes";

export interface WebhookDumpServer {
  node: NodeChild;
  pid: number;
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startWebhookDump(databaseFile: string): Promise<WebhookDumpServer> {
  const port = await freePort();
  const node = spawnNode("ws-server.ts", [], {
    manyFiles: true,
    // e.g. BENCH_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the time goes.
    nodeFlags: process.env.BENCH_SERVER_NODE_FLAGS?.split(" ").filter(Boolean),
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${databaseFile}`,
      BETTER_AUTH_SECRET: crypto.randomBytes(32).toString("hex"),
      AUTH_RATE_LIMIT: "off",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  await node.waitFor("WebhookDump listening", 60_000);
  return { node, pid: node.pid, baseUrl: `http://127.0.0.1:${port}`, stop: () => node.stop() };
}

async function expectOk(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text.slice(0, 500)}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

/** Signs up a fresh account; returns the session cookie. */
export async function signUp(baseUrl: string): Promise<string> {
  const email = `bench-${crypto.randomUUID()}@example.com`;
  const response = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ name: "Bench", email, password: `pw-${crypto.randomUUID()}` }),
  });
  await expectOk(response, "sign-up");
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .filter(Boolean)
    .join("; ");
  if (!cookie) throw new Error("sign-up answered without a session cookie");
  return cookie;
}

export async function createToken(baseUrl: string, cookie: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: baseUrl },
    body: JSON.stringify({ name: "bench" }),
  });
  const json = (await expectOk(response, "create token")) as { token: string };
  return json.token;
}

export interface BinRef {
  id: string;
  slug: string;
}

export async function createBin(baseUrl: string, token: string, name: string): Promise<BinRef> {
  const response = await fetch(`${baseUrl}/api/v1/bins`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ name }),
  });
  const json = (await expectOk(response, "create bin")) as BinRef;
  return { id: json.id, slug: json.slug };
}

/** A signed-up account with an API token, ready to create bins. */
export async function setUpAccount(baseUrl: string): Promise<{ cookie: string; token: string }> {
  const cookie = await signUp(baseUrl);
  return { cookie, token: await createToken(baseUrl, cookie) };
}
