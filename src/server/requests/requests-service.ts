import { z } from "zod";
import type { Db } from "../db/create-db";
import { notFound } from "../errors";

const SUMMARY_FIELDS = {
  id: true,
  binId: true,
  seq: true,
  method: true,
  path: true,
  query: true,
  bodySize: true,
  truncated: true,
  contentType: true,
  receivedAt: true,
  responseStatus: true,
} as const;

export interface RequestSummary {
  id: string;
  binId: string;
  seq: number;
  method: string;
  path: string;
  query: string;
  bodySize: number;
  truncated: boolean;
  contentType: string | null;
  receivedAt: Date;
  responseStatus: number;
}

export interface RequestRecord extends RequestSummary {
  headers: [string, string][];
  body: Uint8Array;
  declaredSize: number | null;
  ip: string | null;
}

// Query strings send "" for a parameter left empty (`?cursor=`): that means "not given".
const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);

export const ZListRequestsSchema = z.object({
  limit: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(200).default(50)),
  /** Sequence number to continue below (exclusive): the previous page's nextCursor. */
  cursor: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).nullish()),
});
export type TListRequests = z.infer<typeof ZListRequestsSchema>;

const ZStoredHeaders = z.array(z.tuple([z.string(), z.string()]));

async function assertOwnsBin(db: Db, userId: string, binId: string) {
  const bin = await db.bin.findFirst({ where: { id: binId, userId }, select: { id: true } });
  if (!bin) throw notFound("Bin");
}

/** Newest first, paged by sequence number so new captures never shift a page. */
export async function listRequests(
  db: Db,
  userId: string,
  binId: string,
  input: TListRequests,
): Promise<{ requests: RequestSummary[]; nextCursor: number | null }> {
  await assertOwnsBin(db, userId, binId);
  const rows = await db.capturedRequest.findMany({
    where: { binId, ...(input.cursor != null ? { seq: { lt: input.cursor } } : {}) },
    orderBy: { seq: "desc" },
    take: input.limit + 1,
    select: SUMMARY_FIELDS,
  });
  const page = rows.slice(0, input.limit);
  const nextCursor = rows.length > input.limit ? (page.at(-1)?.seq ?? null) : null;
  return { requests: page, nextCursor };
}

export async function getRequest(db: Db, userId: string, id: string): Promise<RequestRecord> {
  const row = await db.capturedRequest.findFirst({
    where: { id, bin: { userId } },
    select: { ...SUMMARY_FIELDS, headers: true, body: true, declaredSize: true, ip: true },
  });
  if (!row) throw notFound("Request");
  return {
    ...row,
    headers: ZStoredHeaders.parse(JSON.parse(row.headers)),
    declaredSize: row.declaredSize === null ? null : Number(row.declaredSize),
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
