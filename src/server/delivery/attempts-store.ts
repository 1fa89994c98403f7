import { v7 as uuidv7 } from "uuid";
import { z } from "zod";
import type { Db } from "../db/create-db";
import type { SendResult } from "./egress";

export type AttemptTrigger = "manual" | "auto" | "retry" | "cli";
export const ATTEMPT_ERROR_CODES = ["timeout", "connection_refused", "dns", "tls", "blocked_address", "redirect", "too_large", "network"] as const;
export type AttemptErrorCode = (typeof ATTEMPT_ERROR_CODES)[number];

/** One attempt as the REST API and tRPC return it. */
export interface AttemptJson {
  id: string;
  requestId: string;
  trigger: AttemptTrigger;
  attempt: number;
  url: string;
  ip: string | null;
  startedAt: string;
  durationMs: number;
  status: number | null;
  headers: [string, string][];
  bodyBase64: string;
  bodyTruncated: boolean;
  modified: boolean;
  error: null | { code: AttemptErrorCode; message: string };
}

/** What a sender reports about one attempt (the server's own sends, or the CLI's). */
export type AttemptOutcome = SendResult;

const ATTEMPT_FIELDS = {
  id: true,
  requestId: true,
  trigger: true,
  attempt: true,
  url: true,
  ip: true,
  startedAt: true,
  durationMs: true,
  status: true,
  headers: true,
  body: true,
  bodyTruncated: true,
  modified: true,
  errorCode: true,
  errorMessage: true,
} as const;

const ZPairs = z.array(z.tuple([z.string(), z.string()]));
const ZTrigger = z.enum(["manual", "auto", "retry", "cli"]);
const ZErrorCode = z.enum(ATTEMPT_ERROR_CODES);

type AttemptRow = {
  id: string;
  requestId: string;
  trigger: string;
  attempt: number;
  url: string;
  ip: string | null;
  startedAt: Date;
  durationMs: number;
  status: number | null;
  headers: string;
  body: Uint8Array;
  bodyTruncated: boolean;
  modified: boolean;
  errorCode: string | null;
  errorMessage: string | null;
};

function toJson(row: AttemptRow): AttemptJson {
  return {
    id: row.id,
    requestId: row.requestId,
    trigger: ZTrigger.parse(row.trigger),
    attempt: row.attempt,
    url: row.url,
    ip: row.ip,
    startedAt: row.startedAt.toISOString(),
    durationMs: row.durationMs,
    status: row.status,
    headers: ZPairs.parse(JSON.parse(row.headers)),
    bodyBase64: Buffer.from(row.body).toString("base64"),
    bodyTruncated: row.bodyTruncated,
    modified: row.modified,
    error: row.errorCode === null ? null : { code: ZErrorCode.catch("network").parse(row.errorCode), message: row.errorMessage ?? "" },
  };
}

export interface NewAttempt {
  requestId: string;
  binId: string;
  trigger: AttemptTrigger;
  attempt: number;
  modified: boolean;
  deliveryId?: string;
  targetId?: string;
  outcome: AttemptOutcome;
}

/** The row to insert for an attempt, and the JSON it reads back as (no read needed). */
export function attemptRow(attempt: NewAttempt) {
  const { outcome } = attempt;
  const data = {
    id: uuidv7(),
    requestId: attempt.requestId,
    binId: attempt.binId,
    deliveryId: attempt.deliveryId ?? null,
    targetId: attempt.targetId ?? null,
    trigger: attempt.trigger,
    attempt: attempt.attempt,
    url: outcome.url,
    ip: outcome.ip,
    startedAt: outcome.startedAt,
    durationMs: Math.round(outcome.durationMs),
    status: outcome.status,
    headers: JSON.stringify(outcome.headers),
    body: new Uint8Array(outcome.body),
    bodyTruncated: outcome.bodyTruncated,
    modified: attempt.modified,
    errorCode: outcome.error?.code ?? null,
    errorMessage: outcome.error?.message ?? null,
  };
  return { data, json: toJson(data) };
}

export async function recordAttempt(db: Pick<Db, "deliveryAttempt">, attempt: NewAttempt): Promise<AttemptJson> {
  const { data, json } = attemptRow(attempt);
  await db.deliveryAttempt.create({ data, select: { id: true } });
  return json;
}

/** A request's attempts, oldest first; the caller has checked the request is the user's. */
export async function listAttempts(db: Db, requestId: string, afterId?: string): Promise<AttemptJson[]> {
  const rows = await db.deliveryAttempt.findMany({
    where: { requestId, ...(afterId ? { id: { gt: afterId } } : {}) },
    orderBy: [{ startedAt: "asc" }, { id: "asc" }],
    select: ATTEMPT_FIELDS,
    take: 1000,
  });
  return rows.map(toJson);
}

/** The next manual (or CLI) attempt number for a request: 1 for its first. */
export async function nextAttemptNumber(db: Db, requestId: string, triggers: AttemptTrigger[]): Promise<number> {
  return (await db.deliveryAttempt.count({ where: { requestId, trigger: { in: triggers } } })) + 1;
}
