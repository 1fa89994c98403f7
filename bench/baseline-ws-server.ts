// The machine's limit for live delivery: a raw `ws` broadcast server, no tRPC, no database.
// POST /b/<bin>/<anything> reads the body, numbers it (per bin, from 1), answers 200 and sends every
// connected WebSocket (any path) the same summary WebhookDump's subscriptions carry: the same
// fields, with ids of the same shapes and lengths (a UUID per request, a 25-character bin id), so
// both sides move the same bytes. Prints "baseline-ws listening on <port>" when ready.
import crypto from "node:crypto";
import http from "node:http";
import { WebSocketServer, WebSocket } from "ws";

const port = Number(process.env.PORT ?? 0);
const lastSeq = new Map<string, number>();
// A stable id per bin slug, shaped like WebhookDump's (cuid: 25 characters).
const binIds = new Map<string, string>();
const binIdOf = (slug: string) => {
  let id = binIds.get(slug);
  if (!id) {
    id = `c${crypto.randomBytes(12).toString("hex")}`;
    binIds.set(slug, id);
  }
  return id;
};

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
    const slug = url.slice(3).split(/[/?]/, 1)[0] ?? "";
    const seq = (lastSeq.get(slug) ?? 0) + 1;
    lastSeq.set(slug, seq);
    const queryAt = url.indexOf("?");
    const pathAfterSlug = (queryAt === -1 ? url : url.slice(0, queryAt)).slice(3 + slug.length) || "/";
    const summary = {
      id: crypto.randomUUID(),
      binId: binIdOf(slug),
      seq,
      method: req.method ?? "GET",
      path: pathAfterSlug,
      query: queryAt === -1 ? "" : url.slice(queryAt + 1),
      bodySize,
      truncated: false,
      contentType: req.headers["content-type"] ?? null,
      receivedAt: new Date().toISOString(),
      responseStatus: 200,
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
