import type { Db } from "../db/create-db";

export interface PruneResult {
  byCount: number;
  byAge: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes a set of requests of one bin and accounts for them, in one transaction. */
async function dropRequests(db: Db, binId: string, ids: string[], counter: "prunedByCount" | "prunedByAge") {
  await db.$transaction(async (tx) => {
    const { count } = await tx.capturedRequest.deleteMany({ where: { id: { in: ids } } });
    await tx.bin.update({ where: { id: binId }, data: { requestCount: { decrement: count }, [counter]: { increment: count } } });
  });
}

/**
 * Applies each bin's retention: keeps the newest `maxRequests`, drops what is older than
 * `retentionDays` (0 keeps forever). Works in batches of `batchSize` rows, each its own short
 * transaction, so captures keep flowing between them. `binIds` limits the count rule to some bins.
 */
export async function pruneBins(
  db: Db,
  options: { now?: Date; batchSize?: number; binIds?: string[]; byAge?: boolean } = {},
): Promise<PruneResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 1_000;
  const result: PruneResult = { byCount: 0, byAge: 0 };

  // Age first: what it drops no longer counts against the count rule.
  if (options.byAge !== false) {
    const bins = await db.bin.findMany({ where: { retentionDays: { gt: 0 } }, select: { id: true, retentionDays: true } });
    for (const bin of bins) {
      const cutoff = new Date(now.getTime() - bin.retentionDays * DAY_MS);
      for (;;) {
        const old = await db.capturedRequest.findMany({
          where: { binId: bin.id, receivedAt: { lt: cutoff } },
          select: { id: true },
          take: batchSize,
        });
        if (old.length === 0) break;
        await dropRequests(db, bin.id, old.map((r) => r.id), "prunedByAge");
        result.byAge += old.length;
      }
    }
  }

  const candidates = await db.bin.findMany({
    where: options.binIds ? { id: { in: options.binIds } } : {},
    select: { id: true, maxRequests: true, requestCount: true },
  });
  for (const bin of candidates) {
    if (bin.requestCount <= bin.maxRequests) continue;
    for (;;) {
      const excess = await db.capturedRequest.findMany({
        where: { binId: bin.id },
        orderBy: { seq: "desc" },
        skip: bin.maxRequests,
        take: batchSize,
        select: { id: true },
      });
      if (excess.length === 0) break;
      await dropRequests(db, bin.id, excess.map((r) => r.id), "prunedByCount");
      result.byCount += excess.length;
    }
  }
  return result;
}
