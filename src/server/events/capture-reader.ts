import type { Db } from "../db/create-db";
import { SUMMARY_FIELDS, type RequestSummary } from "../requests/requests-service";
import type { CapturedEvent } from "./event-bus";

/**
 * What a bus that only carries ids needs from the database: the captures another instance
 * announced, and what it missed while it could not hear announcements. Portable Prisma queries
 * only, so the same reader serves SQLite and PostgreSQL.
 */
export interface CaptureReader {
  /** Captures of one bin with afterSeq < seq <= toSeq (toSeq omitted: all newer), seq order, with the bin owner's userId; at most `limit` (default 1000). */
  readBin(binId: string, afterSeq: number, toSeq?: number, limit?: number): Promise<CapturedEvent[]>;
  /** For each of a user's bins with a capture received at or after `since`: its newest capture (bins-list activity after a reconnect). */
  readUserSince(userId: string, since: Date): Promise<CapturedEvent[]>;
  /**
   * The highest sequence number handed out in a bin so far (0 for a new or unknown bin): where a
   * subscriber that has not seen a capture yet starts catching up after a lost connection.
   */
  readLastSeq(binId: string): Promise<number>;
}

const toEvent = (userId: string, row: RequestSummary): CapturedEvent => ({
  userId,
  summary: { ...row, receivedAt: row.receivedAt.toISOString() },
});

export function createCaptureReader(db: Db): CaptureReader {
  return {
    async readBin(binId, afterSeq, toSeq, limit = 1000) {
      const rows = await db.capturedRequest.findMany({
        where: { binId, seq: toSeq === undefined ? { gt: afterSeq } : { gt: afterSeq, lte: toSeq } },
        orderBy: { seq: "asc" },
        take: limit,
        select: { ...SUMMARY_FIELDS, bin: { select: { userId: true } } },
      });
      return rows.map(({ bin, ...row }) => toEvent(bin.userId, row));
    },

    async readUserSince(userId, since) {
      const bins = await db.bin.findMany({
        where: { userId, requests: { some: { receivedAt: { gte: since } } } },
        select: { id: true, lastSeq: true },
      });
      if (bins.length === 0) return [];
      // The newest capture normally carries the bin's lastSeq, so one query by the (binId, seq)
      // key finds them all; only a bin whose newest request was deleted needs its own query.
      const rows = await db.capturedRequest.findMany({
        where: { OR: bins.map((bin) => ({ binId: bin.id, seq: bin.lastSeq })) },
        select: SUMMARY_FIELDS,
      });
      const found = new Set(rows.map((row) => row.binId));
      const fallbacks = await Promise.all(
        bins
          .filter((bin) => !found.has(bin.id))
          .map((bin) => db.capturedRequest.findFirst({ where: { binId: bin.id }, orderBy: { seq: "desc" }, select: SUMMARY_FIELDS })),
      );
      return [...rows, ...fallbacks.filter((row) => row !== null)]
        .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
        .map((row) => toEvent(userId, row));
    },

    async readLastSeq(binId) {
      const bin = await db.bin.findUnique({ where: { id: binId }, select: { lastSeq: true } });
      return bin?.lastSeq ?? 0;
    },
  };
}
