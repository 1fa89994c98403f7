// The machine's limit for capture: a minimal `node:http` server that stores every request into
// SQLite with better-sqlite3 — no framework, no ORM — grouping the requests that arrive in one
// event-loop tick into one transaction, and answering each only after that transaction commits.
// It writes WebhookDump's own schema (the same migrations: same `captured_request` layout and
// indexes, same `bin` counters) and the same fields per request, with SQLite's default durability
// (WAL journal, synchronous=FULL), as WebhookDump's own connection has.
//
// Environment: DATABASE_FILE (created and migrated here), PORT, SLUGS (comma-separated bins it creates).
// Prints "baseline-capture listening on <port>" when ready.
import crypto from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";
import { migrateSqlite } from "../src/server/db/migrate-database";

const file = process.env.DATABASE_FILE;
const slugs = (process.env.SLUGS ?? "baseline").split(",");
if (!file) throw new Error("DATABASE_FILE is required");
const MAX_BODY_BYTES = 10 * 1024 * 1024;

migrateSqlite(`file:${file}`);
const db = new Database(file, { timeout: 10_000 });
const iso = (date: Date) => date.toISOString().replace("Z", "+00:00");

/** Collision-resistant ids shaped like the cuids WebhookDump's rows get (25 characters, time first). */
let counter = 0;
function newId(): string {
  counter = (counter + 1) % 1_679_616;
  return `c${Date.now().toString(36).padStart(8, "0")}${counter.toString(36).padStart(4, "0")}${crypto.randomBytes(6).toString("hex")}`;
}

// An owner and the bins, written directly.
const userId = crypto.randomUUID();
db.prepare(`INSERT INTO "user" (id, name, email, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)`).run(
  userId,
  "Baseline",
  `${userId}@example.com`,
  iso(new Date()),
  iso(new Date()),
);
for (const slug of slugs) {
  db.prepare(`INSERT INTO "bin" (id, slug, name, userId, createdAt) VALUES (?, ?, ?, ?, ?)`).run(newId(), slug, slug, userId, iso(new Date()));
}

const findBin = db.prepare<[string], { id: string }>(`SELECT id FROM "bin" WHERE slug = ?`);
const bumpBin = db.prepare<[string, string], { lastSeq: number }>(
  `UPDATE "bin" SET lastSeq = lastSeq + 1, requestCount = requestCount + 1, lastRequestAt = ? WHERE id = ? RETURNING lastSeq`,
);
// Newer schemas also record the status each request was answered with.
const hasResponseStatus = db
  .prepare<[], { name: string }>(`PRAGMA table_info("captured_request")`)
  .all()
  .some((column) => column.name === "responseStatus");
const insertRequest = db.prepare(
  `INSERT INTO "captured_request" (id, binId, seq, method, path, query, headers, body, bodySize, truncated, declaredSize, contentType, ip, receivedAt${hasResponseStatus ? ", responseStatus" : ""})
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?${hasResponseStatus ? ", ?" : ""})`,
);

interface Pending {
  res: http.ServerResponse;
  slug: string;
  method: string;
  path: string;
  query: string;
  headers: string;
  body: Buffer;
  truncated: boolean;
  declaredSize: number | null;
  contentType: string | null;
  ip: string | null;
  receivedAt: Date;
  id?: string;
  status?: number;
}

const store = db.transaction((batch: Pending[]) => {
  for (const request of batch) {
    const bin = findBin.get(request.slug);
    if (!bin) {
      request.status = 404;
      continue;
    }
    const receivedAt = iso(request.receivedAt);
    const seq = bumpBin.get(receivedAt, bin.id)?.lastSeq;
    request.id = newId();
    request.status = request.truncated ? 413 : 200;
    const values: unknown[] = [
      request.id,
      bin.id,
      seq,
      request.method,
      request.path,
      request.query,
      request.headers,
      request.body,
      request.body.length,
      request.truncated ? 1 : 0,
      request.declaredSize,
      request.contentType,
      request.ip,
      receivedAt,
    ];
    if (hasResponseStatus) values.push(request.status);
    insertRequest.run(...values);
  }
});

let queue: Pending[] = [];
function flush() {
  const batch = queue;
  queue = [];
  try {
    store(batch);
  } catch (error) {
    console.error("store failed", error);
    for (const request of batch) request.status = 500;
  }
  for (const request of batch) {
    const answer =
      request.status === 200 || request.status === 413
        ? JSON.stringify({ ok: request.status === 200, id: request.id })
        : JSON.stringify({ error: { code: request.status === 404 ? "BIN_NOT_FOUND" : "INTERNAL" } });
    request.res.writeHead(request.status ?? 500, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(answer),
      ...(request.id ? { "x-webhookdump-request-id": request.id } : {}),
    });
    request.res.end(answer);
  }
}

const CAPTURE_PATH = /^\/b\/([^/?#]+)(\/[^?#]*)?(?:\?([^#]*))?/;

const server = http.createServer((req, res) => {
  const match = CAPTURE_PATH.exec(req.url ?? "/");
  if (!match?.[1]) {
    res.writeHead(404).end();
    return;
  }
  const receivedAt = new Date();
  const pairs: [string, string][] = [];
  let contentType: string | null = null;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? "";
    const value = req.rawHeaders[i + 1] ?? "";
    pairs.push([name, value]);
    if (contentType === null && name.toLowerCase() === "content-type") contentType = value;
  }
  const declared = req.headers["content-length"];
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  req.on("data", (chunk: Buffer) => {
    if (truncated) return;
    if (size + chunk.length > MAX_BODY_BYTES) {
      chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
      size = MAX_BODY_BYTES;
      truncated = true;
      return;
    }
    chunks.push(chunk);
    size += chunk.length;
  });
  req.on("end", () => {
    queue.push({
      res,
      slug: match[1] ?? "",
      method: req.method ?? "GET",
      path: match[2] ?? "/",
      query: match[3] ?? "",
      headers: JSON.stringify(pairs),
      body: Buffer.concat(chunks, size),
      truncated,
      declaredSize: declared === undefined ? null : Number(declared),
      contentType,
      ip: req.socket.remoteAddress ?? null,
      receivedAt,
    });
    // Everything that arrives in this tick goes into one transaction.
    if (queue.length === 1) setImmediate(flush);
  });
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(`baseline-capture listening on ${typeof address === "object" && address ? address.port : ""}`);
});

process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => {
    if (queue.length) flush();
    db.close();
    process.exit(0);
  });
});
