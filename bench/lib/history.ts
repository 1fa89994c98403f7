// History at scale: sequential REST calls against a bin with a long history, timed end to end
// (request written → last byte of the JSON answer) on a keep-alive connection.
import crypto from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";
import { summarize, type LatencySummary } from "./stats";

interface ListAnswer {
  requests: { seq: number; path: string; query: string }[];
  nextCursor: number | null;
}

export function createRestClient(baseUrl: string, token: string) {
  const { hostname, port } = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) =>
    new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
      const began = performance.now();
      const req = http.request({ agent, hostname, port, path, method: "GET", headers: { authorization: `Bearer ${token}` } });
      req.setTimeout(30_000, () => req.destroy(new Error(`GET ${path} timed out`)));
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: performance.now() - began }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });
  return { get, close: () => agent.destroy() };
}

export type RestClient = ReturnType<typeof createRestClient>;

/** `calls` timed calls of `path` after `warmup` untimed ones; `check` validates every answer. */
export async function timeCalls(
  client: RestClient,
  path: string,
  options: { calls: number; warmup: number; check: (answer: ListAnswer) => string | null },
): Promise<LatencySummary> {
  const samples: number[] = [];
  for (let i = 0; i < options.warmup + options.calls; i++) {
    const { status, body, ms } = await client.get(path);
    if (status !== 200) throw new Error(`GET ${path}: HTTP ${status} ${body.slice(0, 300)}`);
    const problem = options.check(JSON.parse(body) as ListAnswer);
    if (problem) throw new Error(`GET ${path}: ${problem}`);
    if (i >= options.warmup) samples.push(ms);
  }
  return summarize(samples);
}

export type { ListAnswer };

/**
 * The floor under one list call: the three statements the endpoint needs (token → user, bin
 * ownership, one page of summaries), run straight on better-sqlite3 in this process, timed the same
 * way. What the HTTP call costs beyond this is the framework stack, not the database.
 */
export function timeSql(
  file: string,
  options: { token: string; userId: string; binId: string; cursor: number | null; limit: number; calls: number; warmup: number },
): LatencySummary {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const token = db.prepare(`SELECT id, userId, lastUsedAt FROM "api_token" WHERE tokenHash = ? LIMIT 1`);
    const bin = db.prepare(`SELECT id FROM "bin" WHERE id = ? AND userId = ? LIMIT 1`);
    const columns = `id, binId, seq, method, path, query, bodySize, truncated, contentType, receivedAt`;
    const page =
      options.cursor === null
        ? db.prepare(`SELECT ${columns} FROM "captured_request" WHERE binId = ? ORDER BY seq DESC LIMIT ?`)
        : db.prepare(`SELECT ${columns} FROM "captured_request" WHERE binId = ? AND seq < ? ORDER BY seq DESC LIMIT ?`);
    const samples: number[] = [];
    for (let i = 0; i < options.warmup + options.calls; i++) {
      const began = performance.now();
      token.get(crypto.createHash("sha256").update(options.token).digest("hex"));
      bin.get(options.binId, options.userId);
      const rows =
        options.cursor === null
          ? page.all(options.binId, options.limit + 1)
          : page.all(options.binId, options.cursor, options.limit + 1);
      if (rows.length !== options.limit + 1) throw new Error(`direct SQL returned ${rows.length} rows`);
      if (i >= options.warmup) samples.push(performance.now() - began);
    }
    return summarize(samples);
  } finally {
    db.close();
  }
}

/**
 * The floor under one text search: the scan the list endpoint runs for `q` (text in the headers'
 * JSON, case-folded, or in the body bytes; newest first; stops at a full page), straight on
 * better-sqlite3. It mirrors src/server/requests/find-filtered-seqs.ts at the time of writing.
 */
export function timeSearchSql(
  file: string,
  options: { binId: string; needle: string; limit: number; calls: number; warmup: number },
): LatencySummary {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const scan = db.prepare(
      `SELECT seq FROM "captured_request" WHERE binId = ? AND (instr(lower(headers), lower(?)) > 0 OR instr(body, ?) > 0) ORDER BY seq DESC LIMIT ?`,
    );
    const samples: number[] = [];
    for (let i = 0; i < options.warmup + options.calls; i++) {
      const began = performance.now();
      const rows = scan.all(options.binId, options.needle, Buffer.from(options.needle), options.limit + 1);
      if (rows.length !== options.limit + 1) throw new Error(`direct search SQL returned ${rows.length} rows`);
      if (i >= options.warmup) samples.push(performance.now() - began);
    }
    return summarize(samples);
  } finally {
    db.close();
  }
}
