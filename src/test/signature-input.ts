import type { TVerifyInput } from "~/server/signatures/signature-types";

/** A stored request for a verifier test: body as text or bytes, captured at `receivedAt`. */
export function signatureInput(options: {
  headers: [string, string][];
  body: string | Uint8Array;
  receivedAt?: Date;
  url?: string;
}): TVerifyInput {
  return {
    headers: options.headers,
    body: typeof options.body === "string" ? new Uint8Array(Buffer.from(options.body, "utf8")) : options.body,
    receivedAt: options.receivedAt ?? new Date(),
    url: options.url ?? "https://hooks.example.test/b/demo",
  };
}

/** The same bytes with one byte flipped. */
export function flipByte(body: string, index = 2): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(body, "utf8"));
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return bytes;
}
