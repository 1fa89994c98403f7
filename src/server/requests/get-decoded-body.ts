import type { Db } from "../db/create-db";
import { decodeContentEncoding, parseContentEncoding } from "./decode-content-encoding";
import { getRequest } from "./requests-service";

export type DecodedBody =
  | { status: "decoded"; encoding: string; body: Uint8Array }
  | { status: "failed"; encoding: string; reason: string }
  | { status: "none" };

/**
 * The body with its Content-Encoding undone, for viewing only: the stored bytes stay as received.
 * Done here rather than in the browser because browsers' DecompressionStream has no brotli.
 */
export async function getDecodedBody(db: Db, userId: string, id: string, maxOutputBytes: number): Promise<DecodedBody> {
  const record = await getRequest(db, userId, id);
  const header = record.headers.find(([name]) => name.toLowerCase() === "content-encoding")?.[1] ?? null;
  const codings = parseContentEncoding(header);
  if (!header || !codings || record.body.length === 0) return { status: "none" };
  try {
    return { status: "decoded", encoding: header, body: decodeContentEncoding(record.body, codings, maxOutputBytes) };
  } catch (error) {
    const tooLarge = error instanceof RangeError || /maxOutputLength|buffer/i.test(String(error));
    return { status: "failed", encoding: header, reason: tooLarge ? "decoded body too large to show" : "not valid " + header };
  }
}
