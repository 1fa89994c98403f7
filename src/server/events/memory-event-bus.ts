import { EventEmitter } from "node:events";
import type { CaptureSummary, CapturedEvent, EventBus } from "./event-bus";

/** The single-process bus: enough when one process serves both capture and WebSocket clients. */
export function createMemoryEventBus(): EventBus {
  const emitter = new EventEmitter();
  // One listener per open subscription; hundreds of dashboards on one bin are legitimate.
  emitter.setMaxListeners(0);

  const subscribe = (channel: string, listener: (summary: CaptureSummary) => void) => {
    emitter.on(channel, listener);
    return () => {
      emitter.off(channel, listener);
    };
  };

  return {
    publish({ userId, summary }: CapturedEvent) {
      emitter.emit(`bin:${summary.binId}`, summary);
      emitter.emit(`user:${userId}`, summary);
    },
    subscribeBin: (binId, listener) => subscribe(`bin:${binId}`, listener),
    subscribeUser: (userId, listener) => subscribe(`user:${userId}`, listener),
  };
}
