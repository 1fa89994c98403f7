import http from "node:http";
import type { CaptureSummary } from "~/server/events/event-bus";
import type { connectWs } from "./ws-client";

export type Tracked = { id: string; data: CaptureSummary };
export type TrackedBatch = { id: string; data: readonly CaptureSummary[] };

/**
 * Subscribes (per capture with onCaptured, the default, or in batches with onCapturedBatch) and
 * resolves `until(n)` once n captures arrived (or rejects on a subscription error). `received`
 * holds the captures in arrival order with the tracked id each came under.
 */
export function subscribeAndCollect(
  ws: ReturnType<typeof connectWs>,
  input: { binId: string; lastEventId?: string | null },
  mode: "each" | "batch" = "each",
) {
  const received: Tracked[] = [];
  const batchIds: string[] = [];
  let waiter: { count: number; resolve: () => void } | null = null;
  let started!: () => void;
  const startedPromise = new Promise<void>((resolve) => (started = resolve));
  let failed!: (error: Error) => void;
  const errorPromise = new Promise<never>((_, reject) => (failed = reject));
  errorPromise.catch(() => undefined);
  const arrived = () => {
    if (waiter && received.length >= waiter.count) waiter.resolve();
  };
  const handlers = { onStarted: () => started(), onError: (error: Error) => failed(error) };
  const subscription =
    mode === "each"
      ? ws.client.requests.onCaptured.subscribe(input, {
          ...handlers,
          onData: (event: Tracked) => {
            received.push(event);
            arrived();
          },
        })
      : ws.client.requests.onCapturedBatch.subscribe(input, {
          ...handlers,
          // Batches are flattened: what matters is every capture once, in order.
          onData: (event: TrackedBatch) => {
            for (const summary of event.data) received.push({ id: String(summary.seq), data: summary });
            batchIds.push(event.id);
            arrived();
          },
        });
  return {
    received,
    batchIds,
    started: startedPromise,
    error: errorPromise,
    until: (count: number) =>
      received.length >= count
        ? Promise.resolve()
        : Promise.race([new Promise<void>((resolve) => (waiter = { count, resolve })), errorPromise]),
    unsubscribe: () => subscription.unsubscribe(),
  };
}

/** One capture on its own connection (pooled keep-alive sockets would outlive a restarted server); resolves the status. */
export function captureOnce(baseUrl: string, slug: string, body: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = http.request(`${baseUrl}/b/${slug}/live`, { method: "POST", agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}
