import type { Db } from "../db/create-db";
import type { AttemptEvents } from "./attempt-events";
import { listAttempts, type AttemptJson } from "./attempts-store";

/**
 * A request's attempts as they happen: those after `afterId` from the database first, then each
 * new one, never one twice. Listens before it reads, so nothing recorded in between is missed.
 */
export async function* streamAttempts(
  deps: { db: Db; events: AttemptEvents },
  requestId: string,
  afterId: string | null,
  signal: AbortSignal | undefined,
): AsyncGenerator<AttemptJson> {
  const queue: AttemptJson[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = deps.events.subscribe(requestId, (attempt) => {
    queue.push(attempt);
    wake?.();
  });
  const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
  const seen = new Set<string>();
  try {
    for (const attempt of await listAttempts(deps.db, requestId, afterId ?? undefined)) {
      seen.add(attempt.id);
      yield attempt;
    }
    while (!signal?.aborted) {
      const next = queue.shift();
      if (next) {
        if (seen.has(next.id)) continue;
        seen.add(next.id);
        yield next;
        continue;
      }
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
      wake = null;
    }
  } finally {
    unsubscribe();
  }
}
