import { z } from "zod";

const ZSecret = z.string().min(1, "Enter the secret").max(1024, "The secret must be at most 1024 characters");
const ZTolerance = z.number().int("Use whole seconds").min(0, "Use 0 or more seconds").max(31_536_000).optional();
const ZSignedUrl = z.url("Enter the full URL the sender signs, e.g. https://hooks.example.com/b/slug").optional();

const STANDARD_KEY = /^(whsec_|whpk_)?[A-Za-z0-9+/]+={0,2}$/;

/**
 * The per-scheme settings as the owner writes them. `secret` may be left out on an update to keep
 * the stored one; the bins service enforces that one exists.
 */
export const ZSignatureInputSchema = z.discriminatedUnion("scheme", [
  z.object({ scheme: z.literal("github"), secret: ZSecret.optional() }).strict(),
  z.object({ scheme: z.literal("stripe"), secret: ZSecret.optional(), toleranceSeconds: ZTolerance }).strict(),
  z
    .object({
      scheme: z.literal("standard-webhooks"),
      secret: ZSecret.regex(STANDARD_KEY, "Use the whsec_… signing secret or the whpk_… public key (base64)").optional(),
      toleranceSeconds: ZTolerance,
    })
    .strict(),
  z.object({ scheme: z.literal("shopify"), secret: ZSecret.optional() }).strict(),
  z.object({ scheme: z.literal("slack"), secret: ZSecret.optional(), toleranceSeconds: ZTolerance }).strict(),
  z.object({ scheme: z.literal("twilio"), secret: ZSecret.optional(), signedUrl: ZSignedUrl }).strict(),
  z.object({ scheme: z.literal("paddle"), secret: ZSecret.optional(), toleranceSeconds: ZTolerance }).strict(),
  z.object({ scheme: z.literal("linear"), secret: ZSecret.optional(), toleranceSeconds: ZTolerance }).strict(),
  z.object({ scheme: z.literal("zoom"), secret: ZSecret.optional(), toleranceSeconds: ZTolerance }).strict(),
  z.object({ scheme: z.literal("square"), secret: ZSecret.optional(), signedUrl: ZSignedUrl }).strict(),
  z.object({ scheme: z.literal("mailgun"), secret: ZSecret.optional(), toleranceSeconds: ZTolerance }).strict(),
  z
    .object({
      scheme: z.literal("discord"),
      secret: ZSecret.regex(/^[0-9a-fA-F]{64}$/, "Use the application's public key: 64 hex characters").optional(),
      toleranceSeconds: ZTolerance,
    })
    .strict(),
  z
    .object({
      scheme: z.literal("hmac"),
      secret: ZSecret.optional(),
      header: z.string().trim().min(1, "Name the header that carries the signature").max(200).regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "Not a valid header name"),
      algorithm: z.enum(["sha1", "sha256", "sha512"]).default("sha256"),
      encoding: z.enum(["hex", "base64"]).default("hex"),
      prefix: z.string().max(100).default(""),
    })
    .strict(),
]);
export type TSignatureInput = z.infer<typeof ZSignatureInputSchema>;

/** A complete, stored configuration: the same shape with the secret present. */
export type TSignatureConfig = TSignatureInput & { secret: string };
export type TSignatureScheme = TSignatureInput["scheme"];
export type TSchemeConfig<S extends TSignatureScheme> = Extract<TSignatureConfig, { scheme: S }>;
