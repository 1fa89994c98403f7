import { pino, type Logger } from "pino";

export type { Logger };

/**
 * JSON logs on stdout (pino). Captured requests are user data: nothing logs their bodies or
 * headers, and these paths are redacted in case an error object carries them anyway.
 */
export function createLogger(options: { level: string; base?: Record<string, unknown> }): Logger {
  return pino({
    level: options.level,
    base: options.base ?? { service: "webhookdump" },
    redact: {
      paths: ["headers", "body", "req.headers.authorization", "req.headers.cookie", "*.password", "*.secret", "*.token"],
      censor: "[redacted]",
    },
  });
}
