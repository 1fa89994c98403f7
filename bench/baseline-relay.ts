// The forwarding benchmark's baseline: a raw node:http relay that answers each request at once
// and re-sends it, as it arrives, to TARGET_URL + its path after /b/<slug> + its query (keep-alive,
// no storage, no ordering, no retries): the least any forwarder can cost on this machine.
import http from "node:http";

const target = new URL(process.env.TARGET_URL ?? "http://127.0.0.1:1");
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host"]);

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
    const body = Buffer.concat(chunks);
    const rest = (req.url ?? "/").replace(/^\/b\/[^/?]+/, "");
    const headers: Record<string, string> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] ?? "";
      if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = req.rawHeaders[i + 1] ?? "";
    }
    headers["content-length"] = String(body.length);
    const out = http.request({ agent, hostname: target.hostname, port: target.port, method: req.method, path: rest.startsWith("/") ? rest : `/${rest}`, headers });
    out.on("response", (answer) => answer.resume());
    out.on("error", () => undefined);
    out.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("baseline-relay listening"));
