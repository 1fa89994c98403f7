import type { Db } from "../db/create-db";
import type { CaptureSummary, EventBus } from "../events/event-bus";

/** One HTTP request as it arrived, independent of the server that received it. */
export interface CaptureInput {
  slug: string;
  method: string;
  /** The sub-path after /b/<slug>, always starting with "/". */
  path: string;
  /** Raw query string without "?". */
  query: string;
  /** Header pairs in the order received, duplicates kept, original case. */
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  truncated: boolean;
  declaredSize: number | null;
  ip: string | null;
  receivedAt?: Date;
}

export type CaptureResult =
  | { status: "stored"; id: string; seq: number; truncated: boolean }
  | { status: "unknown-bin" };

export interface CaptureDeps {
  db: Db;
  bus: EventBus;
}

function headerValue(headers: [string, string][], name: string): string | null {
  const found = headers.find(([key]) => key.toLowerCase() === name);
  return found ? found[1] : null;
}

/**
 * Stores a captured request and announces it. Resolves only once the row is committed, so an
 * adapter that acknowledges after it never acknowledges a request that could still be lost.
 */
export async function captureRequest(deps: CaptureDeps, input: CaptureInput): Promise<CaptureResult> {
  const { db, bus } = deps;
  const bin = await db.bin.findUnique({ where: { slug: input.slug }, select: { id: true, userId: true } });
  if (!bin) return { status: "unknown-bin" };

  const receivedAt = input.receivedAt ?? new Date();
  const contentType = headerValue(input.headers, "content-type");
  const stored = await db.$transaction(async (tx) => {
    const { lastSeq } = await tx.bin.update({
      where: { id: bin.id },
      data: { lastSeq: { increment: 1 }, requestCount: { increment: 1 }, lastRequestAt: receivedAt },
      select: { lastSeq: true },
    });
    return tx.capturedRequest.create({
      data: {
        binId: bin.id,
        seq: lastSeq,
        method: input.method,
        path: input.path,
        query: input.query,
        headers: JSON.stringify(input.headers),
        body: input.body,
        bodySize: input.body.byteLength,
        truncated: input.truncated,
        declaredSize: input.declaredSize === null ? null : BigInt(input.declaredSize),
        contentType,
        ip: input.ip,
        receivedAt,
      },
      select: { id: true, seq: true },
    });
  });

  const summary: CaptureSummary = {
    id: stored.id,
    binId: bin.id,
    seq: stored.seq,
    method: input.method,
    path: input.path,
    query: input.query,
    bodySize: input.body.byteLength,
    truncated: input.truncated,
    contentType,
    receivedAt: receivedAt.toISOString(),
  };
  bus.publish({ userId: bin.userId, summary });
  return { status: "stored", id: stored.id, seq: stored.seq, truncated: input.truncated };
}
