import { Prisma } from "~/generated/prisma/client";
import type { TRequestFilters } from "~/lib/request-filters";
import type { Db } from "../db/create-db";

/**
 * One page of sequence numbers of a bin's requests matching `filters`, newest first, below
 * `belowSeq` when given. Raw SQL because Prisma can search neither Bytes columns nor text without
 * LIKE wildcards (its `contains` lets `_` and `%` in a search match any character); kept to this
 * one function. The LIMIT lets SQLite stop scanning bodies as soon as the page is full.
 *
 * - body: SQLite's instr() on two BLOBs compares bytes, so the UTF-8 of the search text is found
 *   in binary bodies too, NUL bytes and invalid UTF-8 around it included. Exact case.
 * - path and headers: instr() on lower() text; SQLite's lower() folds ASCII letters only (the
 *   browser's live filter does the same). Headers are stored as JSON text, so the needle is
 *   JSON-escaped the same way: a quote or a backslash is found as typed.
 * - times: julianday() reads both the `Z` and the `+00:00` forms the column holds.
 * On PostgreSQL the same conditions are `position($1::bytea in body) > 0`,
 * `strpos(lower(path), lower($2)) > 0` and plain timestamptz comparisons.
 */
export async function findFilteredSeqs(
  db: Db,
  binId: string,
  filters: TRequestFilters,
  page: { belowSeq: number | null; limit: number },
): Promise<number[]> {
  const conditions: Prisma.Sql[] = [Prisma.sql`binId = ${binId}`];
  if (page.belowSeq !== null) conditions.push(Prisma.sql`seq < ${page.belowSeq}`);
  if (filters.method !== undefined) conditions.push(Prisma.sql`method = ${filters.method}`);
  if (filters.path !== undefined) conditions.push(Prisma.sql`instr(lower(path), lower(${filters.path})) > 0`);
  if (filters.from) conditions.push(Prisma.sql`julianday(receivedAt) >= julianday(${filters.from.toISOString()})`);
  if (filters.to) conditions.push(Prisma.sql`julianday(receivedAt) <= julianday(${filters.to.toISOString()})`);
  if (filters.q !== undefined) {
    const inHeaders = JSON.stringify(filters.q).slice(1, -1);
    const inBody = Buffer.from(filters.q, "utf8");
    conditions.push(Prisma.sql`(instr(lower(headers), lower(${inHeaders})) > 0 OR instr(body, ${inBody}) > 0)`);
  }
  const rows = await db.$queryRaw<{ seq: number | bigint }[]>`
    SELECT seq FROM "captured_request"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY seq DESC
    LIMIT ${page.limit}`;
  return rows.map((row) => Number(row.seq));
}
