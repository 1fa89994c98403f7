// WebhookDump under test: the production server (`ws-server.ts`, NODE_ENV=production) as a child
// process on a temporary SQLite file or a PostgreSQL database, and the few API calls the benchmark
// needs to set it up.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isPostgresUrl } from "../../src/server/env";
import { freePort, REPO_ROOT, spawnNode, type NodeChild } from "./processes";

export interface WebhookDumpServer {
  node: NodeChild;
  pid: number;
  baseUrl: string;
  /** The DATABASE_URL it runs on: `file:…` or `postgres://…`. */
  databaseUrl: string;
  /** Its BETTER_AUTH_SECRET: a second instance on the same PostgreSQL database must share it. */
  authSecret: string;
  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s). */
  stop(graceMs?: number): Promise<void>;
}

export interface StartCommand {
  /** The variables `npm start` sets (NODE_ENV, the allocator's settings). */
  env: Record<string, string>;
  /** Node's flags in it, before the script. */
  nodeFlags: string[];
  script: string;
}

/**
 * What `npm start` runs, read from package.json's start script (`VAR=value … node --flag … script`)
 * so the benchmark measures the server exactly as users start it, allocator settings included.
 */
export function startCommand(appDir = REPO_ROOT): StartCommand {
  const packageJson = JSON.parse(fs.readFileSync(path.join(appDir, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const script = packageJson.scripts?.start ?? "";
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  let word = words.shift();
  for (; word !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word); word = words.shift()) {
    const at = word.indexOf("=");
    env[word.slice(0, at)] = word.slice(at + 1);
  }
  const nodeFlags: string[] = [];
  let entry = words.shift();
  for (; entry?.startsWith("--"); entry = words.shift()) nodeFlags.push(entry);
  if (word !== "node" || !entry || words.length > 0) {
    throw new Error(`package.json's start script is not "VAR=value … node --flag … script": ${JSON.stringify(script)}`);
  }
  return { env, nodeFlags, script: entry };
}

/**
 * A frozen copy of the production build for the whole run, so that a rebuild in the working tree
 * (another `npm start` or `npm test`) cannot swap or delete it under a running benchmark: `.next`
 * hard-linked (instant, no extra space), the server bundle, migrations and configuration copied,
 * `node_modules`, `public` and `src` linked. Servers run with this directory as their cwd.
 */
export function snapshotBuild(into: string): { appDir: string; buildId: string } {
  const buildIdFile = path.join(REPO_ROOT, ".next", "BUILD_ID");
  if (!fs.existsSync(buildIdFile)) {
    throw new Error("No production build: run `npm run bench` (it builds first) or `npx tsx scripts/ensure-build.ts`.");
  }
  const buildId = fs.readFileSync(buildIdFile, "utf8").trim();
  const appDir = path.join(into, "app");
  fs.mkdirSync(appDir, { recursive: true });
  execFileSync("cp", ["-al", path.join(REPO_ROOT, ".next"), path.join(appDir, ".next")]);
  for (const entry of ["dist", "prisma", "package.json", "tsconfig.json", "ws-server.ts", ...fs.readdirSync(REPO_ROOT).filter((name) => name.startsWith("next.config."))]) {
    const from = path.join(REPO_ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(appDir, entry), { recursive: true });
  }
  for (const entry of ["node_modules", "public", "src"]) {
    const from = path.join(REPO_ROOT, entry);
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(appDir, entry));
  }
  const copied = fs.readFileSync(path.join(appDir, ".next", "BUILD_ID"), "utf8").trim();
  if (copied !== buildId) throw new Error("The production build changed while it was being copied; run the benchmark again.");
  return { appDir, buildId };
}

/**
 * The product's protective limits are switched off so the benchmark measures the capture path, not
 * the limits: no per-bin or per-IP rate limit, and bins keep every request for ever (no pruning),
 * so that each 2xx answer can be checked against a stored row.
 */
export const UNLIMITED_ENV = {
  RATE_LIMIT_PER_BIN: "0",
  RATE_LIMIT_PER_IP: "0",
  DEFAULT_REQUESTS_PER_BIN: "100000000",
  MAX_REQUESTS_PER_BIN: "100000000",
  DEFAULT_RETENTION_DAYS: "0",
  AUTH_RATE_LIMIT: "off",
};

/**
 * Starts the production server on `database`: a SQLite file path (as `file:<path>`) or a
 * `postgres://` URL, used as DATABASE_URL as is. `authSecret` defaults to a fresh random one; pass
 * another instance's to run several instances on one PostgreSQL database.
 */
export async function startWebhookDump(
  appDir: string,
  database: string,
  options: { authSecret?: string; env?: Record<string, string> } = {},
): Promise<WebhookDumpServer> {
  const port = await freePort();
  const databaseUrl = isPostgresUrl(database) ? database : `file:${database}`;
  const authSecret = options.authSecret ?? crypto.randomBytes(32).toString("hex");
  const start = startCommand(appDir);
  const node = spawnNode(start.script, [], {
    cwd: appDir,
    tsx: false,
    manyFiles: true,
    // e.g. BENCH_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the time goes.
    nodeFlags: [...start.nodeFlags, ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(" ").filter(Boolean) ?? [])],
    env: {
      ...start.env,
      ...UNLIMITED_ENV,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET: authSecret,
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
      // The start is recognised by the info-level "listening" line, whatever the caller exported.
      LOG_LEVEL: "info",
    },
  });
  await node.waitFor("WebhookDump listening", 60_000);
  return { node, pid: node.pid, baseUrl: `http://127.0.0.1:${port}`, databaseUrl, authSecret, stop: (graceMs?: number) => node.stop(graceMs) };
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
