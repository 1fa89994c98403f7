// The two load shapes of the benchmark: a closed loop at full speed (autocannon, N connections)
// and an open loop at a steady rate that stamps each request with its send time.
import http from "node:http";
import autocannon from "autocannon";
import { round, sleep, wallClockMs } from "./stats";

/** A JSON body of exactly `bytes` bytes, like a typical webhook delivery. */
export function jsonBody(bytes = 1024): Buffer {
  const head = '{"event":"bench.delivery","id":"evt_0000000001","data":{"pad":"';
  const tail = '"}}';
  const body = head + "x".repeat(bytes - head.length - tail.length) + tail;
  JSON.parse(body);
  return Buffer.from(body);
}

export interface CaptureLoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors + timeouts + non-2xx answers. */
  errors: number;
  ok: number;
  non2xx: number;
  timeouts: number;
  durationS: number;
  /** Request ids from the 2xx answers (`{"ok":true,"id":…}`), to check each was stored. */
  ids: string[];
}

const ID_IN_ANSWER = /"id":"([^"]+)"/;

/** POSTs `body` to `url` over `connections` connections for `durationS` seconds. */
export async function captureLoad(options: {
  url: string;
  body: Buffer;
  connections: number;
  durationS: number;
  collectIds: boolean;
}): Promise<CaptureLoadResult> {
  const ids: string[] = [];
  const result = await autocannon({
    url: options.url,
    method: "POST",
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
    headers: { "content-type": "application/json" },
    body: options.body,
    requests: [
      {
        onResponse: options.collectIds
          ? (status: number, body: string) => {
              if (status >= 200 && status < 300) {
                const id = ID_IN_ANSWER.exec(body)?.[1];
                if (id) ids.push(id);
              }
            }
          : undefined,
      },
    ],
  });
  const ok = result["2xx"];
  return {
    rps: round(ok / result.duration, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    ok,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    durationS: result.duration,
    ids,
  };
}

export interface RateLoadResult {
  sent: number;
  ok: number;
  failed: number;
  achievedRps: number;
}

/**
 * Sends `rate` requests per second for `warmupS + durationS` seconds (open loop: a slow server does
 * not slow the sender). Each capture URL carries `t=<send time in ms>` so a subscriber can compute
 * the delivery latency, and `w=1` during the warm-up, whose events count for loss but not latency.
 */
export async function sendAtRate(options: {
  baseUrl: string;
  capturePath: string;
  rate: number;
  durationS: number;
  warmupS: number;
  body: Buffer;
}): Promise<RateLoadResult> {
  const { hostname, port } = new URL(options.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(options.rate * (options.warmupS + options.durationS));
  const warmupCount = Math.round(options.rate * options.warmupS);
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let settled = 0;
  const requests = new Set<http.ClientRequest>();

  const sendOne = (index: number) => {
    const t = wallClockMs().toFixed(3);
    const req = http.request({
      agent,
      hostname,
      port,
      method: "POST",
      path: `${options.capturePath}?t=${t}&w=${index < warmupCount ? 1 : 0}&i=${index}`,
      headers: { "content-type": "application/json", "content-length": options.body.length },
    });
    requests.add(req);
    const settle = (success: boolean) => {
      requests.delete(req);
      settled++;
      if (success) ok++;
      else failed++;
    };
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => settle((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
    });
    req.on("error", () => settle(false));
    req.end(options.body);
  };

  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * options.rate) / 1000) + 1);
      while (sent < due) sendOne(sent++);
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
    tick();
  });
  const elapsedS = (performance.now() - started) / 1000;
  // Bounded wait for the last answers; what is still unanswered then counts as failed.
  const deadline = performance.now() + 5_000;
  while (settled < sent && performance.now() < deadline) await sleep(10);
  for (const req of requests) req.destroy();
  agent.destroy();
  return { sent, ok, failed: failed + (sent - settled), achievedRps: round(sent / elapsedS, 0) };
}
