import { EventEmitter } from "node:events";
import type { CaptureSummary, CapturedEvent, EventBus } from "./event-bus";

export interface MemoryEventBusOptions {
  /**
   * Shortest gap between two deliveries on one channel, per listener of that channel, up to
   * maxCoalesceMs. An event after a quiet spell goes out at once; events during a burst wait for
   * the end of the window and go out together. A delivery costs one socket write per subscriber,
   * so the window grows with the subscribers: during a burst the channel's writes per second stay
   * under 1000 / coalesceMsPerListener (100,000 by default, about 0.4 of a core here) whatever the
   * capture rate, while a hundred dashboards wait at most 1 ms and a lone one is not held at all.
   */
  coalesceMsPerListener?: number;
  maxCoalesceMs?: number;
}

interface Channel {
  lastEmitAt: number;
  pending: CaptureSummary[];
  timer: ReturnType<typeof setTimeout> | null;
}

/** The single-process bus: enough when one process serves both capture and WebSocket clients. */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): EventBus {
  const perListener = options.coalesceMsPerListener ?? 0.01;
  const maxCoalesceMs = options.maxCoalesceMs ?? 10;
  const windowFor = (name: string) => Math.min(maxCoalesceMs, emitter.listenerCount(name) * perListener);
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
    const wait = channel.lastEmitAt + windowFor(name) - performance.now();
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
    check: () => Promise.resolve(),
    async close() {
      for (const channel of channels.values()) if (channel.timer) clearTimeout(channel.timer);
      channels.clear();
      emitter.removeAllListeners();
    },
  };
}
