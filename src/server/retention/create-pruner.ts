import type { Db } from "../db/create-db";
import { pruneBins, type PruneResult } from "./prune-bins";

/**
 * Runs `round` only if no other instance is pruning; resolves whether it ran. With one instance
 * any round may run; on PostgreSQL an advisory lock decides.
 */
export type PruneLock = (round: () => Promise<void>) => Promise<boolean>;

const alwaysRun: PruneLock = async (round) => {
  await round();
  return true;
};

export interface Pruner {
  /** Bins over their count: prune them soon (coalesced; never two rounds at once). */
  kick(binIds: string[]): void;
  /** Waits for the round in progress, if any. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs retention off the capture path: count pruning right after a capture round pushes a bin over
 * its limit, age pruning on a timer. One round at a time, and with several instances one round at
 * a time across all of them; a round another instance holds the lock for is retried shortly, so a
 * kicked bin is never forgotten. Kicks during a round are merged into the next one, which bounds a
 * bin at its limit plus what arrives during one round.
 */
export function createPruner(
  db: Db,
  options: {
    ageIntervalMs?: number;
    /** How soon to retry when another instance holds the lock. */
    retryMs?: number;
    lock?: PruneLock;
    onPruned?: (result: PruneResult) => void;
    onError?: (error: unknown) => void;
  } = {},
): Pruner {
  const onError = options.onError ?? ((error: unknown) => console.error("retention pruning failed", error));
  const lock = options.lock ?? alwaysRun;
  const retryMs = options.retryMs ?? 1_000;
  let pending = new Set<string>();
  let ageDue = true;
  let running: Promise<void> | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  function schedule() {
    if (running || stopped) return;
    running = (async () => {
      while ((pending.size > 0 || ageDue) && !stopped) {
        const binIds = [...pending];
        pending = new Set();
        const byAge = ageDue;
        ageDue = false;
        const ran = await lock(async () => {
          const result = await pruneBins(db, { binIds, byAge });
          if (result.byAge > 0 || result.byCount > 0) options.onPruned?.(result);
        }).catch((error: unknown) => {
          onError(error);
          return true;
        });
        if (!ran) {
          // Another instance is pruning: give the work back and come back to it.
          for (const id of binIds) pending.add(id);
          ageDue ||= byAge;
          retry ??= setTimeout(() => {
            retry = null;
            schedule();
          }, retryMs);
          retry.unref();
          return;
        }
      }
    })().finally(() => {
      running = null;
    });
  }

  const timer = setInterval(() => {
    ageDue = true;
    schedule();
  }, options.ageIntervalMs ?? 60_000);
  timer.unref();
  setImmediate(schedule);

  return {
    kick(binIds) {
      for (const id of binIds) pending.add(id);
      schedule();
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (retry) clearTimeout(retry);
      while (running) await running;
    },
  };
}
