import { Prisma } from "~/generated/prisma/client";
import type { TRequestFilters } from "~/lib/request-filters";
import { dbProvider, type Db } from "../db/create-db";

/**
 * One page of sequence numbers of a bin's requests matching `filters`, newest first, below
 * `belowSeq` when given; oldest first above `afterSeq` (up to `upToSeq`) when that is given instead
 * (the long poll looks for the first match after a point). Raw SQL because Prisma can search neither Bytes columns nor text without
 * LIKE wildcards (its `contains` lets `_` and `%` in a search match any character); kept to this
 * one function, written once per provider with the same meaning:
 *
 * - q: in the headers, the raw query string or the body; ASCII letters in either case unless
 *   `matchCase`. The body's UTF-8 is found as bytes (SQLite's instr() on two BLOBs, PostgreSQL's
 *   position() on bytea), so binary bodies match too, NUL bytes and invalid UTF-8 around it
 *   included; without `matchCase` a case-folded comparison is tried as well (foldedBodyMatch).
 * - path, and headers and query without `matchCase`: case-insensitive for ASCII letters only (SQLite's lower() folds nothing
 *   else; PostgreSQL folds with translate() to match, and the browser's live filter does the same).
 *   Headers are stored as JSON text, so the needle is JSON-escaped the same way: a quote or a
 *   backslash is found as typed.
 * - times: SQLite's julianday() reads both the `Z` and the `+00:00` forms the column holds;
 *   PostgreSQL's timestamp(3) column holds UTC.
 * The LIMIT lets the database stop scanning bodies as soon as the page is full.
 */
export async function findFilteredSeqs(
  db: Db,
  binId: string,
  filters: TRequestFilters,
  page: { belowSeq: number | null; limit: number } | { afterSeq: number; upToSeq: number; limit: number },
): Promise<number[]> {
  const postgres = dbProvider(db) === "postgresql";
  const lowerAscii = (column: Prisma.Sql) => (postgres ? Prisma.sql`translate(${column}, ${UPPER}, ${LOWER})` : Prisma.sql`lower(${column})`);
  const contains = (haystack: Prisma.Sql, needle: Prisma.Sql) =>
    postgres ? Prisma.sql`strpos(${haystack}, ${needle}) > 0` : Prisma.sql`instr(${haystack}, ${needle}) > 0`;
  const conditions: Prisma.Sql[] = [Prisma.sql`"binId" = ${binId}`];
  const ascending = "afterSeq" in page;
  if (ascending) conditions.push(Prisma.sql`seq > ${page.afterSeq} AND seq <= ${page.upToSeq}`);
  else if (page.belowSeq !== null) conditions.push(Prisma.sql`seq < ${page.belowSeq}`);
  if (filters.method !== undefined) conditions.push(Prisma.sql`method = ${filters.method}`);
  if (filters.path !== undefined) conditions.push(contains(lowerAscii(Prisma.sql`path`), lowerAscii(Prisma.sql`${filters.path}`)));
  if (filters.from) conditions.push(time(postgres, ">=", filters.from));
  if (filters.to) conditions.push(time(postgres, "<=", filters.to));
  if (filters.q !== undefined) {
    const exact = filters.matchCase === true;
    const fold = (text: Prisma.Sql) => (exact ? text : lowerAscii(text));
    const inHeaders = JSON.stringify(filters.q).slice(1, -1);
    const inBody = Buffer.from(filters.q, "utf8");
    const matches = [
      contains(fold(Prisma.sql`headers`), fold(Prisma.sql`${inHeaders}`)),
      contains(fold(Prisma.sql`query`), fold(Prisma.sql`${filters.q}`)),
      postgres ? Prisma.sql`position(${inBody}::bytea in body) > 0` : Prisma.sql`instr(body, ${inBody}) > 0`,
    ];
    // Without ASCII letters folding changes nothing: the byte search alone decides, at no copy.
    if (!exact && /[A-Za-z]/.test(filters.q)) matches.push(foldedBodyMatch(postgres, inBody, filters.q));
    conditions.push(Prisma.sql`(${Prisma.join(matches, " OR ")})`);
  }
  const rows = await db.$queryRaw<{ seq: number | bigint }[]>`
    SELECT seq FROM "captured_request"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY seq ${Prisma.raw(ascending ? "ASC" : "DESC")}
    LIMIT ${page.limit}`;
  return rows.map((row) => Number(row.seq));
}

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";

/**
 * The body as text with ASCII letters folded, any bytes around them: SQLite's lower() and instr()
 * work on the blob's bytes read as text (embedded NULs and invalid UTF-8 included); PostgreSQL
 * folds the `escape` encoding of both sides (bytes above 0x7f and NUL become `\nnn` there, the
 * same way on both), since decoding invalid UTF-8 would fail the query.
 */
function foldedBodyMatch(postgres: boolean, needleBytes: Buffer, needle: string): Prisma.Sql {
  return postgres
    ? Prisma.sql`strpos(translate(encode(body, 'escape'), ${UPPER}, ${LOWER}), translate(encode(${needleBytes}::bytea, 'escape'), ${UPPER}, ${LOWER})) > 0`
    : Prisma.sql`instr(lower(CAST(body AS TEXT)), lower(${needle})) > 0`;
}

function time(postgres: boolean, op: ">=" | "<=", at: Date): Prisma.Sql {
  const comparison = Prisma.raw(op);
  return postgres
    ? Prisma.sql`"receivedAt" ${comparison} ${at.toISOString().replace("Z", "")}::timestamp`
    : Prisma.sql`julianday("receivedAt") ${comparison} julianday(${at.toISOString()})`;
}
