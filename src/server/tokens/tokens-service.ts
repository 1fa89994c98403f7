import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "../db/create-db";
import { notFound } from "../errors";

const TOKEN_PREFIX = "whd_";

export const ZCreateTokenSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(100, "Name must be at most 100 characters"),
});

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Creates an API token; the plain token is returned once and only its hash is stored. */
export async function createApiToken(db: Db, userId: string, input: z.infer<typeof ZCreateTokenSchema>) {
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
  const row = await db.apiToken.create({
    data: { userId, name: input.name, tokenHash: hashToken(token), prefix: token.slice(0, 10) },
    select: { id: true, name: true, createdAt: true },
  });
  return { ...row, token };
}

export function listApiTokens(db: Db, userId: string) {
  return db.apiToken.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true },
  });
}

export async function revokeApiToken(db: Db, userId: string, id: string): Promise<void> {
  const { count } = await db.apiToken.deleteMany({ where: { id, userId } });
  if (count === 0) throw notFound("Token");
}

/** The user an API token belongs to, or null for an unknown or revoked token. */
export async function userIdForToken(db: Db, token: string): Promise<string | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, select: { id: true, userId: true, lastUsedAt: true } });
  if (!row) return null;
  // Coarse last-use tracking: one write per token per minute at most.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return row.userId;
}
