// `npm run db:backup` under capture load: every capture acknowledged before the backup started is
// in the copy, and the copy, restored as a server's database, serves them.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { testProvider } from "~/test/test-database";
import { backupSqlite, BackupError } from "./backup-sqlite";

const run = promisify(execFile);
const ZCaptured = z.object({ id: z.string() });

describe.skipIf(testProvider() !== "sqlite")("SQLite backups", () => {
  let server: TestServer;
  let binUrl: string;
  let out: string;
  const databaseUrl = () => `file:${path.join(server.dir, "test.db")}`;

  beforeAll(async () => {
    server = await startTestServer();
    const { cookie } = await signUp(server.url);
    const created = await fetch(`${server.url}/api/v1/bins`, { method: "POST", headers: { cookie, origin: server.url, "content-type": "application/json" }, body: JSON.stringify({ name: "backup", slug: "backup-under-load" }) });
    binUrl = z.object({ url: z.string() }).parse(await created.json()).url;
    out = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-backup-"));
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it("copies, under capture load, every request acknowledged before it started; the copy restores and serves them", async () => {
    const acknowledged: { id: string; at: number }[] = [];
    let sending = true;
    const sender = async (n: number) => {
      for (let i = 0; sending; i++) {
        const response = await fetch(`${binUrl}/s${n}?i=${i}`, { method: "POST", body: `{"sender":${n},"i":${i},"pad":"${"x".repeat(2000)}"}` });
        acknowledged.push({ id: ZCaptured.parse(await response.json()).id, at: performance.now() });
      }
    };
    const senders = Array.from({ length: 8 }, (_, n) => sender(n));
    while (acknowledged.length < 300) await new Promise((resolve) => setImmediate(resolve));

    const startedAt = performance.now();
    const before = acknowledged.filter((a) => a.at <= startedAt).map((a) => a.id);
    const result = await backupSqlite(databaseUrl(), path.join(out, "copy.db"));
    const acknowledgedDuring = acknowledged.filter((a) => a.at > startedAt).length;
    sending = false;
    await Promise.all(senders);

    const copy = new Database(result.file, { readonly: true });
    const ids = new Set(copy.prepare<[], { id: string }>(`SELECT id FROM "captured_request"`).all().map((row) => row.id));
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();
    expect(before.length).toBeGreaterThanOrEqual(300);
    expect(before.filter((id) => !ids.has(id))).toEqual([]);
    console.log(`backup: ${before.length} acknowledged before, ${acknowledgedDuring} during its ${result.ms} ms, ${ids.size} in the copy (${result.bytes} bytes)`);

    // Restore: the copy becomes a fresh server's database file.
    const restoredDir = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-restored-"));
    fs.copyFileSync(result.file, path.join(restoredDir, "test.db"));
    const restored = await startTestServer({}, { dir: restoredDir });
    try {
      const stored = await restored.app.db.capturedRequest.count({ where: { id: { in: before } } });
      expect(stored).toBe(before.length);
      // It serves captures again, numbering on from the copy's last sequence number.
      const next = await fetch(`${restored.url}/b/backup-under-load`, { method: "POST", body: "after restore" });
      expect(next.status).toBe(200);
    } finally {
      await restored.close();
      fs.rmSync(restoredDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("refuses to overwrite an existing file without force, and a PostgreSQL URL, each with a clear message", async () => {
    const target = path.join(out, "exists.db");
    fs.writeFileSync(target, "keep me");
    await expect(backupSqlite(databaseUrl(), target)).rejects.toThrow(/exists already; pass --force/);
    expect(fs.readFileSync(target, "utf8")).toBe("keep me");
    await backupSqlite(databaseUrl(), target, { force: true });
    expect(fs.readFileSync(target).subarray(0, 15).toString()).toBe("SQLite format 3");
    await expect(backupSqlite("postgres://u:p@127.0.0.1:5432/x", target)).rejects.toThrow(BackupError);
    await expect(backupSqlite(databaseUrl(), path.join(out, "no-such-dir", "x.db"))).rejects.toThrow(/does not exist/);
  });

  it("npm run db:backup writes the copy and refuses to overwrite it on a second run", async () => {
    const target = path.join(out, "cli.db");
    const env = { ...process.env, DATABASE_URL: databaseUrl() };
    const first = await run("npx", ["tsx", "scripts/db-backup.ts", target], { env });
    expect(first.stdout).toMatch(/^Backed up \d+ pages \(\d+ bytes\) to /);
    const second = await run("npx", ["tsx", "scripts/db-backup.ts", target], { env }).then(
      () => null,
      (error: unknown) => z.object({ code: z.number(), stderr: z.string() }).parse(error),
    );
    expect(second?.code).toBe(1);
    expect(second?.stderr).toContain("exists already; pass --force to overwrite it.");
  }, 60_000);
});
