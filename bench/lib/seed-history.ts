// A bin with a long history, written straight into a migrated SQLite file before the server
// starts: one transaction, prepared statements, small bodies. Rows look like real captures.
// `searchMatches` rows spread evenly over the newest `searchWindow` rows (the newest one first, the
// oldest near the window's far end) contain `needle` in their path, query and body: a search for it
// that fills a page of `searchMatches - 1` results (and looks one further, to know whether there is
// a next page) reads through the whole window and no further.
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { migrateSqlite } from "../../src/server/db/migrate-database";

export interface SeededHistory {
  binId: string;
  userId: string;
  slug: string;
  token: string;
  rows: number;
  needle: string;
  matches: number;
  seconds: number;
}

export function seedHistory(file: string, options: { rows: number; searchWindow: number; searchMatches: number }): SeededHistory {
  const began = performance.now();
  migrateSqlite(`file:${file}`);
  const db = new Database(file);
  db.pragma("synchronous = OFF");
  const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
  const now = Date.now();
  const stamp = now.toString(36).padStart(8, "0");
  const id = (kind: string, n: number) => `c${stamp}${kind}${n.toString(36).padStart(12, "0")}`;

  const userId = crypto.randomUUID();
  const binId = id("b", 0);
  const slug = `history-${crypto.randomBytes(4).toString("hex")}`;
  const token = `whd_${crypto.randomBytes(32).toString("base64url")}`;
  const needle = `needle${crypto.randomBytes(3).toString("hex")}`;
  const stride = Math.max(1, Math.floor((options.searchWindow - 1) / Math.max(1, options.searchMatches - 1)));
  const oldestMatch = options.rows - (options.searchMatches - 1) * stride;

  const headers = JSON.stringify([
    ["Host", "127.0.0.1"],
    ["User-Agent", "bench-seed/1"],
    ["Content-Type", "application/json"],
    ["Content-Length", "64"],
  ]);
  const insert = db.prepare(
    `INSERT INTO "captured_request" (id, binId, seq, method, path, query, headers, body, bodySize, truncated, declaredSize, contentType, ip, receivedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 'application/json', '127.0.0.1', ?)`,
  );
  let matches = 0;
  // One row per 50 ms of history, ending now.
  const firstAt = now - options.rows * 50;

  db.transaction(() => {
    db.prepare(`INSERT INTO "user" (id, name, email, createdAt, updatedAt) VALUES (?, 'Bench', ?, ?, ?)`).run(
      userId,
      `${userId}@example.com`,
      iso(now),
      iso(now),
    );
    db.prepare(`INSERT INTO "bin" (id, slug, name, userId, createdAt, lastSeq, requestCount, lastRequestAt) VALUES (?, ?, 'History', ?, ?, ?, ?, ?)`).run(
      binId,
      slug,
      userId,
      iso(firstAt),
      options.rows,
      options.rows,
      iso(firstAt + options.rows * 50),
    );
    db.prepare(`INSERT INTO "api_token" (id, userId, name, tokenHash, prefix, createdAt) VALUES (?, ?, 'bench', ?, ?, ?)`).run(
      id("t", 0),
      userId,
      crypto.createHash("sha256").update(token).digest("hex"),
      token.slice(0, 10),
      iso(now),
    );
    for (let seq = 1; seq <= options.rows; seq++) {
      const match = seq >= oldestMatch && (options.rows - seq) % stride === 0;
      if (match) matches++;
      const body = Buffer.from(
        match
          ? `{"event":"order.paid","n":${seq},"note":"${needle}"}`
          : `{"event":"order.created","n":${seq},"customer":"cus_${(seq * 7919) % 100_000}"}`,
      );
      insert.run(
        id("r", seq),
        binId,
        seq,
        "POST",
        match ? `/hooks/${needle}` : "/hooks/orders",
        match ? `n=${seq}&tag=${needle}` : `n=${seq}`,
        headers,
        body,
        body.length,
        body.length,
        iso(firstAt + seq * 50),
      );
    }
  })();
  // Bins have retention rules (newest N, max age, rate limit) where the schema has them: this one
  // keeps everything, like the bins the benchmark creates through the API.
  const binColumns = new Set(db.prepare<[], { name: string }>(`PRAGMA table_info("bin")`).all().map((column) => column.name));
  const keepAll: [string, number][] = [
    ["maxRequests", options.rows],
    ["retentionDays", 0],
    ["rateLimitPerMinute", 0],
  ];
  for (const [column, value] of keepAll) {
    if (binColumns.has(column)) db.prepare(`UPDATE "bin" SET "${column}" = ? WHERE id = ?`).run(value, binId);
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return { binId, userId, slug, token, rows: options.rows, needle, matches, seconds: (performance.now() - began) / 1000 };
}
