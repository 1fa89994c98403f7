import { z } from "zod";

export const MAX_FORWARD_TARGETS = 5;
export const MAX_FORWARD_CONCURRENCY = 10;

/** An absolute http(s) URL; anything else can never be sent. */
export const ZTargetUrlSchema = z
  .string()
  .trim()
  .min(1, "URL is required")
  .max(2048, "URL must be at most 2048 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "URL must be an absolute http:// or https:// address");

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// No CR, LF or NUL: a value must not be able to start another header.
const HEADER_VALUE = /^[^\r\n\0]*$/;

export const ZHeaderNameSchema = z.string().min(1, "Header name is required").max(256).regex(HEADER_NAME, "Header name has characters HTTP does not allow");
export const ZHeaderPairsSchema = z
  .array(z.tuple([ZHeaderNameSchema, z.string().max(8192).regex(HEADER_VALUE, "Header value must be one line")]))
  .max(50, "At most 50 headers");

/** `target` (the default), `original` (the Host the sender used) or a literal Host value. */
export const ZHostSchema = z.string().trim().min(1).max(255).regex(/^[^\s/]+$/, 'Host must be "target", "original" or a host[:port]');

export const ZPathModeSchema = z.enum(["append", "exact"]);

export const ZForwardTargetInputSchema = z
  .object({
    /** Keeps an existing target (its queue and history); absent creates a new one. */
    id: z.string().min(1).max(100).optional(),
    url: ZTargetUrlSchema,
    pathMode: ZPathModeSchema.default("append"),
    host: ZHostSchema.default("target"),
    headers: ZHeaderPairsSchema.default([]),
    removeHeaders: z.array(ZHeaderNameSchema).max(50).default([]),
    enabled: z.boolean().default(true),
    methods: z
      .array(z.string().min(1).max(32).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "Method is not an HTTP token").transform((m) => m.toUpperCase()))
      .min(1, "List at least one method, or leave methods out for all")
      .max(40)
      .nullish(),
    pathPrefix: z.string().max(1024).startsWith("/", "Path prefix must start with /").nullish(),
    concurrency: z.number().int().min(1).max(MAX_FORWARD_CONCURRENCY, `Concurrency is at most ${MAX_FORWARD_CONCURRENCY}`).default(1),
    timeoutMs: z.number().int().min(1000, "Timeout is at least 1000 ms").max(60_000, "Timeout is at most 60000 ms").default(30_000),
  })
  .strict();
export type TForwardTargetInput = z.infer<typeof ZForwardTargetInputSchema>;

export const ZForwardsSchema = z.array(ZForwardTargetInputSchema).max(MAX_FORWARD_TARGETS, `A bin forwards to at most ${MAX_FORWARD_TARGETS} targets`);
