import { Prisma } from "~/generated/prisma/client";
import type { Db } from "../db/create-db";
import { AppError, notFound } from "../errors";
import type { TCreateBin, TUpdateBin } from "./bin-schemas";
import { randomSlug } from "./random-slug";

const BIN_FIELDS = {
  id: true,
  slug: true,
  name: true,
  createdAt: true,
  requestCount: true,
  lastRequestAt: true,
  lastSeq: true,
} as const;

export type BinRecord = Prisma.BinGetPayload<{ select: typeof BIN_FIELDS }>;

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function createBin(db: Db, userId: string, input: TCreateBin): Promise<BinRecord> {
  try {
    return await db.bin.create({
      data: { userId, name: input.name, slug: input.slug ?? randomSlug() },
      select: BIN_FIELDS,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "This slug is already taken", "slug");
    throw error;
  }
}

export function listBins(db: Db, userId: string): Promise<BinRecord[]> {
  return db.bin.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: BIN_FIELDS });
}

/** A bin by id or slug, only when the user owns it: anyone else gets "not found". */
export async function getBin(db: Db, userId: string, ref: { id: string } | { slug: string }): Promise<BinRecord> {
  const bin = await db.bin.findFirst({ where: { ...ref, userId }, select: BIN_FIELDS });
  if (!bin) throw notFound("Bin");
  return bin;
}

export async function updateBin(db: Db, userId: string, id: string, input: TUpdateBin): Promise<BinRecord> {
  const { count } = await db.bin.updateMany({ where: { id, userId }, data: { name: input.name } });
  if (count === 0) throw notFound("Bin");
  return getBin(db, userId, { id });
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
