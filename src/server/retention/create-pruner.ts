import type { Db } from "../db/create-db";
import { pruneBins } from "./prune-bins";

export interface Pruner {
  /** Bins over their count: prune them soon (coalesced; never two rounds at once). */
  kick(binIds: string[]): void;
  /** Waits for the round in progress, if any. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs retention off the capture path: count pruning right after a capture round pushes a bin over
 * its limit, age pruning on a timer. One round at a time; kicks during a round are merged into the
 * next one, which bounds a bin at its limit plus what arrives during one round.
 */
export function createPruner(db: Db, options: { ageIntervalMs?: number; onError?: (error: unknown) => void } = {}): Pruner {
  const onError = options.onError ?? ((error: unknown) => console.error("retention pruning failed", error));
  let pending = new Set<string>();
  let ageDue = true;
  let running: Promise<void> | null = null;
  let stopped = false;

  function schedule() {
    if (running || stopped) return;
    running = (async () => {
      while ((pending.size > 0 || ageDue) && !stopped) {
        const binIds = [...pending];
        pending = new Set();
        const byAge = ageDue;
        ageDue = false;
        await pruneBins(db, { binIds, byAge }).catch(onError);
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
      while (running) await running;
    },
  };
}
