import { EventEmitter } from "node:events";
import type { AttemptJson } from "./attempts-store";

/**
 * Tells open inspectors that a request got a new attempt. A hint, like capture events: the
 * subscriber reads the attempts from the database, so a missed hint costs a refresh, not data.
 */
export interface AttemptEvents {
  publish(attempt: AttemptJson): void;
  subscribe(requestId: string, listener: (attempt: AttemptJson) => void): () => void;
}

export function createAttemptEvents(): AttemptEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (attempt) => void emitter.emit(attempt.requestId, attempt),
    subscribe(requestId, listener) {
      emitter.on(requestId, listener);
      return () => void emitter.off(requestId, listener);
    },
  };
}
