import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveAuthSecret } from "./resolve-auth-secret";

const CONFIGURED = "configured-secret-configured-secret-0123";

let root: string;
let dataDir: string;
let secretFile: string;
let warnings: string[];
const warn = (message: string) => {
  warnings.push(message);
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-secret-"));
  dataDir = path.join(root, "data");
  secretFile = path.join(dataDir, "auth-secret");
  warnings = [];
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe("resolveAuthSecret", () => {
  it("returns the configured secret without touching the data directory or warning", () => {
    expect(resolveAuthSecret(CONFIGURED, dataDir, warn)).toBe(CONFIGURED);
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(warnings).toEqual([]);
  });

  it("prefers the configured secret over a stored one", () => {
    fs.mkdirSync(dataDir);
    fs.writeFileSync(secretFile, `${"s".repeat(43)}\n`);
    expect(resolveAuthSecret(CONFIGURED, dataDir, warn)).toBe(CONFIGURED);
    expect(warnings).toEqual([]);
  });

  it("without one, generates a strong secret, creates the data directory and stores it", () => {
    const secret = resolveAuthSecret(undefined, dataDir, warn);

    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(secret).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    expect(fs.readFileSync(secretFile, "utf8")).toBe(`${secret}\n`);
  });

  it("stores the generated secret readable by its owner only (mode 0600)", () => {
    resolveAuthSecret(undefined, dataDir, warn);
    expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
  });

  it("warns once, naming BETTER_AUTH_SECRET and the file", () => {
    resolveAuthSecret(undefined, dataDir, warn);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("BETTER_AUTH_SECRET");
    expect(warnings[0]).toContain(secretFile);
  });

  it("returns the same secret on a second call without warning again", () => {
    const first = resolveAuthSecret(undefined, dataDir, warn);
    const second = resolveAuthSecret(undefined, dataDir, warn);
    expect(second).toBe(first);
    expect(warnings).toHaveLength(1);
  });

  it("treats an empty configured secret as unset", () => {
    const secret = resolveAuthSecret("", dataDir, warn);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(warnings).toHaveLength(1);
  });

  it("generates a different secret for a different data directory", () => {
    const first = resolveAuthSecret(undefined, dataDir, warn);
    const second = resolveAuthSecret(undefined, path.join(root, "other"), warn);
    expect(second).not.toBe(first);
  });

  it("reads a stored secret of 32+ characters, ignoring surrounding whitespace", () => {
    fs.mkdirSync(dataDir);
    const stored = "k".repeat(32);
    fs.writeFileSync(secretFile, `  ${stored}\r\n`);
    expect(resolveAuthSecret(undefined, dataDir, warn)).toBe(stored);
    expect(warnings).toEqual([]);
  });

  it.each([
    ["empty", ""],
    ["whitespace only", " \n"],
    ["too short", "short-secret\n"],
  ])("never returns a secret shorter than 32 characters when the stored file is %s", (_label, content) => {
    fs.mkdirSync(dataDir);
    fs.writeFileSync(secretFile, content);
    let secret = "";
    try {
      secret = resolveAuthSecret(undefined, dataDir, warn);
    } catch (error) {
      // Refusing to start over a damaged file is acceptable too; it must say which file.
      expect(String(error)).toContain(secretFile);
      return;
    }
    expect(secret.length).toBeGreaterThanOrEqual(32);
  });
});
