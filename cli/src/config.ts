import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CliError, EXIT } from "./cli-error";

/** $XDG_CONFIG_HOME/webhookdump, else ~/.config/webhookdump: the login and the resume positions. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), ".config");
  return path.join(base, "webhookdump");
}

export interface Config {
  server: string;
  token: string;
}

// Hand-checked rather than with zod: zod would be most of the bundle for these few fields.
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const optionalString = (value: unknown) => value === undefined || (typeof value === "string" && value.length > 0);

/** Writes a file only its owner can read, atomically (a crash leaves the old file or the new one). */
function writePrivate(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode: 0o600 });
  // The mode of writeFileSync applies only when it creates the file, and the umask may narrow it.
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
}

export function saveConfig(config: Config, env: NodeJS.ProcessEnv = process.env): string {
  const file = path.join(configDir(env), "config.json");
  writePrivate(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

function readConfigFile(env: NodeJS.ProcessEnv): Partial<Config> {
  const file = path.join(configDir(env), "config.json");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!isObject(parsed) || !optionalString(parsed.server) || !optionalString(parsed.token)) {
    throw new CliError(EXIT.CONFIG, `${file} is not a valid config file; run \`webhookdump login\` again`);
  }
  return { server: parsed.server as string | undefined, token: parsed.token as string | undefined };
}

/** The server and token to use: WEBHOOKDUMP_URL / WEBHOOKDUMP_TOKEN override the saved login. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const saved = readConfigFile(env);
  const server = env.WEBHOOKDUMP_URL || saved.server;
  const token = env.WEBHOOKDUMP_TOKEN || saved.token;
  if (!server || !token) {
    throw new CliError(EXIT.CONFIG, "not logged in: run `webhookdump login --server URL` (or set WEBHOOKDUMP_URL and WEBHOOKDUMP_TOKEN)");
  }
  return { server: normalizeServer(server), token };
}

export function normalizeServer(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(EXIT.USAGE, `server must be an absolute http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError(EXIT.USAGE, `server must be http:// or https://, got ${url.protocol}`);
  return url.origin + url.pathname.replace(/\/+$/, "");
}


/** One file per server, bin and target, so two `forward`s never overwrite each other's position. */
function positionFile(key: { server: string; binId: string; target: string }, env: NodeJS.ProcessEnv): string {
  const hash = crypto.createHash("sha256").update(JSON.stringify([key.server, key.binId, key.target])).digest("hex").slice(0, 32);
  return path.join(configDir(env), "positions", `${hash}.json`);
}

export function loadPosition(key: { server: string; binId: string; target: string }, env: NodeJS.ProcessEnv = process.env): number | null {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(positionFile(key, env), "utf8"));
    return isObject(parsed) && Number.isSafeInteger(parsed.seq) && (parsed.seq as number) >= 0 ? (parsed.seq as number) : null;
  } catch {
    return null;
  }
}

export function savePosition(key: { server: string; binId: string; target: string }, seq: number, env: NodeJS.ProcessEnv = process.env): void {
  writePrivate(positionFile(key, env), `${JSON.stringify({ ...key, seq, savedAt: new Date().toISOString() })}\n`);
}
