import { z } from "zod";
import { ZBinResponseSchema } from "./bin-response-schema";
import { ZForwardsSchema } from "../delivery/forward-target-schemas";
import { ZSignatureInputSchema } from "../signatures/signature-config-schema";

// Words that would read as app pages or infrastructure if they appeared as a bin's address.
export const RESERVED_SLUGS = new Set([
  "admin", "api", "app", "assets", "auth", "b", "bin", "bins", "dashboard", "docs", "health",
  "help", "login", "logout", "metrics", "new", "null", "ready", "root", "settings", "sign-in",
  "sign-out", "sign-up", "signin", "signup", "static", "status", "support", "system", "undefined",
  "webhookdump", "www", "_next",
]);

export const ZSlugSchema = z
  .string()
  .min(3, "Slug must be at least 3 characters")
  .max(64, "Slug must be at most 64 characters")
  .regex(/^[a-z0-9-]+$/, "Slug may contain only lowercase letters, digits and dashes")
  .regex(/^[a-z0-9].*[a-z0-9]$/, "Slug must start and end with a letter or digit")
  .refine((slug) => !RESERVED_SLUGS.has(slug), "This slug is reserved");

export const ZBinNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters");

export const ZCreateBinSchema = z.object({
  name: ZBinNameSchema,
  slug: ZSlugSchema.optional(),
});
export type TCreateBin = z.infer<typeof ZCreateBinSchema>;

/**
 * A partial update. Limits are checked against the instance settings by the service; `response`
 * null restores the default answer.
 */
export const ZUpdateBinSchema = z
  .object({
    name: ZBinNameSchema.optional(),
    response: ZBinResponseSchema.nullable().optional(),
    maxRequests: z.number().int().min(1, "Keep at least 1 request").optional(),
    retentionDays: z.number().int().min(0, "Use 0 to keep forever").max(36_500).optional(),
    rateLimitPerMinute: z.number().int().min(0).optional(),
    /** Replaces the whole list of auto-forward targets. */
    forwards: ZForwardsSchema.optional(),
    /** Signature verification: null turns it off; a missing secret keeps the stored one. */
    signature: ZSignatureInputSchema.nullable().optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), "Nothing to update");
export type TUpdateBin = z.infer<typeof ZUpdateBinSchema>;
