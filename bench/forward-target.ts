// A webhook receiver for the forwarding benchmark: answers 200 at once and measures, from the
// `t=<send time>` each capture URL carries (appended to the forward URL), how long a capture took
// to arrive here. Controlled over IPC: "reset" and "stats".
import http from "node:http";
import { summarize, wallClockMs, type LatencySummary } from "./lib/stats";

export type TargetStats = { type: "stats"; received: number; unique: number; duplicates: number; latency: LatencySummary };

let latencies: number[] = [];
let seen = new Map<string, number>();
let received = 0;

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received++;
    const query = new URL(req.url ?? "/", "http://target").searchParams;
    const index = query.get("i");
    if (index !== null) seen.set(index, (seen.get(index) ?? 0) + 1);
    const sentAt = Number(query.get("t"));
    if (query.get("w") === "0" && sentAt > 0) latencies.push(wallClockMs() - sentAt);
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok");
  });
});
server.keepAliveTimeout = 65_000;

process.on("message", (message: { type: string }) => {
  if (message.type === "reset") {
    latencies = [];
    seen = new Map();
    received = 0;
    process.send?.({ type: "reset-done" });
  } else if (message.type === "stats") {
    const stats: TargetStats = {
      type: "stats",
      received,
      unique: seen.size,
      duplicates: [...seen.values()].filter((n) => n > 1).length,
      latency: summarize(latencies),
    };
    process.send?.(stats);
  }
});

server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("forward-target listening"));
