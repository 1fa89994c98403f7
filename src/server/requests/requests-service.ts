import { z } from "zod";
import { hasFilters, ZRequestFiltersSchema } from "~/lib/request-filters";
import type { Db } from "../db/create-db";
import type { CaptureSummary } from "../events/event-bus";
import { notFound } from "../errors";
import { findFilteredSeqs } from "./find-filtered-seqs";

/** The columns of a request summary: what lists and live events carry (no body, no headers). */
export const SUMMARY_FIELDS = {
  id: true,
  binId: true,
  seq: true,
  method: true,
  path: true,
  query: true,
  bodySize: true,
  truncated: true,
  incomplete: true,
  contentType: true,
  receivedAt: true,
  responseStatus: true,
} as const;

/** A live event's summary, as read from the database (a Date where the event carries a string). */
export type RequestSummary = Omit<CaptureSummary, "receivedAt"> & { receivedAt: Date };

export type RequestRecord = RequestSummary & {
  headers: [string, string][];
  body: Uint8Array;
  declaredSize: number | null;
  ip: string | null;
};

// Query strings send "" for a parameter left empty (`?cursor=`): that means "not given".
const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);

export const ZListRequestsSchema = z.object({
  limit: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(200).default(50)),
  /** Sequence number to continue below (exclusive): the previous page's nextCursor. */
  cursor: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).nullish()),
  filters: ZRequestFiltersSchema.optional(),
});
export type TListRequests = z.output<typeof ZListRequestsSchema>;

/** REST's flat query string: `?limit=&cursor=&method=&path=&q=&from=&to=`, issues named by parameter. */
export const ZListRequestsQuerySchema = z
  .object({ limit: ZListRequestsSchema.shape.limit, cursor: ZListRequestsSchema.shape.cursor })
  .and(ZRequestFiltersSchema)
  .transform(({ limit, cursor, ...filters }): TListRequests => ({ limit, cursor, filters }));

const ZStoredHeaders = z.array(z.tuple([z.string(), z.string()]));

async function assertOwnsBin(db: Db, userId: string, binId: string): Promise<{ lastSeq: number }> {
  const bin = await db.bin.findFirst({ where: { id: binId, userId }, select: { lastSeq: true } });
  if (!bin) throw notFound("Bin");
  return bin;
}

/** Newest first, paged by sequence number so new captures never shift a page. */
export async function listRequests(
  db: Db,
  userId: string,
  binId: string,
  input: TListRequests,
): Promise<{ requests: RequestSummary[]; nextCursor: number | null; lastSeq: number }> {
  // Read before the rows: every request up to lastSeq is committed, so a subscription started
  // after it (requests.onCaptured) delivers exactly what this read could not have seen.
  const { lastSeq } = await assertOwnsBin(db, userId, binId);
  const cursor = input.cursor ?? null;
  const filtered = input.filters && hasFilters(input.filters);
  // Filtered pages find their seqs first (raw SQL, see findFilteredSeqs), then load those rows.
  const seqs = filtered ? await findFilteredSeqs(db, binId, input.filters ?? {}, { belowSeq: cursor, limit: input.limit + 1 }) : null;
  const rows = await db.capturedRequest.findMany({
    where: { binId, seq: { ...(cursor !== null ? { lt: cursor } : {}), ...(seqs ? { in: seqs } : {}) } },
    orderBy: { seq: "desc" },
    take: input.limit + 1,
    select: SUMMARY_FIELDS,
  });
  const page = rows.slice(0, input.limit);
  const nextCursor = rows.length > input.limit ? (page.at(-1)?.seq ?? null) : null;
  return { requests: page, nextCursor, lastSeq };
}

export async function getRequest(db: Db, userId: string, id: string): Promise<RequestRecord> {
  const row = await db.capturedRequest.findFirst({
    where: { id, bin: { userId } },
    select: { ...SUMMARY_FIELDS, headers: true, body: true, declaredSize: true, ip: true },
  });
  if (!row) throw notFound("Request");
  return toRequestRecord(row);
}

/** A stored row as the services hand it out: headers parsed, sizes as numbers. */
export function toRequestRecord<Row extends RequestSummary & { headers: string; body: Uint8Array; declaredSize: bigint | null; ip: string | null }>(
  row: Row,
): RequestRecord {
  return {
    id: row.id,
    binId: row.binId,
    seq: row.seq,
    method: row.method,
    path: row.path,
    query: row.query,
    bodySize: row.bodySize,
    truncated: row.truncated,
    incomplete: row.incomplete,
    contentType: row.contentType,
    receivedAt: row.receivedAt,
    responseStatus: row.responseStatus,
    headers: ZStoredHeaders.parse(JSON.parse(row.headers)),
    body: row.body,
    declaredSize: row.declaredSize === null ? null : Number(row.declaredSize),
    ip: row.ip,
  };
}

export async function deleteRequest(db: Db, userId: string, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.capturedRequest.findFirst({ where: { id, bin: { userId } }, select: { binId: true } });
    if (!row) throw notFound("Request");
    await tx.capturedRequest.delete({ where: { id } });
    await tx.bin.update({ where: { id: row.binId }, data: { requestCount: { decrement: 1 } } });
  });
}

/** Deletes every request of a bin; the bin and its sequence counter stay. */
export async function clearBin(db: Db, userId: string, binId: string): Promise<{ deleted: number }> {
  return db.$transaction(async (tx) => {
    const bin = await tx.bin.findFirst({ where: { id: binId, userId }, select: { id: true } });
    if (!bin) throw notFound("Bin");
    const { count } = await tx.capturedRequest.deleteMany({ where: { binId } });
    await tx.bin.update({ where: { id: binId }, data: { requestCount: 0, lastRequestAt: null } });
    return { deleted: count };
  });
}
