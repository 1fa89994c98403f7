import type { Db } from "../db/create-db";
import { notFound } from "../errors";
import { toRequestRecord, type RequestRecord } from "./requests-service";

/**
 * Every request of a bin, oldest first, read a page at a time by sequence number, so an export
 * holds one page of bodies in memory however big the bin is. Pages are small because one body
 * may be up to MAX_BODY_BYTES. Requests captured while the export runs are included up to the
 * moment the last page is read; pruned ones are simply skipped.
 */
export async function* iterateBinRequests(db: Db, userId: string, binId: string, pageSize = 16): AsyncGenerator<RequestRecord> {
  const bin = await db.bin.findFirst({ where: { id: binId, userId }, select: { id: true } });
  if (!bin) throw notFound("Bin");
  let afterSeq = 0;
  for (;;) {
    const rows = await db.capturedRequest.findMany({ where: { binId, seq: { gt: afterSeq } }, orderBy: { seq: "asc" }, take: pageSize });
    for (const row of rows) yield toRequestRecord(row);
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    afterSeq = last.seq;
  }
}
