import { z } from "zod";
import type { Db } from "../db/create-db";
import { AppError, notFound } from "../errors";
import type { TForwardTargetInput } from "./forward-target-schemas";

export type DeliveryState = "pending" | "delivered" | "failed" | "dropped";

export interface ForwardTargetRecord {
  id: string;
  url: string;
  pathMode: "append" | "exact";
  host: string;
  headers: [string, string][];
  removeHeaders: string[];
  enabled: boolean;
  methods: string[] | null;
  pathPrefix: string | null;
  concurrency: number;
  timeoutMs: number;
  /** Where the target's queue stands; deliveries go with their requests when those are pruned. */
  state: {
    paused: boolean;
    pending: number;
    delivered: number;
    failed: number;
    dropped: number;
  };
}

const ZPairs = z.array(z.tuple([z.string(), z.string()]));
const ZNames = z.array(z.string());

/** The columns a target is read with (its settings and pause state). */
export const TARGET_FIELDS = {
  id: true,
  binId: true,
  url: true,
  pathMode: true,
  host: true,
  headers: true,
  removeHeaders: true,
  enabled: true,
  paused: true,
  methods: true,
  pathPrefix: true,
  concurrency: true,
  timeoutMs: true,
} as const;

type TargetRow = {
  id: string;
  binId: string;
  url: string;
  pathMode: string;
  host: string;
  headers: string;
  removeHeaders: string;
  enabled: boolean;
  paused: boolean;
  methods: string | null;
  pathPrefix: string | null;
  concurrency: number;
  timeoutMs: number;
};

export function parseTargetRow(row: TargetRow) {
  return {
    id: row.id,
    binId: row.binId,
    url: row.url,
    pathMode: row.pathMode === "exact" ? ("exact" as const) : ("append" as const),
    host: row.host,
    headers: ZPairs.parse(JSON.parse(row.headers)),
    removeHeaders: ZNames.parse(JSON.parse(row.removeHeaders)),
    enabled: row.enabled,
    paused: row.paused,
    methods: row.methods === null ? null : ZNames.parse(JSON.parse(row.methods)),
    pathPrefix: row.pathPrefix,
    concurrency: row.concurrency,
    timeoutMs: row.timeoutMs,
  };
}
export type ForwardTarget = ReturnType<typeof parseTargetRow>;

/** Each bin's targets in their order, with the state of their queues. */
export async function listForwardTargets(db: Db, binIds: string[]): Promise<Map<string, ForwardTargetRecord[]>> {
  const result = new Map<string, ForwardTargetRecord[]>(binIds.map((id) => [id, []]));
  if (binIds.length === 0) return result;
  const rows = await db.forwardTarget.findMany({ where: { binId: { in: binIds } }, orderBy: [{ binId: "asc" }, { position: "asc" }], select: TARGET_FIELDS });
  if (rows.length === 0) return result;
  const counts = await db.delivery.groupBy({
    by: ["targetId", "state"],
    where: { targetId: { in: rows.map((row) => row.id) } },
    _count: { _all: true },
  });
  const countOf = (targetId: string, state: DeliveryState) =>
    counts.find((c) => c.targetId === targetId && c.state === state)?._count._all ?? 0;
  for (const row of rows) {
    const { binId, paused, ...target } = parseTargetRow(row);
    result.get(binId)?.push({
      ...target,
      state: {
        paused,
        pending: countOf(row.id, "pending"),
        delivered: countOf(row.id, "delivered"),
        failed: countOf(row.id, "failed"),
        dropped: countOf(row.id, "dropped"),
      },
    });
  }
  return result;
}

/**
 * Replaces a bin's targets with `inputs`: listed ids are updated in place (their queues and
 * history stay), targets left out are deleted with their queues, entries without id are new.
 * Runs inside the caller's transaction when given one.
 */
export async function replaceForwardTargets(db: Pick<Db, "forwardTarget">, binId: string, inputs: TForwardTargetInput[]): Promise<void> {
  const existing = await db.forwardTarget.findMany({ where: { binId }, select: { id: true } });
  const existingIds = new Set(existing.map((row) => row.id));
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    if (input.id === undefined) return;
    if (!existingIds.has(input.id)) throw new AppError("BAD_REQUEST", `forwards.${index}.id: this bin has no target with that id`, `forwards.${index}.id`);
    if (seen.has(input.id)) throw new AppError("BAD_REQUEST", `forwards.${index}.id: listed twice`, `forwards.${index}.id`);
    seen.add(input.id);
  });
  const removed = [...existingIds].filter((id) => !seen.has(id));
  if (removed.length > 0) await db.forwardTarget.deleteMany({ where: { id: { in: removed }, binId } });
  for (const [position, input] of inputs.entries()) {
    const data = {
      position,
      url: input.url,
      pathMode: input.pathMode,
      host: input.host,
      headers: JSON.stringify(input.headers),
      removeHeaders: JSON.stringify(input.removeHeaders),
      enabled: input.enabled,
      methods: input.methods ? JSON.stringify(input.methods) : null,
      pathPrefix: input.pathPrefix ?? null,
      concurrency: input.concurrency,
      timeoutMs: input.timeoutMs,
    };
    if (input.id === undefined) await db.forwardTarget.create({ data: { ...data, binId } });
    else await db.forwardTarget.update({ where: { id: input.id }, data });
  }
}

async function ownedTarget(db: Db, userId: string, binId: string, targetId: string) {
  const target = await db.forwardTarget.findFirst({ where: { id: targetId, binId, bin: { userId } }, select: { id: true } });
  if (!target) throw notFound("Forward target");
  return target;
}

/** Holds a target's queue: captures keep queueing, nothing is sent until it is resumed. */
export async function setTargetPaused(db: Db, userId: string, binId: string, targetId: string, paused: boolean): Promise<void> {
  await ownedTarget(db, userId, binId, targetId);
  await db.forwardTarget.update({ where: { id: targetId }, data: { paused } });
}

/** Puts a bin's failed deliveries back in their queues, to be sent again now (in seq order per target). */
export async function retryFailedDeliveries(db: Db, userId: string, binId: string, now = new Date()): Promise<{ retried: number }> {
  const bin = await db.bin.findFirst({ where: { id: binId, userId }, select: { id: true } });
  if (!bin) throw notFound("Bin");
  const { count } = await db.delivery.updateMany({
    where: { binId, state: "failed", lastError: { not: { startsWith: "loop:" } } },
    data: { state: "pending", nextAttemptAt: now, updatedAt: now },
  });
  return { retried: count };
}
