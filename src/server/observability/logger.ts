import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * JSON logs on stdout (pino). Captured requests are user data: nothing logs their bodies or
 * headers, and these paths are redacted in case an error object carries them anyway.
 * `destination` exists for tests that read the lines back; production leaves it unset.
 */
export function createLogger(options: { level: string; base?: Record<string, unknown>; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: options.base ?? { service: "webhookdump" },
      redact: {
        paths: [
          "headers",
          "body",
          // Errors from HTTP clients and drivers sometimes carry the request they were about.
          "err.headers",
          "err.body",
          "req.headers.authorization",
          "req.headers.cookie",
          "*.password",
          "*.secret",
          "*.token",
        ],
        censor: "[redacted]",
      },
    },
    options.destination,
  );
}
