import zlib from "node:zlib";

export type ContentEncoding = "gzip" | "deflate" | "br";

/** The codings we can undo, in the order applied (`Content-Encoding: deflate, gzip`), or null. */
export function parseContentEncoding(value: string | null): ContentEncoding[] | null {
  if (!value) return null;
  const codings = value.split(",").map((c) => c.trim().toLowerCase()).filter((c) => c !== "" && c !== "identity");
  if (codings.length === 0) return null;
  const known = codings.map((c) => (c === "x-gzip" ? "gzip" : c));
  return known.every((c): c is ContentEncoding => c === "gzip" || c === "deflate" || c === "br") ? known : null;
}

/**
 * Undoes Content-Encoding for viewing. The output is capped (a few KiB of gzip can inflate to
 * gigabytes), and "deflate" accepts both the zlib wrapper RFC 9110 specifies and the raw stream
 * some senders send instead.
 */
export function decodeContentEncoding(body: Uint8Array, codings: ContentEncoding[], maxOutputLength: number): Buffer {
  let data = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // Codings are listed in the order they were applied: undo them last to first.
  for (const coding of [...codings].reverse()) {
    const options = { maxOutputLength, finishFlush: zlib.constants.Z_SYNC_FLUSH };
    if (coding === "gzip") data = zlib.gunzipSync(data, options);
    else if (coding === "br") data = zlib.brotliDecompressSync(data, { maxOutputLength });
    else {
      try {
        data = zlib.inflateSync(data, options);
      } catch {
        data = zlib.inflateRawSync(data, options);
      }
    }
  }
  return data;
}
