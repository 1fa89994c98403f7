import { z } from "zod";
import { Prisma } from "~/generated/prisma/client";
import type { Db } from "../db/create-db";
import { AppError, notFound } from "../errors";
import type { TBinResponse } from "./bin-response-schema";
import type { TCreateBin, TUpdateBin } from "./bin-schemas";
import { randomSlug } from "./random-slug";
import { publicSignature, sealSignatureInput, type TPublicSignature } from "../signatures/stored-signature-config";
import { listForwardTargets, replaceForwardTargets, type ForwardTargetRecord } from "../delivery/forward-targets-service";

/** Instance-wide rules for bins, from the environment. */
export interface BinLimits {
  defaultRequestsPerBin: number;
  maxRequestsPerBin: number;
  defaultRetentionDays: number;
  /** Requests per minute a new bin accepts and the most any bin may be set to; 0 = unlimited. */
  rateLimitPerBin: number;
  maxBinsPerUser: number;
}

export const DEFAULT_BIN_LIMITS: BinLimits = {
  defaultRequestsPerBin: 1000,
  maxRequestsPerBin: 10_000,
  defaultRetentionDays: 7,
  rateLimitPerBin: 600,
  maxBinsPerUser: 100,
};

const BIN_FIELDS = {
  id: true,
  slug: true,
  name: true,
  createdAt: true,
  requestCount: true,
  lastRequestAt: true,
  lastSeq: true,
  responseStatus: true,
  responseHeaders: true,
  responseBody: true,
  responseContentType: true,
  responseDelayMs: true,
  maxRequests: true,
  retentionDays: true,
  rateLimitPerMinute: true,
  tooLargeCount: true,
  incompleteCount: true,
  rateLimitedCount: true,
  prunedByCount: true,
  prunedByAge: true,
  signatureConfig: true,
} as const;

type BinRow = Prisma.BinGetPayload<{ select: typeof BIN_FIELDS }>;

export interface BinRecord {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  requestCount: number;
  lastRequestAt: Date | null;
  lastSeq: number;
  /** The custom answer, or null for the default 200 JSON. */
  response: TBinResponse | null;
  maxRequests: number;
  retentionDays: number;
  rateLimitPerMinute: number;
  /** What was refused or dropped, per kind. */
  counters: { tooLarge: number; incomplete: number; rateLimited: number; prunedByCount: number; prunedByAge: number };
  /** Auto-forward targets in order, each with its id and queue state. */
  forwards: ForwardTargetRecord[];
  /** Signature verification settings without the secret (only its last 4 characters). */
  signature: TPublicSignature | null;
}

const ZStoredHeaders = z.array(z.tuple([z.string(), z.string()]));

/** Rows with their forward targets, read in one query for all of them. */
async function withForwards(db: Db, rows: BinRow[]): Promise<BinRecord[]> {
  const forwards = await listForwardTargets(db, rows.map((row) => row.id));
  return rows.map((row) => toRecord(row, forwards.get(row.id) ?? []));
}

function toRecord(row: BinRow, forwards: ForwardTargetRecord[]): BinRecord {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    createdAt: row.createdAt,
    requestCount: row.requestCount,
    lastRequestAt: row.lastRequestAt,
    lastSeq: row.lastSeq,
    response:
      row.responseStatus === null
        ? null
        : {
            status: row.responseStatus,
            headers: ZStoredHeaders.parse(JSON.parse(row.responseHeaders)),
            body: row.responseBody,
            contentType: row.responseContentType,
            delayMs: row.responseDelayMs,
          },
    maxRequests: row.maxRequests,
    retentionDays: row.retentionDays,
    rateLimitPerMinute: row.rateLimitPerMinute,
    counters: {
      tooLarge: row.tooLargeCount,
      incomplete: row.incompleteCount,
      rateLimited: row.rateLimitedCount,
      prunedByCount: row.prunedByCount,
      prunedByAge: row.prunedByAge,
    },
    forwards,
    signature: publicSignature(row.signatureConfig),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function createBin(db: Db, userId: string, input: TCreateBin, limits: BinLimits = DEFAULT_BIN_LIMITS): Promise<BinRecord> {
  const owned = await db.bin.count({ where: { userId } });
  if (owned >= limits.maxBinsPerUser) {
    throw new AppError("LIMIT_REACHED", `You have reached the limit of ${limits.maxBinsPerUser} bins; delete one to create another.`);
  }
  try {
    const row = await db.bin.create({
      data: {
        userId,
        name: input.name,
        slug: input.slug ?? randomSlug(),
        maxRequests: limits.defaultRequestsPerBin,
        retentionDays: limits.defaultRetentionDays,
        rateLimitPerMinute: limits.rateLimitPerBin,
      },
      select: BIN_FIELDS,
    });
    return toRecord(row, []);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "This slug is already taken", "slug");
    throw error;
  }
}

export async function listBins(db: Db, userId: string): Promise<BinRecord[]> {
  const rows = await db.bin.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: BIN_FIELDS });
  return withForwards(db, rows);
}

/** A bin by id or slug, only when the user owns it: anyone else gets "not found". */
export async function getBin(db: Db, userId: string, ref: { id: string } | { slug: string }): Promise<BinRecord> {
  const row = await db.bin.findFirst({ where: { ...ref, userId }, select: BIN_FIELDS });
  if (!row) throw notFound("Bin");
  const [record] = await withForwards(db, [row]);
  if (!record) throw notFound("Bin");
  return record;
}

/** Checks an update against the instance's rules; throws a BAD_REQUEST naming the field. */
function checkLimits(input: TUpdateBin, limits: BinLimits) {
  if (input.maxRequests !== undefined && input.maxRequests > limits.maxRequestsPerBin) {
    throw new AppError("BAD_REQUEST", `A bin may keep at most ${limits.maxRequestsPerBin} requests on this instance`, "maxRequests");
  }
  if (input.rateLimitPerMinute !== undefined && limits.rateLimitPerBin > 0) {
    if (input.rateLimitPerMinute === 0 || input.rateLimitPerMinute > limits.rateLimitPerBin) {
      throw new AppError(
        "BAD_REQUEST",
        `The rate limit must be 1-${limits.rateLimitPerBin} requests per minute on this instance`,
        "rateLimitPerMinute",
      );
    }
  }
}

export async function updateBin(
  db: Db,
  userId: string,
  id: string,
  input: TUpdateBin,
  limits: BinLimits = DEFAULT_BIN_LIMITS,
  /** Seals a new signature secret; required when the update sets `signature`. */
  signatureKey?: Buffer,
): Promise<BinRecord> {
  checkLimits(input, limits);
  const signatureConfig = await signatureColumn(db, userId, id, input, signatureKey);
  const response =
    input.response === undefined
      ? {}
      : input.response === null
        ? { responseStatus: null, responseHeaders: "[]", responseBody: "", responseContentType: null, responseDelayMs: 0 }
        : {
            responseStatus: input.response.status,
            responseHeaders: JSON.stringify(input.response.headers),
            responseBody: input.response.body,
            responseContentType: input.response.contentType,
            responseDelayMs: input.response.delayMs,
          };
  const data = {
    name: input.name,
    maxRequests: input.maxRequests,
    retentionDays: input.retentionDays,
    rateLimitPerMinute: input.rateLimitPerMinute,
    signatureConfig,
    ...response,
  };
  const { forwards } = input;
  const count = await db.$transaction(async (tx) => {
    // Prisma answers an update with nothing to set as "0 rows", whether the bin exists or not.
    const hasData = Object.values(data).some((value) => value !== undefined);
    const count = hasData ? (await tx.bin.updateMany({ where: { id, userId }, data })).count : await tx.bin.count({ where: { id, userId } });
    if (count === 1 && forwards !== undefined) await replaceForwardTargets(tx, id, forwards);
    return count;
  });
  if (count === 0) throw notFound("Bin");
  return getBin(db, userId, { id });
}

/** The signatureConfig column's new value, or undefined to leave it. */
async function signatureColumn(db: Db, userId: string, id: string, input: TUpdateBin, key: Buffer | undefined): Promise<string | null | undefined> {
  if (input.signature === undefined) return undefined;
  if (input.signature === null) return null;
  if (!key) throw new Error("updateBin needs the signature key to store a signature secret");
  const current = await db.bin.findFirst({ where: { id, userId }, select: { signatureConfig: true } });
  if (!current) throw notFound("Bin");
  return sealSignatureInput(key, id, input.signature, current.signatureConfig);
}

/** Deletes a bin and, by cascade, every request it captured. */
export async function deleteBin(db: Db, userId: string, id: string): Promise<void> {
  const { count } = await db.bin.deleteMany({ where: { id, userId } });
  if (count === 0) throw notFound("Bin");
}

/** The public address senders post to. */
export function captureUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}/b/${slug}`;
}

export function binLimitsFromEnv(env: {
  DEFAULT_REQUESTS_PER_BIN: number;
  MAX_REQUESTS_PER_BIN: number;
  DEFAULT_RETENTION_DAYS: number;
  RATE_LIMIT_PER_BIN: number;
  MAX_BINS_PER_USER: number;
}): BinLimits {
  return {
    defaultRequestsPerBin: env.DEFAULT_REQUESTS_PER_BIN,
    maxRequestsPerBin: env.MAX_REQUESTS_PER_BIN,
    defaultRetentionDays: env.DEFAULT_RETENTION_DAYS,
    rateLimitPerBin: env.RATE_LIMIT_PER_BIN,
    maxBinsPerUser: env.MAX_BINS_PER_USER,
  };
}
