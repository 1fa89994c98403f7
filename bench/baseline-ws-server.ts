// The machine's limit for live delivery: a raw `ws` broadcast server, no tRPC, no database.
// POST /b/<bin>/<anything> reads the body, numbers it (per bin, from 1), answers 200 and sends every
// connected WebSocket (any path) the same small summary WebhookDump's subscriptions carry. Prints
// "baseline-ws listening on <port>" when ready.
import http from "node:http";
import { WebSocketServer, WebSocket } from "ws";

const port = Number(process.env.PORT ?? 0);
const lastSeq = new Map<string, number>();

const wss = new WebSocketServer({ noServer: true });

const server = http.createServer((req, res) => {
  const url = req.url ?? "/";
  if (!url.startsWith("/b/")) {
    res.writeHead(404).end();
    return;
  }
  let bodySize = 0;
  req.on("data", (chunk: Buffer) => (bodySize += chunk.length));
  req.on("end", () => {
    const binId = url.slice(3).split(/[/?]/, 1)[0] ?? "";
    const seq = (lastSeq.get(binId) ?? 0) + 1;
    lastSeq.set(binId, seq);
    const queryAt = url.indexOf("?");
    const summary = {
      id: `${binId}-${seq}`,
      binId,
      seq,
      method: req.method ?? "GET",
      path: queryAt === -1 ? url : url.slice(0, queryAt),
      query: queryAt === -1 ? "" : url.slice(queryAt + 1),
      bodySize,
      truncated: false,
      contentType: req.headers["content-type"] ?? null,
      receivedAt: new Date().toISOString(),
    };
    const message = JSON.stringify({ id: String(seq), data: summary });
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(message);
    const answer = JSON.stringify({ ok: true, id: summary.id });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
    res.end(answer);
  });
});

server.on("upgrade", (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
});

server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  console.log(`baseline-ws listening on ${typeof address === "object" && address ? address.port : port}`);
});

process.on("SIGTERM", () => {
  for (const client of wss.clients) client.terminate();
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
