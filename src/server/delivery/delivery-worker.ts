import { randomUUID } from "node:crypto";
import { z } from "zod";
import { buildOutgoingRequest, OutgoingRequestError, parseHostMode } from "~/lib/outgoing-request";
import type { Db } from "../db/create-db";
import type { AttemptEvents } from "./attempt-events";
import { recordAttempt } from "./attempts-store";
import { sendRequest, type EgressPolicy } from "./egress";
import { parseTargetRow, type ForwardTarget } from "./forward-targets-service";
import { VIA_MARKER } from "./plan-deliveries";
import { judgeAttempt, nextRetryDelay, parseRetryAfter, DEFAULT_RETRY_DELAYS_MS } from "./retry-schedule";

export interface DeliveryWorkerOptions {
  db: Db;
  policy: EgressPolicy;
  events: AttemptEvents;
  /** Names this process in target leases; random by default. */
  instanceId?: string;
  retryDelaysMs?: readonly number[];
  /** How long a target's queue stays this instance's without renewal: longer than the slowest send (60 s). */
  leaseMs?: number;
  /** Other instances' captures and due retries are found at least this often. */
  pollMs?: number;
  /** Pending deliveries a target may hold; beyond it the oldest are dropped (and counted). */
  backlogCap?: number;
  random?: () => number;
  onError?: (error: unknown, what: string) => void;
}

export interface DeliveryWorker {
  /** Look for work now (a capture round queued deliveries). */
  kick(): void;
  /** Stops sending: in-flight sends are abandoned (their deliveries stay pending) and leases released. */
  stop(): Promise<void>;
}

const ZPairs = z.array(z.tuple([z.string(), z.string()]));

const TARGET_SELECT = {
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

const DELIVERY_SELECT = { id: true, requestId: true, seq: true, attempts: true, nextAttemptAt: true } as const;
type DeliveryRow = { id: string; requestId: string; seq: number; attempts: number; nextAttemptAt: Date };

/**
 * Sends the outbox. Each target's queue is worked by one loop on one instance at a time (a lease
 * on the target row, taken with a conditional UPDATE, so PostgreSQL instances never send a
 * delivery twice at once), oldest sequence number first: with concurrency 1 a delivery waiting
 * for its retry holds the ones behind it, so the target sees captures in order.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { db, events } = options;
  const instanceId = options.instanceId ?? randomUUID();
  const leaseMs = options.leaseMs ?? 90_000;
  const pollMs = options.pollMs ?? 1_000;
  const backlogCap = options.backlogCap ?? 10_000;
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const random = options.random ?? Math.random;
  const onError = options.onError ?? ((error: unknown, what: string) => console.error(what, error));
  const abort = new AbortController();
  const active = new Map<string, Promise<void>>();
  // At most one wake-up per target: the earliest one it needs.
  const wakeups = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  let scanning: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let kicks = 0;

  function wakeAtTime(targetId: string, at: number) {
    if (stopped) return;
    const existing = wakeups.get(targetId);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      wakeups.delete(targetId);
      kick();
    }, Math.max(0, at - Date.now()));
    timer.unref();
    wakeups.set(targetId, { at, timer });
  }

  function kick() {
    kicks++;
    if (stopped) return;
    if (scanning) {
      again = true;
      return;
    }
    scanning = scan()
      .catch((error: unknown) => onError(error, "delivery scan failed"))
      .finally(() => {
        scanning = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  async function scan() {
    const now = new Date();
    const due = await db.delivery.findMany({
      where: { state: "pending", nextAttemptAt: { lte: now }, target: { enabled: true, paused: false } },
      distinct: ["targetId"],
      select: { targetId: true },
    });
    for (const { targetId } of due) {
      if (stopped || active.has(targetId)) continue;
      if (!(await takeLease(targetId))) continue;
      const seen = { kicks };
      const loop = work(targetId, seen)
        .catch((error: unknown) => onError(error, "delivering to a forward target failed"))
        .then(() => releaseLease(targetId))
        .catch((error: unknown) => onError(error, "releasing a forward target failed"))
        .finally(() => {
          active.delete(targetId);
          // Captures queued while this loop was deciding it had nothing left: look again.
          if (kicks !== seen.kicks) kick();
        });
      active.set(targetId, loop);
    }
  }

  async function takeLease(targetId: string): Promise<boolean> {
    const now = new Date();
    const { count } = await db.forwardTarget.updateMany({
      where: { id: targetId, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }, { leaseOwner: instanceId }] },
      data: { leaseOwner: instanceId, leaseUntil: new Date(now.getTime() + leaseMs) },
    });
    return count === 1;
  }

  async function releaseLease(targetId: string) {
    await db.forwardTarget.updateMany({ where: { id: targetId, leaseOwner: instanceId }, data: { leaseOwner: null, leaseUntil: null } });
  }

  async function dropOverCap(targetId: string) {
    const pending = await db.delivery.count({ where: { targetId, state: "pending" } });
    if (pending <= backlogCap) return;
    const oldest = await db.delivery.findMany({ where: { targetId, state: "pending" }, orderBy: { seq: "asc" }, take: pending - backlogCap, select: { id: true } });
    await db.delivery.updateMany({
      where: { id: { in: oldest.map((d) => d.id) }, state: "pending" },
      data: { state: "dropped", lastError: `dropped: the target's backlog passed ${backlogCap} pending deliveries`, updatedAt: new Date() },
    });
  }

  async function nextBatch(target: ForwardTarget): Promise<{ due: DeliveryRow[]; wakeAt: Date | null }> {
    const now = new Date();
    if (target.concurrency === 1) {
      const head = await db.delivery.findFirst({ where: { targetId: target.id, state: "pending" }, orderBy: { seq: "asc" }, select: DELIVERY_SELECT });
      if (!head) return { due: [], wakeAt: null };
      return head.nextAttemptAt <= now ? { due: [head], wakeAt: null } : { due: [], wakeAt: head.nextAttemptAt };
    }
    const due = await db.delivery.findMany({
      where: { targetId: target.id, state: "pending", nextAttemptAt: { lte: now } },
      orderBy: { seq: "asc" },
      take: target.concurrency,
      select: DELIVERY_SELECT,
    });
    if (due.length > 0) return { due, wakeAt: null };
    const later = await db.delivery.findFirst({ where: { targetId: target.id, state: "pending" }, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } });
    return { due: [], wakeAt: later?.nextAttemptAt ?? null };
  }

  async function work(targetId: string, seen: { kicks: number }) {
    while (!stopped) {
      seen.kicks = kicks;
      const row = await db.forwardTarget.findUnique({ where: { id: targetId }, select: TARGET_SELECT });
      if (!row || !row.enabled || row.paused) return;
      const target = parseTargetRow(row);
      await dropOverCap(targetId);
      const { due, wakeAt } = await nextBatch(target);
      if (due.length === 0) {
        if (wakeAt) wakeAtTime(targetId, wakeAt.getTime());
        return;
      }
      if (!(await takeLease(targetId))) return; // renewed for this round; lost only if it had expired
      await Promise.all(due.map((delivery) => deliver(target, delivery)));
    }
  }

  async function settle(deliveryId: string, data: { state: "pending" | "delivered" | "failed"; attempts?: number; nextAttemptAt?: Date; lastError?: string | null }) {
    await db.delivery.updateMany({ where: { id: deliveryId, state: "pending" }, data: { ...data, updatedAt: new Date() } });
  }

  async function deliver(target: ForwardTarget, delivery: DeliveryRow) {
    const request = await db.capturedRequest.findUnique({
      where: { id: delivery.requestId },
      select: { method: true, path: true, query: true, headers: true, body: true, truncated: true, binId: true },
    });
    if (!request) return; // deleted meanwhile: its delivery went with it
    let outgoing;
    try {
      outgoing = buildOutgoingRequest(
        { ...request, headers: ZPairs.parse(JSON.parse(request.headers)) },
        { url: target.url, pathMode: target.pathMode, host: parseHostMode(target.host), headers: target.headers, removeHeaders: target.removeHeaders },
      );
    } catch (error) {
      if (!(error instanceof OutgoingRequestError)) throw error;
      await settle(delivery.id, { state: "failed", lastError: `not sent: ${error.message}` });
      return;
    }
    outgoing.headers.push(["Via", VIA_MARKER]);
    const outcome = await sendRequest(outgoing, { policy: options.policy, totalTimeoutMs: target.timeoutMs, signal: abort.signal });
    if (stopped) return; // abandoned by shutdown: stays pending, sent again after the restart
    const attempts = delivery.attempts + 1;
    const attempt = await recordAttempt(db, {
      requestId: delivery.requestId,
      binId: request.binId,
      trigger: delivery.attempts === 0 ? "auto" : "retry",
      attempt: attempts,
      modified: false,
      deliveryId: delivery.id,
      targetId: target.id,
      outcome,
    });
    events.publish(attempt);
    const verdict = judgeAttempt(outcome);
    const lastError = outcome.error ? `${outcome.error.code}: ${outcome.error.message}` : outcome.status !== null && verdict !== "delivered" ? `HTTP ${outcome.status}` : null;
    if (verdict === "delivered") return settle(delivery.id, { state: "delivered", attempts, lastError: null });
    if (verdict === "failed") return settle(delivery.id, { state: "failed", attempts, lastError });
    const wait = nextRetryDelay(attempts, parseRetryAfter(outcome.headers, new Date()), delays, random);
    if (wait === null) return settle(delivery.id, { state: "failed", attempts, lastError: `${lastError} (gave up after ${attempts} attempts)` });
    await settle(delivery.id, { state: "pending", attempts, nextAttemptAt: new Date(Date.now() + wait), lastError });
    wakeAtTime(target.id, Date.now() + wait);
  }

  kick();
  const poll = setInterval(kick, pollMs);
  poll.unref();

  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(poll);
      for (const { timer } of wakeups.values()) clearTimeout(timer);
      wakeups.clear();
      abort.abort();
      await scanning;
      await Promise.all(active.values());
    },
  };
}
