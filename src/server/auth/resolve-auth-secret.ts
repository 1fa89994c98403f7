import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const MIN_LENGTH = 32;

function readStored(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * The secret that signs sessions: BETTER_AUTH_SECRET when set, otherwise one generated on first
 * start and kept in the data directory, so the quick start needs no manual step and sessions
 * survive restarts.
 */
export function resolveAuthSecret(configured: string | undefined, dataDir: string, warn: (message: string) => void): string {
  if (configured) return configured;
  const file = path.join(dataDir, "auth-secret");
  const stored = readStored(file);
  if (stored !== null && stored.length >= MIN_LENGTH) return stored;
  if (stored !== null) {
    // A damaged file (say, emptied by a full disk) must never become an empty signing key.
    throw new Error(`${file} holds no usable secret (under ${MIN_LENGTH} characters): delete it or set BETTER_AUTH_SECRET.`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  // Written whole under a temporary name, then linked into place: another process starting at the
  // same moment sees either no file or a complete one, and the first link wins.
  const secret = crypto.randomBytes(32).toString("base64url");
  const temporary = `${file}.${process.pid}.${crypto.randomUUID()}`;
  fs.writeFileSync(temporary, `${secret}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return resolveAuthSecret(undefined, dataDir, warn);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  warn(
    `BETTER_AUTH_SECRET is not set: using a generated secret stored in ${file}. ` +
      "Set BETTER_AUTH_SECRET (32+ random characters) in production.",
  );
  return secret;
}
