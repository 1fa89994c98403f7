import { z } from "zod";
import { AppError } from "../errors";
import { ZSignatureInputSchema, type TSignatureConfig, type TSignatureInput } from "./signature-config-schema";
import { openSecret, sealSecret } from "./signature-secret-box";

/** What the bin row keeps: the options in clear, the secret sealed, its last 4 characters for the UI. */
const ZStoredSignatureSchema = z.object({ secretLast4: z.string(), sealedSecret: z.string() }).loose();

/** What the API and the browser see of a bin's signature settings: never the secret. */
export type TPublicSignature = Omit<TSignatureInput, "secret"> & { secretLast4: string };

function parseStored(text: string): { options: TSignatureInput; secretLast4: string; sealedSecret: string } | null {
  try {
    const { secretLast4, sealedSecret, ...rest } = ZStoredSignatureSchema.parse(JSON.parse(text));
    const options = ZSignatureInputSchema.safeParse(rest);
    return options.success ? { options: options.data, secretLast4, sealedSecret } : null;
  } catch {
    return null;
  }
}

export function publicSignature(text: string | null): TPublicSignature | null {
  const stored = text === null ? null : parseStored(text);
  if (!stored) return null;
  const { secret: _secret, ...options } = stored.options;
  return { ...options, secretLast4: stored.secretLast4 };
}

/** The complete configuration for verifying, or "undecryptable" when the key no longer opens it. */
export function openStoredSignature(key: Buffer, binId: string, text: string | null): TSignatureConfig | "undecryptable" | null {
  const stored = text === null ? null : parseStored(text);
  if (!stored) return null;
  const secret = openSecret(key, binId, stored.sealedSecret);
  return secret === null ? "undecryptable" : ({ ...stored.options, secret } as TSignatureConfig);
}

/**
 * The column's new value for an update. A missing secret keeps the stored one (changing options
 * without re-typing it), but only for the same scheme and only when it can still be opened.
 */
export function sealSignatureInput(key: Buffer, binId: string, input: TSignatureInput, previous: string | null): string {
  let secret = input.secret;
  if (secret === undefined) {
    const opened = openStoredSignature(key, binId, previous);
    // A secret belongs to one provider: switching scheme needs the new provider's secret.
    if (opened === null || opened === "undecryptable" || opened.scheme !== input.scheme) {
      throw new AppError("BAD_REQUEST", "signature.secret: enter the secret for this scheme", "signature.secret");
    }
    secret = opened.secret;
  }
  const checked = ZSignatureInputSchema.safeParse({ ...input, secret });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new AppError("BAD_REQUEST", `signature.${issue?.path.join(".") ?? "secret"}: ${issue?.message ?? "invalid"}`, `signature.${issue?.path.join(".") ?? "secret"}`);
  }
  const { secret: _secret, ...options } = checked.data;
  return JSON.stringify({ ...options, secretLast4: secret.slice(-4), sealedSecret: sealSecret(key, binId, secret) });
}
