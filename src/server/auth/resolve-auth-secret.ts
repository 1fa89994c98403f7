import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The secret that signs sessions: BETTER_AUTH_SECRET when set, otherwise one generated on first
 * start and kept in the data directory, so the quick start needs no manual step and sessions
 * survive restarts.
 */
export function resolveAuthSecret(configured: string | undefined, dataDir: string, warn: (message: string) => void): string {
  if (configured) return configured;
  const file = path.join(dataDir, "auth-secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  try {
    // "wx": when two processes start together, the first one's secret wins.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return fs.readFileSync(file, "utf8").trim();
  }
  warn(
    `BETTER_AUTH_SECRET is not set: using a generated secret stored in ${file}. ` +
      "Set BETTER_AUTH_SECRET (32+ random characters) in production.",
  );
  return secret;
}
