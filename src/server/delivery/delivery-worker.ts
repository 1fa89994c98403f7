import { randomUUID } from "node:crypto";
import { performance, type EventLoopUtilization } from "node:perf_hooks";
import { z } from "zod";
import { buildOutgoingRequest, OutgoingRequestError, parseHostMode } from "~/lib/outgoing-request";
import type { Db } from "../db/create-db";
import type { AttemptEvents } from "./attempt-events";
import { attemptRow } from "./attempts-store";
import { sendRequest, type EgressPolicy } from "./egress";
import { parseTargetRow, TARGET_FIELDS, type ForwardTarget } from "./forward-targets-service";
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
  /**
   * Whether captures are flooding in. While they are and the event loop is saturated, the worker
   * waits between batches, so deliveries take at most about a tenth of the process from capture:
   * they lag behind during a flood and catch up after it (the outbox keeps them).
   */
  capturing?: () => boolean;
  onError?: (error: unknown, what: string) => void;
}

export interface DeliveryWorker {
  /**
   * Look for work now: a capture round queued deliveries for `targetIds`, or a person resumed a
   * target or retried failed deliveries (`release`: forget which targets wait for a retry).
   */
  kick(hint?: { targetIds?: readonly string[]; release?: boolean }): void;
  /** Stops sending: in-flight sends are abandoned (their deliveries stay pending) and leases released. */
  stop(): Promise<void>;
}

const ZPairs = z.array(z.tuple([z.string(), z.string()]));


const DELIVERY_WITH_REQUEST = {
  id: true,
  requestId: true,
  seq: true,
  attempts: true,
  nextAttemptAt: true,
  request: { select: { method: true, path: true, query: true, headers: true, body: true, truncated: true, binId: true } },
} as const;
type DeliveryWithRequest = {
  id: string;
  requestId: string;
  seq: number;
  attempts: number;
  nextAttemptAt: Date;
  request: { method: string; path: string; query: string; headers: string; body: Uint8Array; truncated: boolean; binId: string };
};

const YIELD_ABOVE_UTILIZATION = 0.8;
const YIELD_MS = 100;

/** Deliveries an ordered target reads at once: fewer queries per delivery, yet a pause is seen within a second. */
const ORDERED_BATCH = 20;

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
  // Ordered targets whose head waits for its retry, and until when: a scan passes them over
  // (no lease taken and given back on every capture) until their wake-up.
  const held = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  let scanning: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let kicks = 0;
  let loopUse: EventLoopUtilization = performance.eventLoopUtilization();

  /** Gives way to capture: see `capturing`. */
  async function pace() {
    const used = performance.eventLoopUtilization(loopUse);
    loopUse = performance.eventLoopUtilization();
    if (!options.capturing?.() || used.utilization < YIELD_ABOVE_UTILIZATION) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, YIELD_MS);
      abort.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  function holdUntil(targetId: string, at: number) {
    if (stopped) return;
    const existing = held.get(targetId);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      held.delete(targetId);
      kick();
    }, Math.max(0, at - Date.now()));
    timer.unref();
    held.set(targetId, { at, timer });
  }

  function release(targetId?: string) {
    for (const [id, { timer }] of held) {
      if (targetId !== undefined && id !== targetId) continue;
      clearTimeout(timer);
      held.delete(id);
    }
  }

  function kick(hint?: { targetIds?: readonly string[]; release?: boolean }) {
    kicks++;
    if (stopped) return;
    if (hint?.release) release();
    // Captures for targets whose loops are running read them with their next batch; a target
    // waiting for a retry sends nothing sooner: no scan (a query per capture round) for either.
    if (hint?.targetIds && hint.targetIds.every((id) => active.has(id) || held.has(id))) return;
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
    // Driven by the few target rows; each EXISTS stops at the first due delivery on the index.
    const due = await db.forwardTarget.findMany({
      where: { enabled: true, paused: false, deliveries: { some: { state: "pending", nextAttemptAt: { lte: now } } } },
      select: { id: true },
    });
    for (const { id: targetId } of due) {
      if (stopped || active.has(targetId) || held.has(targetId)) continue;
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

  /** Drops the oldest pending deliveries beyond the cap; true when it dropped any. */
  async function dropOverCap(targetId: string): Promise<boolean> {
    const pending = await db.delivery.count({ where: { targetId, state: "pending" } });
    if (pending <= backlogCap) return false;
    const oldest = await db.delivery.findMany({ where: { targetId, state: "pending" }, orderBy: { seq: "asc" }, take: pending - backlogCap, select: { id: true } });
    await db.delivery.updateMany({
      where: { id: { in: oldest.map((d) => d.id) }, state: "pending" },
      data: { state: "dropped", lastError: `dropped: the target's backlog passed ${backlogCap} pending deliveries`, updatedAt: new Date() },
    });
    return true;
  }

  /**
   * The next deliveries to send, with their requests, in sequence order: for an ordered target
   * the queue's head and those behind it up to the first that is waiting for a retry; otherwise
   * up to `concurrency` that are due.
   */
  async function nextBatch(target: ForwardTarget): Promise<{ due: DeliveryWithRequest[]; wakeAt: Date | null }> {
    const now = new Date();
    if (target.concurrency === 1) {
      const queue = await db.delivery.findMany({ where: { targetId: target.id, state: "pending" }, orderBy: { seq: "asc" }, take: ORDERED_BATCH, select: DELIVERY_WITH_REQUEST });
      const waiting = queue.findIndex((d) => d.nextAttemptAt > now);
      if (waiting === 0) return { due: [], wakeAt: queue[0]?.nextAttemptAt ?? null };
      return { due: waiting === -1 ? queue : queue.slice(0, waiting), wakeAt: null };
    }
    const due = await db.delivery.findMany({
      where: { targetId: target.id, state: "pending", nextAttemptAt: { lte: now } },
      orderBy: { seq: "asc" },
      take: target.concurrency,
      select: DELIVERY_WITH_REQUEST,
    });
    if (due.length > 0) return { due, wakeAt: null };
    const later = await db.delivery.findFirst({ where: { targetId: target.id, state: "pending" }, orderBy: { nextAttemptAt: "asc" }, select: { nextAttemptAt: true } });
    return { due: [], wakeAt: later?.nextAttemptAt ?? null };
  }

  /** The target's settings as they are now; null when it is gone, disabled or paused. */
  async function readTarget(targetId: string): Promise<ForwardTarget | null> {
    const row = await db.forwardTarget.findUnique({ where: { id: targetId }, select: TARGET_FIELDS });
    return row && row.enabled && !row.paused ? parseTargetRow(row) : null;
  }

  async function work(targetId: string, seen: { kicks: number }) {
    let leaseAt = Date.now();
    while (!stopped) {
      await pace();
      seen.kicks = kicks;
      let target = await readTarget(targetId);
      if (!target) return;
      let readAt = Date.now();
      let { due, wakeAt } = await nextBatch(target);
      // Only a full batch can mean a backlog over the cap: counting is skipped on the common path.
      const full = target.concurrency === 1 ? ORDERED_BATCH : target.concurrency;
      if (due.length >= Math.min(full, backlogCap) && (await dropOverCap(targetId))) ({ due, wakeAt } = await nextBatch(target));
      if (due.length === 0) {
        if (wakeAt) holdUntil(targetId, wakeAt.getTime());
        return;
      }
      const settled: Settled[] = [];
      try {
        if (target.concurrency > 1) {
          if (!(await takeLease(targetId))) return;
          leaseAt = Date.now();
          const current = target;
          for (const result of await Promise.all(due.map((delivery) => deliver(current, delivery)))) if (typeof result === "object") settled.push(result);
          continue;
        }
        for (const delivery of due) {
          if (stopped) return;
          // A pause or an edit takes effect within a second, also during a long batch.
          if (Date.now() - readAt > 1_000) {
            target = await readTarget(targetId);
            if (!target) return;
            readAt = Date.now();
          }
          // Renewed well before it could expire during the slowest send (60 s of a 90 s lease).
          if (Date.now() - leaseAt > leaseMs / 3) {
            if (!(await takeLease(targetId))) return;
            leaseAt = Date.now();
          }
          const result = await deliver(target, delivery);
          if (result === "abandoned") return;
          if (result === "not-sent") continue;
          settled.push(result);
          // A delivery that must wait for its retry holds the ones behind it: order is kept.
          if (result.update.state === "pending") break;
        }
      } finally {
        await commit(settled);
      }
    }
  }

  interface Settled {
    deliveryId: string;
    targetId: string;
    attempt: ReturnType<typeof attemptRow>;
    update: { state: "pending" | "delivered" | "failed"; attempts?: number; nextAttemptAt?: Date; lastError: string | null };
  }

  /**
   * Records a batch's attempts and the deliveries' new states in one short transaction: one write
   * per batch rather than per delivery keeps the write lock (SQLite's is per database) mostly free
   * for captures. A crash before it re-sends at most this batch (at-least-once).
   */
  async function commit(settled: Settled[]) {
    if (settled.length === 0) return;
    const now = new Date();
    // Deliveries settled the same way (most often: all delivered on their first attempt) share one UPDATE.
    const groups = new Map<string, { ids: string[]; update: Settled["update"] }>();
    for (const s of settled) {
      const key = JSON.stringify(s.update);
      const group = groups.get(key);
      if (group) group.ids.push(s.deliveryId);
      else groups.set(key, { ids: [s.deliveryId], update: s.update });
    }
    await db.$transaction([
      db.deliveryAttempt.createMany({ data: settled.map((s) => s.attempt.data) }),
      ...[...groups.values()].map(({ ids, update }) => db.delivery.updateMany({ where: { id: { in: ids }, state: "pending" }, data: { ...update, updatedAt: now } })),
    ]);
    for (const s of settled) {
      events.publish(s.attempt.json);
      if (s.update.state === "pending" && s.update.nextAttemptAt) holdUntil(s.targetId, s.update.nextAttemptAt.getTime());
    }
  }

  /**
   * Sends one delivery and says what to record; "not-sent" when it cannot be sent at all (marked
   * failed at once), "abandoned" when shutdown cut it short (it stays pending).
   */
  async function deliver(target: ForwardTarget, delivery: DeliveryWithRequest): Promise<Settled | "not-sent" | "abandoned"> {
    const { request } = delivery;
    let outgoing;
    try {
      outgoing = buildOutgoingRequest(
        { ...request, headers: ZPairs.parse(JSON.parse(request.headers)) },
        { url: target.url, pathMode: target.pathMode, host: parseHostMode(target.host), headers: target.headers, removeHeaders: target.removeHeaders },
      );
    } catch (error) {
      if (!(error instanceof OutgoingRequestError)) throw error;
      await db.delivery.updateMany({ where: { id: delivery.id, state: "pending" }, data: { state: "failed", lastError: `not sent: ${error.message}`, updatedAt: new Date() } });
      return "not-sent";
    }
    outgoing.headers.push(["Via", VIA_MARKER]);
    const outcome = await sendRequest(outgoing, { policy: options.policy, totalTimeoutMs: target.timeoutMs, signal: abort.signal });
    if (stopped) return "abandoned"; // stays pending, sent again after the restart
    const attempts = delivery.attempts + 1;
    const verdict = judgeAttempt(outcome);
    const lastError = outcome.error ? `${outcome.error.code}: ${outcome.error.message}` : outcome.status !== null && verdict !== "delivered" ? `HTTP ${outcome.status}` : null;
    const wait = verdict === "retry" ? nextRetryDelay(attempts, parseRetryAfter(outcome.headers, new Date()), delays, random) : null;
    const update: Settled["update"] =
      verdict === "delivered"
        ? { state: "delivered", attempts, lastError: null }
        : verdict === "failed"
          ? { state: "failed", attempts, lastError }
          : wait === null
            ? { state: "failed", attempts, lastError: `${lastError} (gave up after ${attempts} attempts)` }
            : { state: "pending", attempts, nextAttemptAt: new Date(Date.now() + wait), lastError };
    const attempt = attemptRow({
      requestId: delivery.requestId,
      binId: request.binId,
      trigger: delivery.attempts === 0 ? "auto" : "retry",
      attempt: attempts,
      modified: false,
      deliveryId: delivery.id,
      targetId: target.id,
      outcome,
    });
    return { deliveryId: delivery.id, targetId: target.id, attempt, update };
  }

  kick();
  const poll = setInterval(kick, pollMs);
  poll.unref();

  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(poll);
      release();
      abort.abort();
      await scanning;
      await Promise.all(active.values());
    },
  };
}
