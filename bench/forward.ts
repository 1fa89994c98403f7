// The forwarding section of `npm run bench` (issue: replay and auto-forward):
//   1. capture throughput with one auto-forward target beside forwarding off, and with a dead
//      target (a closed port), same server, same load, interleaved (off, on, dead, off, on, dead…);
//   2. capture-to-delivered latency at a steady rate, WebhookDump's auto-forward beside a raw
//      node:http relay that re-sends each request as it arrives (bench/baseline-relay.ts).
import path from "node:path";
import { captureLoad, jsonBody, sendAtRate } from "./lib/load";
import { freePort, request, spawnNode, type NodeChild } from "./lib/processes";
import { round, sleep, type LatencySummary } from "./lib/stats";
import { createBin, setUpAccount, startWebhookDump } from "./lib/webhookdump";
import type { TargetStats } from "./forward-target";

export interface ForwardConfig {
  capture: { connections: number; durationS: number; warmupS: number; bodyBytes: number; pairs: number };
  latency: { rate: number; durationS: number; warmupS: number };
}

export interface ForwardDeliveryRun {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  sent: number;
  ok: number;
  delivered: number;
  duplicates: number;
  /** Captures answered 2xx that never reached the target (waited for up to 30 s). */
  lost: number;
}

export interface ForwardResults {
  connections: number;
  durationS: number;
  /** Capture req/s per run, in the order they ran. */
  offRps: number[];
  onRps: number[];
  deadRps: number[];
  /** Medians of the interleaved runs, and on/off, dead/off of those medians. */
  offMedianRps: number;
  onMedianRps: number;
  deadMedianRps: number;
  onRatio: number;
  deadRatio: number;
  captureErrors: number;
  ratePerSec: number;
  webhookdump: ForwardDeliveryRun;
  relay: ForwardDeliveryRun;
  /** WebhookDump's capture-to-delivered p99 ÷ the relay's. */
  latencyRatio: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function patchForwards(baseUrl: string, token: string, binId: string, url: string) {
  const response = await fetch(`${baseUrl}/api/v1/bins/${binId}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ forwards: [{ url }] }),
  });
  if (!response.ok) throw new Error(`setting forwards: HTTP ${response.status} ${await response.text()}`);
}

async function targetStats(target: NodeChild): Promise<TargetStats> {
  return request<TargetStats>(target, { type: "stats" }, "stats", 10_000);
}

/** Waits (bounded) until the target has `count` distinct captures, then reads its statistics. */
async function collect(target: NodeChild, count: number, maxWaitMs: number): Promise<TargetStats> {
  const deadline = performance.now() + maxWaitMs;
  let stats = await targetStats(target);
  while (stats.unique < count && performance.now() < deadline) {
    await sleep(100);
    stats = await targetStats(target);
  }
  return stats;
}

function deliveryRun(load: { sent: number; ok: number }, stats: TargetStats, latency: LatencySummary): ForwardDeliveryRun {
  return {
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    maxMs: latency.maxMs,
    sent: load.sent,
    ok: load.ok,
    delivered: stats.unique,
    duplicates: stats.duplicates,
    lost: Math.max(0, load.ok - stats.unique),
  };
}

export async function forwardSection(options: { appDir: string; tmp: string; config: ForwardConfig; log: (message: string) => void }): Promise<ForwardResults> {
  const { appDir, tmp, config, log } = options;
  const targetPort = await freePort();
  const target = spawnNode("bench/forward-target.ts", [], { env: { PORT: String(targetPort) }, ipc: true });
  await target.waitFor("forward-target listening", 30_000);
  const targetUrl = `http://127.0.0.1:${targetPort}`;
  const deadUrl = `http://127.0.0.1:${await freePort()}`; // nothing listens there: every attempt is refused
  const server = await startWebhookDump(appDir, path.join(tmp, "forward.db"), {
    // Loopback targets only, and a dead target's retries spread beyond the run.
    env: { FORWARD_ALLOWED_NETWORKS: "127.0.0.1/32", FORWARD_RETRY_DELAYS: "30s,1m" },
  });
  try {
    const { token } = await setUpAccount(server.baseUrl);
    const body = jsonBody(config.capture.bodyBytes);
    const { connections, durationS, warmupS, pairs } = config.capture;

    // --- 1. capture throughput: off, on, dead, interleaved -----------------------------------
    const bins = {
      off: await createBin(server.baseUrl, token, "forward-off"),
      on: await createBin(server.baseUrl, token, "forward-on"),
      dead: await createBin(server.baseUrl, token, "forward-dead"),
    };
    await patchForwards(server.baseUrl, token, bins.on.id, targetUrl);
    await patchForwards(server.baseUrl, token, bins.dead.id, deadUrl);
    log(`forward: warming up ${warmupS} s`);
    await captureLoad({ url: `${server.baseUrl}/b/${bins.off.slug}/warm`, body, connections, durationS: warmupS, collectIds: false });
    const rps = { off: [] as number[], on: [] as number[], dead: [] as number[] };
    let captureErrors = 0;
    for (let pair = 0; pair < pairs; pair++) {
      for (const kind of ["off", "on", "dead"] as const) {
        const load = await captureLoad({ url: `${server.baseUrl}/b/${bins[kind].slug}/hook`, body, connections, durationS, collectIds: false });
        rps[kind].push(load.rps);
        captureErrors += load.errors;
        log(`forward: capture with forwarding ${kind}: ${load.rps} req/s, errors ${load.errors}`);
      }
    }
    // The deliveries the throughput runs queued are not part of the latency run: stop sending them.
    await patchForwards(server.baseUrl, token, bins.on.id, deadUrl);

    // --- 2. capture-to-delivered latency, WebhookDump then the relay ---------------------------
    const { rate, durationS: latencyS, warmupS: latencyWarmupS } = config.latency;
    const latencyBin = await createBin(server.baseUrl, token, "forward-latency");
    await patchForwards(server.baseUrl, token, latencyBin.id, targetUrl);
    await request(target, { type: "reset" }, "reset-done", 10_000);
    log(`forward: WebhookDump auto-forward at ${rate}/s for ${latencyS} s`);
    const wdLoad = await sendAtRate({ baseUrl: server.baseUrl, capturePath: `/b/${latencyBin.slug}/lat`, rate, durationS: latencyS, warmupS: latencyWarmupS, body });
    const wdStats = await collect(target, wdLoad.ok, 30_000);
    const webhookdump = deliveryRun(wdLoad, wdStats, wdStats.latency);
    log(`forward: WebhookDump p50 ${webhookdump.p50Ms} ms, p99 ${webhookdump.p99Ms} ms, delivered ${webhookdump.delivered}/${webhookdump.ok}, duplicates ${webhookdump.duplicates}`);
    await server.stop();

    const relayPort = await freePort();
    const relay = spawnNode("bench/baseline-relay.ts", [], { env: { PORT: String(relayPort), TARGET_URL: targetUrl } });
    await relay.waitFor("baseline-relay listening", 30_000);
    await request(target, { type: "reset" }, "reset-done", 10_000);
    log(`forward: raw relay at ${rate}/s for ${latencyS} s`);
    const relayLoad = await sendAtRate({ baseUrl: `http://127.0.0.1:${relayPort}`, capturePath: "/b/relay/lat", rate, durationS: latencyS, warmupS: latencyWarmupS, body });
    const relayStats = await collect(target, relayLoad.ok, 30_000);
    const relayRun = deliveryRun(relayLoad, relayStats, relayStats.latency);
    log(`forward: relay p50 ${relayRun.p50Ms} ms, p99 ${relayRun.p99Ms} ms, delivered ${relayRun.delivered}/${relayRun.ok}`);
    await relay.stop();

    const offMedianRps = median(rps.off);
    return {
      connections,
      durationS,
      offRps: rps.off,
      onRps: rps.on,
      deadRps: rps.dead,
      offMedianRps,
      onMedianRps: median(rps.on),
      deadMedianRps: median(rps.dead),
      onRatio: round(median(rps.on) / offMedianRps, 3),
      deadRatio: round(median(rps.dead) / offMedianRps, 3),
      captureErrors,
      ratePerSec: rate,
      webhookdump,
      relay: relayRun,
      latencyRatio: round(webhookdump.p99Ms / relayRun.p99Ms, 2),
    };
  } finally {
    await server.stop();
    await target.stop();
  }
}
