import { EventEmitter } from "node:events";
import type { CaptureSummary, CapturedEvent, EventBus } from "./event-bus";

export interface MemoryEventBusOptions {
  /**
   * Shortest gap between two deliveries on one channel. An event after a quiet spell goes out at
   * once; events during a burst wait for the end of the window and go out together. That caps
   * messages per subscriber at 1000/coalesceMs per second, whatever the capture rate, which is
   * what keeps a hundred dashboards on one busy bin within milliseconds.
   */
  coalesceMs?: number;
}

interface Channel {
  lastEmitAt: number;
  pending: CaptureSummary[];
  timer: ReturnType<typeof setTimeout> | null;
}

/** The single-process bus: enough when one process serves both capture and WebSocket clients. */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): EventBus {
  const coalesceMs = options.coalesceMs ?? 5;
  const emitter = new EventEmitter();
  // One listener per open subscription; hundreds of dashboards on one bin are legitimate.
  emitter.setMaxListeners(0);
  const channels = new Map<string, Channel>();

  const flush = (name: string, channel: Channel) => {
    const summaries = channel.pending;
    channel.pending = [];
    channel.timer = null;
    channel.lastEmitAt = performance.now();
    if (summaries.length > 0) emitter.emit(name, summaries);
    if (emitter.listenerCount(name) === 0) channels.delete(name);
  };

  const deliver = (name: string, summaries: CaptureSummary[]) => {
    if (emitter.listenerCount(name) === 0) return;
    let channel = channels.get(name);
    if (!channel) {
      channel = { lastEmitAt: -Infinity, pending: [], timer: null };
      channels.set(name, channel);
    }
    channel.pending.push(...summaries);
    if (channel.timer) return;
    const wait = channel.lastEmitAt + coalesceMs - performance.now();
    if (wait <= 0) flush(name, channel);
    else {
      const scheduled = channel;
      channel.timer = setTimeout(() => flush(name, scheduled), wait);
    }
  };

  const subscribe = (name: string, listener: (summaries: readonly CaptureSummary[]) => void) => {
    emitter.on(name, listener);
    return () => {
      emitter.off(name, listener);
    };
  };

  return {
    publish(events: CapturedEvent[]) {
      const byChannel = new Map<string, CaptureSummary[]>();
      const add = (name: string, summary: CaptureSummary) => {
        const list = byChannel.get(name);
        if (list) list.push(summary);
        else byChannel.set(name, [summary]);
      };
      for (const { userId, summary } of events) {
        add(`bin:${summary.binId}`, summary);
        add(`user:${userId}`, summary);
      }
      for (const [name, summaries] of byChannel) deliver(name, summaries);
    },
    subscribeBin: (binId, listener) => subscribe(`bin:${binId}`, listener),
    subscribeUser: (userId, listener) => subscribe(`user:${userId}`, listener),
  };
}
