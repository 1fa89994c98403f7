import { betterAuth } from "better-auth";
import { APIError } from "better-auth/api";
import { prismaAdapter } from "better-auth/adapters/prisma";
import type { Db, DbProvider } from "../db/create-db";
import { ownOrigin } from "../http/same-origin";
import { AUTH_COOKIE_PREFIX } from "./auth-cookies";

export interface AuthOptions {
  db: Db;
  provider: DbProvider;
  secret: string;
  /** Pins the public URL; without it, auth follows whatever host the request came to. */
  appUrl?: string;
  github?: { clientId: string; clientSecret: string };
  trustProxy: boolean;
  /** better-auth's own rate limit on sign-in/up attempts; off in tests that sign up many users. */
  rateLimit: boolean;
  /** "closed": sign-up over HTTP (email or GitHub) only while the instance has no user yet. */
  signups?: "open" | "closed";
  /** Only errors from better-auth's logger (tests). */
  quiet?: boolean;
}

export const MIN_PASSWORD_LENGTH = 8;

export const SIGNUPS_CLOSED_MESSAGE = "Sign-ups are closed on this instance; ask its operator for an account.";

export function createAuth(options: AuthOptions) {
  return betterAuth({
    secret: options.secret,
    baseURL: options.appUrl,
    database: prismaAdapter(options.db, { provider: options.provider }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: 128,
      autoSignIn: true,
    },
    // The same notion of "our own origin" as REST, tRPC and the WebSocket (see same-origin.ts).
    trustedOrigins: (request) => (request ? [ownOrigin(request.headers, request.url, { appUrl: options.appUrl, trustProxy: options.trustProxy })] : []),
    databaseHooks: {
      user: {
        create: {
          // Runs for every new account, by email or GitHub. Only accounts asked for over HTTP are
          // refused: an operator's command (npm run user:create) creates users with no request.
          before: async (_user, context) => {
            if (options.signups !== "closed" || !context?.request) return;
            if ((await options.db.user.count()) === 0) return;
            throw new APIError("FORBIDDEN", { code: "SIGNUPS_CLOSED", message: SIGNUPS_CLOSED_MESSAGE });
          },
        },
      },
    },
    socialProviders: options.github ? { github: options.github } : {},
    // Sessions live in the database already; on PostgreSQL the sign-in limiter's counters do too,
    // so several instances behind a load balancer count together.
    rateLimit: { enabled: options.rateLimit, storage: options.provider === "postgresql" ? "database" : "memory" },
    advanced: {
      cookiePrefix: AUTH_COOKIE_PREFIX,
      // Without APP_URL, auth follows the host the browser used: Next puts it in X-Forwarded-Host
      // (it builds request.url from its own hostname), and a cross-site page cannot forge that
      // header without a CORS preflight we never grant. The request's own origin is then trusted.
      trustedProxyHeaders: options.trustProxy || !options.appUrl,
      // Decided from the pinned URL: a plain-http LAN address must still get a usable cookie.
      // better-auth skips its origin check when NODE_ENV is "test"; tests must see what users get.
      disableOriginCheck: false,
      useSecureCookies: options.appUrl ? options.appUrl.startsWith("https:") : false,
    },
    telemetry: { enabled: false },
    logger: { level: options.quiet ? "error" : "warn" },
  });
}

export type Auth = ReturnType<typeof createAuth>;
