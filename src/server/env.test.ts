import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const SECRET = "0123456789abcdef0123456789abcdef"; // exactly 32 characters

/** The EnvError parseEnv throws for `source`; fails the test when it does not throw one. */
function envError(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(source)}`);
}

describe("parseEnv defaults", () => {
  it("fills in every default for an empty environment", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.HOST).toBe("0.0.0.0");
    expect(env.NODE_ENV).toBe("development");
    expect(env.DATABASE_URL).toBe("file:./data/webhookdump.db");
    expect(env.MAX_BODY_BYTES).toBe(10 * 1024 * 1024);
    expect(env.TRUST_PROXY).toBe(false);
    expect(env.AUTH_RATE_LIMIT).toBe("on");
    expect(env.BODY_IDLE_TIMEOUT_MS).toBe(30_000);
    expect(env.SIGNUPS).toBe("open");
    expect(env.APP_URL).toBeUndefined();
    expect(env.CAPTURE_BASE_URL).toBeUndefined();
    expect(env.BETTER_AUTH_SECRET).toBeUndefined();
    expect(env.GITHUB_CLIENT_ID).toBeUndefined();
    expect(env.GITHUB_CLIENT_SECRET).toBeUndefined();
  });

  it("treats empty strings as unset, so `FOO=` falls back to the default", () => {
    const env = parseEnv({
      PORT: "",
      HOST: "",
      DATABASE_URL: "",
      MAX_BODY_BYTES: "",
      TRUST_PROXY: "",
      AUTH_RATE_LIMIT: "",
      APP_URL: "",
      BETTER_AUTH_SECRET: "",
      GITHUB_CLIENT_ID: "",
      GITHUB_CLIENT_SECRET: "",
    });
    expect(env).toEqual(parseEnv({}));
  });

  it("treats undefined values as unset", () => {
    expect(parseEnv({ PORT: undefined, MAX_BODY_BYTES: undefined })).toEqual(parseEnv({}));
  });

  it("ignores variables it does not know (the real process.env is full of them)", () => {
    const env = parseEnv({ PATH: "/usr/bin", HOME: "/root" });
    expect(env).toEqual(parseEnv({}));
    expect(Object.keys(env)).not.toContain("PATH");
  });
});

describe("parseEnv values", () => {
  it("coerces numbers and accepts the range ends", () => {
    expect(parseEnv({ PORT: "8080" }).PORT).toBe(8080);
    expect(parseEnv({ PORT: "0" }).PORT).toBe(0);
    expect(parseEnv({ PORT: "65535" }).PORT).toBe(65535);
    expect(parseEnv({ MAX_BODY_BYTES: "0" }).MAX_BODY_BYTES).toBe(0);
    expect(parseEnv({ MAX_BODY_BYTES: String(512 * 1024 * 1024) }).MAX_BODY_BYTES).toBe(512 * 1024 * 1024);
  });

  it.each([
    ["1", true],
    ["true", true],
    ["yes", true],
    ["0", false],
    ["false", false],
    ["no", false],
  ])("reads TRUST_PROXY=%s as %s", (value, expected) => {
    expect(parseEnv({ TRUST_PROXY: value }).TRUST_PROXY).toBe(expected);
  });

  it("accepts SIGNUPS=closed and a BODY_IDLE_TIMEOUT_MS of 1 ms to 10 minutes", () => {
    expect(parseEnv({ SIGNUPS: "closed" }).SIGNUPS).toBe("closed");
    expect(parseEnv({ BODY_IDLE_TIMEOUT_MS: "1" }).BODY_IDLE_TIMEOUT_MS).toBe(1);
    expect(parseEnv({ BODY_IDLE_TIMEOUT_MS: "600000" }).BODY_IDLE_TIMEOUT_MS).toBe(600_000);
  });

  it("accepts AUTH_RATE_LIMIT=off", () => {
    expect(parseEnv({ AUTH_RATE_LIMIT: "off" }).AUTH_RATE_LIMIT).toBe("off");
  });

  it("accepts a file: DATABASE_URL as given", () => {
    expect(parseEnv({ DATABASE_URL: "file:/var/lib/webhookdump/db.sqlite" }).DATABASE_URL).toBe(
      "file:/var/lib/webhookdump/db.sqlite",
    );
  });

  it("accepts a BETTER_AUTH_SECRET of exactly 32 characters", () => {
    expect(parseEnv({ BETTER_AUTH_SECRET: SECRET }).BETTER_AUTH_SECRET).toBe(SECRET);
  });

  it("strips trailing slashes from APP_URL and CAPTURE_BASE_URL", () => {
    expect(parseEnv({ APP_URL: "https://hooks.example.com/" }).APP_URL).toBe("https://hooks.example.com");
    expect(parseEnv({ APP_URL: "https://hooks.example.com/dump///" }).APP_URL).toBe("https://hooks.example.com/dump");
    expect(parseEnv({ APP_URL: "http://localhost:3000" }).APP_URL).toBe("http://localhost:3000");
    expect(parseEnv({ CAPTURE_BASE_URL: "https://in.example.com//" }).CAPTURE_BASE_URL).toBe("https://in.example.com");
  });

  it("accepts GitHub credentials when both are set", () => {
    const env = parseEnv({ GITHUB_CLIENT_ID: "id", GITHUB_CLIENT_SECRET: "secret" });
    expect(env.GITHUB_CLIENT_ID).toBe("id");
    expect(env.GITHUB_CLIENT_SECRET).toBe("secret");
  });
});

describe("parseEnv errors", () => {
  it.each([
    ["PORT", "abc"],
    ["PORT", "65536"],
    ["PORT", "80.5"],
    ["PORT", "-1"],
    ["MAX_BODY_BYTES", "-1"],
    ["MAX_BODY_BYTES", "ten"],
    ["MAX_BODY_BYTES", String(512 * 1024 * 1024 + 1)],
    ["APP_URL", "not-a-url"],
    ["APP_URL", "ftp://example.com"],
    ["CAPTURE_BASE_URL", "not-a-url"],
    ["DATABASE_URL", "mysql://x"],
    ["DATABASE_URL", "postgres://"],
    ["EVENT_BUS", "redis"],
    ["LOG_LEVEL", "verbose"],
    ["DATABASE_URL", "file:"],
    ["BETTER_AUTH_SECRET", "too-short"],
    ["BETTER_AUTH_SECRET", SECRET.slice(1)],
    ["TRUST_PROXY", "maybe"],
    ["AUTH_RATE_LIMIT", "sometimes"],
    ["BODY_IDLE_TIMEOUT_MS", "soon"],
    ["BODY_IDLE_TIMEOUT_MS", "0"],
    ["BODY_IDLE_TIMEOUT_MS", "600001"],
    ["SIGNUPS", "invite-only"],
    ["NODE_ENV", "staging"],
  ])("refuses %s=%s with an EnvError naming the variable", (name, value) => {
    const error = envError({ [name]: value });
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^Invalid configuration:/);
    expect(error.message).toContain(`  ${name}: `);
  });

  it("names every bad variable at once", () => {
    const error = envError({ PORT: "abc", MAX_BODY_BYTES: "-1", APP_URL: "not-a-url" });
    expect(error.message).toContain("  PORT: ");
    expect(error.message).toContain("  MAX_BODY_BYTES: ");
    expect(error.message).toContain("  APP_URL: ");
  });

  it("explains what DATABASE_URL must look like", () => {
    expect(envError({ DATABASE_URL: "mysql://x" }).message).toContain(
      "DATABASE_URL: must be a file: URL (SQLite, e.g. file:./data/webhookdump.db) or a postgres:// URL",
    );
  });

  it("requires BETTER_AUTH_SECRET with PostgreSQL, where every instance must share it", () => {
    expect(envError({ DATABASE_URL: "postgres://u:p@db/webhookdump", BETTER_AUTH_SECRET: undefined }).message).toContain(
      "BETTER_AUTH_SECRET: is required with PostgreSQL",
    );
    const config = parseEnv({ DATABASE_URL: "postgresql://u:p@db/webhookdump", BETTER_AUTH_SECRET: SECRET });
    expect(config.DATABASE_URL).toBe("postgresql://u:p@db/webhookdump");
    expect(config.EVENT_BUS).toBeUndefined();
  });

  it("refuses EVENT_BUS=postgres without a PostgreSQL database", () => {
    expect(envError({ EVENT_BUS: "postgres" }).message).toContain("EVENT_BUS: postgres needs a postgres:// DATABASE_URL");
    expect(parseEnv({ EVENT_BUS: "memory" }).EVENT_BUS).toBe("memory");
  });

  it("explains the BETTER_AUTH_SECRET minimum length", () => {
    expect(envError({ BETTER_AUTH_SECRET: "too-short" }).message).toContain(
      "BETTER_AUTH_SECRET: must be at least 32 characters",
    );
  });

  it("refuses GITHUB_CLIENT_ID without GITHUB_CLIENT_SECRET", () => {
    const error = envError({ GITHUB_CLIENT_ID: "id" });
    expect(error.message).toContain("GITHUB_CLIENT_SECRET: GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together");
  });

  it("refuses GITHUB_CLIENT_SECRET without GITHUB_CLIENT_ID", () => {
    expect(envError({ GITHUB_CLIENT_SECRET: "secret" }).message).toContain("must be set together");
  });

  it("refuses GITHUB_CLIENT_ID whose secret is an empty string (empty counts as unset)", () => {
    expect(envError({ GITHUB_CLIENT_ID: "id", GITHUB_CLIENT_SECRET: "" }).message).toContain("must be set together");
  });
});

describe("FORWARD_ALLOWED_NETWORKS", () => {
  it("is empty by default: nothing beyond the public internet is reachable", () => {
    expect(parseEnv({}).FORWARD_ALLOWED_NETWORKS).toEqual([]);
    expect(parseEnv({ FORWARD_ALLOWED_NETWORKS: "  " }).FORWARD_ALLOWED_NETWORKS).toEqual([]);
  });

  it("reads a comma-separated list of CIDRs and single addresses, spaces and empty entries ignored", () => {
    expect(parseEnv({ FORWARD_ALLOWED_NETWORKS: "10.0.0.0/8, 127.0.0.1/32,,fd00::/8 ,192.168.1.5" }).FORWARD_ALLOWED_NETWORKS).toEqual([
      "10.0.0.0/8",
      "127.0.0.1/32",
      "fd00::/8",
      "192.168.1.5",
    ]);
  });

  it("names each bad entry and why", () => {
    const message = envError({ FORWARD_ALLOWED_NETWORKS: "10.0.0.0/8,10.0.0.1/8,intranet,fd00::/200" }).message;
    expect(message).toContain('  FORWARD_ALLOWED_NETWORKS: "10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?');
    expect(message).toContain('  FORWARD_ALLOWED_NETWORKS: "intranet" is not a CIDR (like 10.0.0.0/8 or fd00::/8)');
    expect(message).toContain('  FORWARD_ALLOWED_NETWORKS: "fd00::/200" has an invalid prefix length (0 to 128)');
    expect(message).not.toContain('"10.0.0.0/8"');
  });
});
