// A separate process of live subscribers, driven by the benchmark over IPC:
//   start  → opens `count` WebSocket subscribers: tRPC `requests.onCapturedBatch` through tRPC's own
//            client, as the dashboard ("trpc"), or speaking tRPC's WebSocket protocol on a bare `ws`
//            socket ("wire": the server's cost without the client library's), or a raw `ws` feed ("raw")
//   ready  ← every subscription confirmed
//   finish → waits (bounded) until every subscriber has seen seq 1..expected
//   result ← latency (receive time − the sender's `t` in the capture's query) and loss counts
// Each subscriber is its own WebSocket connection, like one open dashboard.
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import superjson from "superjson";
import WebSocket from "ws";
import type { AppRouter } from "~/server/trpc/app-router";
import { sleep, summarize, wallClockMs, type LatencySummary } from "./lib/stats";

export interface SubscribersStart {
  type: "start";
  mode: "trpc" | "wire" | "raw";
  /** ws://… of the tRPC endpoint or of the raw broadcast server. */
  wsUrl: string;
  token?: string;
  binId?: string;
  count: number;
  /** Upper bound of events per subscriber (sizes the buffers). */
  capacity: number;
}

export interface SubscribersFinish {
  type: "finish";
  /** Every subscriber must see each seq from 1 to this. */
  expected: number;
  drainMs: number;
}

export interface SubscribersReady {
  type: "ready";
  connectMs: number;
}

export interface SubscribersResult {
  type: "result";
  subscribers: number;
  expected: number;
  /** Events received in total (distinct seqs, summed over subscribers). */
  delivered: number;
  /** Events missing in total: subscribers × expected − delivered. */
  lost: number;
  /** Subscribers that missed at least one event. */
  subscribersMissing: number;
  duplicates: number;
  reconnects: number;
  /** Over the measured (non-warm-up) events of every subscriber. */
  latency: LatencySummary;
  /** Latency samples not kept because the buffer was full (should be 0). */
  droppedSamples: number;
}

interface Summary {
  seq: number;
  query: string;
}

class Tally {
  private seen: Uint8Array;
  distinct = 0;
  duplicates = 0;
  constructor(capacity: number) {
    this.seen = new Uint8Array(capacity + 1);
  }
  /** Returns true the first time a seq is seen. */
  add(seq: number): boolean {
    if (seq >= this.seen.length) {
      const grown = new Uint8Array(Math.max(seq + 1, this.seen.length * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
    if (this.seen[seq]) {
      this.duplicates++;
      return false;
    }
    this.seen[seq] = 1;
    this.distinct++;
    return true;
  }
  countUpTo(expected: number): number {
    let n = 0;
    for (let seq = 1; seq <= expected && seq < this.seen.length; seq++) n += this.seen[seq] ?? 0;
    return n;
  }
}

const SENT_AT = /(?:^|&)t=([0-9.]+)/;
const WARMUP = /(?:^|&)w=1(?:&|$)/;

let latencies = new Float64Array(0);
let latencyCount = 0;
let droppedSamples = 0;
let reconnects = 0;
const tallies: Tally[] = [];
const closers: (() => void)[] = [];

function record(tally: Tally, summary: Summary, receivedAt: number) {
  if (!tally.add(summary.seq)) return;
  if (WARMUP.test(summary.query)) return;
  const sentAt = Number(SENT_AT.exec(summary.query)?.[1]);
  if (!Number.isFinite(sentAt)) return;
  if (latencyCount < latencies.length) latencies[latencyCount++] = receivedAt - sentAt;
  else droppedSamples++;
}

function connectTrpc(start: SubscribersStart, tally: Tally): Promise<void> {
  return new Promise((resolve, reject) => {
    let opened = false;
    const wsClient = createWSClient({
      url: start.wsUrl,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      connectionParams: { token: start.token },
      retryDelayMs: () => 200,
      onClose: () => {
        if (opened) reconnects++;
      },
      onOpen: () => {
        opened = true;
      },
    });
    const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient, transformer: superjson })] });
    const subscription = client.requests.onCapturedBatch.subscribe(
      { binId: start.binId ?? "" },
      {
        onStarted: () => resolve(),
        onData: (event) => {
          const now = wallClockMs();
          for (const summary of event.data) record(tally, summary, now);
        },
        onError: (error) => reject(error),
      },
    );
    closers.push(() => {
      subscription.unsubscribe();
      void wsClient.close();
    });
  });
}

interface WireMessage {
  id?: number | null;
  method?: string;
  result?: { type: string; id?: string; data?: { json?: { id: string; data: Summary[] } } };
  error?: { message?: string };
}

/**
 * tRPC's WebSocket protocol by hand: connection params, one subscription request, then its data
 * messages (`tracked(lastSeq, summaries)` in superjson's `{ json }` form), parsed like the raw
 * feed's. Checks what tRPC's client would: the message is for our request, its id is the batch's
 * last seq.
 */
function connectWire(start: SubscribersStart, tally: Tally): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${start.wsUrl}?connectionParams=1`);
    socket.on("open", () => {
      socket.send(JSON.stringify({ method: "connectionParams", data: { token: start.token } }));
      socket.send(JSON.stringify({ id: 1, method: "subscription", params: { path: "requests.onCapturedBatch", input: { json: { binId: start.binId } } } }));
    });
    socket.on("error", reject);
    socket.on("close", () => reconnects++);
    socket.on("message", (raw: Buffer) => {
      const receivedAt = wallClockMs();
      const message = JSON.parse(raw.toString()) as WireMessage;
      if (message.method === "reconnect") return;
      if (message.id !== 1 || message.error || !message.result) {
        reject(new Error(`unexpected message: ${raw.toString().slice(0, 300)}`));
        return;
      }
      if (message.result.type === "started") resolve();
      if (message.result.type !== "data") return;
      const batch = message.result.data?.json;
      const last = batch?.data.at(-1);
      if (!batch || !last || message.result.id !== String(last.seq) || batch.id !== message.result.id) {
        reject(new Error(`malformed data message: ${raw.toString().slice(0, 300)}`));
        return;
      }
      for (const summary of batch.data) record(tally, summary, receivedAt);
    });
    closers.push(() => {
      socket.removeAllListeners("close");
      socket.close();
    });
  });
}

function connectRaw(start: SubscribersStart, tally: Tally): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(start.wsUrl);
    socket.on("open", () => resolve());
    socket.on("error", reject);
    socket.on("close", () => reconnects++);
    socket.on("message", (raw: Buffer) => {
      const receivedAt = wallClockMs();
      const message = JSON.parse(raw.toString()) as { data: Summary };
      record(tally, message.data, receivedAt);
    });
    closers.push(() => {
      socket.removeAllListeners("close");
      socket.close();
    });
  });
}

async function onStart(start: SubscribersStart) {
  const began = performance.now();
  latencies = new Float64Array(start.count * start.capacity);
  const batch = 50;
  for (let first = 0; first < start.count; first += batch) {
    const pending: Promise<void>[] = [];
    for (let i = first; i < Math.min(start.count, first + batch); i++) {
      const tally = new Tally(start.capacity);
      tallies.push(tally);
      const connect = { trpc: connectTrpc, wire: connectWire, raw: connectRaw }[start.mode];
      pending.push(connect(start, tally));
    }
    await Promise.all(pending);
  }
  reconnects = 0;
  const ready: SubscribersReady = { type: "ready", connectMs: Math.round(performance.now() - began) };
  process.send?.(ready);
}

async function onFinish(finish: SubscribersFinish) {
  const deadline = performance.now() + finish.drainMs;
  const complete = () => tallies.every((tally) => tally.distinct >= finish.expected);
  while (!complete() && performance.now() < deadline) await sleep(20);
  let delivered = 0;
  let subscribersMissing = 0;
  let duplicates = 0;
  for (const tally of tallies) {
    const got = tally.countUpTo(finish.expected);
    delivered += got;
    if (got < finish.expected) subscribersMissing++;
    duplicates += tally.duplicates;
  }
  const result: SubscribersResult = {
    type: "result",
    subscribers: tallies.length,
    expected: finish.expected,
    delivered,
    lost: tallies.length * finish.expected - delivered,
    subscribersMissing,
    duplicates,
    reconnects,
    latency: summarize(latencies, latencyCount),
    droppedSamples,
  };
  for (const close of closers) close();
  process.send?.(result, () => process.exit(0));
}

process.on("message", (message: SubscribersStart | SubscribersFinish) => {
  const run = message.type === "start" ? onStart(message) : onFinish(message);
  run.catch((error: unknown) => {
    process.send?.({ type: "error", message: error instanceof Error ? error.stack ?? error.message : String(error) }, () => process.exit(1));
  });
});
process.on("disconnect", () => process.exit(0));
// A normal exit on the benchmark's stop, so `--cpu-prof` (BENCH_SUBSCRIBERS_NODE_FLAGS) gets written.
process.on("SIGTERM", () => process.exit(0));
