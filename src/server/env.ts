import { z } from "zod";
import { DEFAULT_RETRY_DELAYS_MS } from "./delivery/retry-schedule";
import { InvalidNetworkError, parseNetwork } from "./delivery/blocked-addresses";

const booleanFromString = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((value) => value === "1" || value === "true" || value === "yes");

const optionalUrl = z
  .url({ protocol: /^https?$/ })
  .transform((value) => value.replace(/\/+$/, ""))
  .optional();

// Comma-separated CIDRs that replay and auto-forward may reach although they are not public
// (see the README's egress policy); each entry is checked so a typo cannot open the wrong range.
const networkList = z
  .string()
  .default("")
  .transform((value, context) => {
    const entries = value.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
    for (const entry of entries) {
      try {
        parseNetwork(entry);
      } catch (error) {
        if (!(error instanceof InvalidNetworkError)) throw error;
        context.addIssue({ code: "custom", message: error.message });
      }
    }
    return entries;
  });

/** Whether a DATABASE_URL points at PostgreSQL (anything else is a SQLite file). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** "10s,1m,5m" (or plain milliseconds) as milliseconds, each between 1 ms and 24 h. */
const durationList = z
  .string()
  .transform((value, ctx) => {
    const delays: number[] = [];
    for (const part of value.split(",")) {
      const match = /^\s*(\d+)\s*(ms|s|m|h)?\s*$/.exec(part);
      const ms = match ? Number(match[1]) * DURATION_UNITS[(match[2] ?? "ms") as keyof typeof DURATION_UNITS] : NaN;
      if (!(ms >= 1 && ms <= 86_400_000)) {
        ctx.addIssue({ code: "custom", message: `"${part.trim()}" is not a duration between 1ms and 24h (e.g. 10s, 1m, 5m)` });
        return z.NEVER;
      }
      delays.push(ms);
    }
    return delays;
  });

// Every variable the server reads, with its default. Documented in the README's configuration table.
export const ZEnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATABASE_URL: z
      .string()
      .regex(
        /^(file:.+|postgres(ql)?:\/\/.+)/,
        "must be a file: URL (SQLite, e.g. file:./data/webhookdump.db) or a postgres:// URL",
      )
      .default("file:./data/webhookdump.db"),
    // Which bus carries live events between processes; by default the one that fits the database.
    EVENT_BUS: z.enum(["memory", "postgres"]).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`.
    METRICS_TOKEN: z.string().min(1).optional(),
    APP_URL: optionalUrl,
    CAPTURE_BASE_URL: optionalUrl,
    BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    GITHUB_CLIENT_ID: z.string().min(1).optional(),
    GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(512 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    TRUST_PROXY: booleanFromString.default(false),
    // A request body that sends no bytes for this long is ended with 408 and stored as incomplete.
    BODY_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
    DEFAULT_REQUESTS_PER_BIN: z.coerce.number().int().min(1).default(1000),
    MAX_REQUESTS_PER_BIN: z.coerce.number().int().min(1).default(10_000),
    DEFAULT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(7),
    RATE_LIMIT_PER_BIN: z.coerce.number().int().min(0).default(600),
    RATE_LIMIT_PER_IP: z.coerce.number().int().min(0).default(3000),
    MAX_BINS_PER_USER: z.coerce.number().int().min(1).default(100),
    // closed: only the first account of an empty instance may sign up; operators add the rest
    // with `npm run user:create`.
    SIGNUPS: z.enum(["open", "closed"]).default("open"),
    // better-auth's limit on sign-in/sign-up attempts (3 per 10 s per IP); "off" for test runs.
    AUTH_RATE_LIMIT: z.enum(["on", "off"]).default("on"),
    // Waits between an auto-forward's attempts: one attempt more than there are waits.
    FORWARD_RETRY_DELAYS: durationList.default(DEFAULT_RETRY_DELAYS_MS),
    // Pending deliveries one forward target may hold before the oldest are dropped (and counted).
    FORWARD_BACKLOG_CAP: z.coerce.number().int().min(1).default(10_000),
    FORWARD_ALLOWED_NETWORKS: networkList,
  })
  .refine((env) => Boolean(env.GITHUB_CLIENT_ID) === Boolean(env.GITHUB_CLIENT_SECRET), {
    message: "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together",
    path: ["GITHUB_CLIENT_SECRET"],
  })
  .refine((env) => !isPostgresUrl(env.DATABASE_URL) || env.BETTER_AUTH_SECRET !== undefined, {
    message: "is required with PostgreSQL: every instance must sign sessions with the same secret",
    path: ["BETTER_AUTH_SECRET"],
  })
  .refine((env) => env.EVENT_BUS !== "postgres" || isPostgresUrl(env.DATABASE_URL), {
    message: "postgres needs a postgres:// DATABASE_URL",
    path: ["EVENT_BUS"],
  })
  .refine((env) => env.DEFAULT_REQUESTS_PER_BIN <= env.MAX_REQUESTS_PER_BIN, {
    message: "must not exceed MAX_REQUESTS_PER_BIN",
    path: ["DEFAULT_REQUESTS_PER_BIN"],
  });

export type TEnv = z.infer<typeof ZEnvSchema>;

export class EnvError extends Error {}

/** Parses configuration; blank values count as unset so `FOO=` falls back to the default. */
export function parseEnv(source: Record<string, string | undefined>): TEnv {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const result = ZEnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join(".") || "(environment)"}: ${issue.message}`,
    );
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: TEnv | undefined;

/** The process configuration, read once: nothing else in the code base touches process.env. */
export function env(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
