// A full disk under SQLite, for real: the database lives on a small tmpfs (mounting needs root, as
// on CI), captures fill it, and the answers must be 507 STORAGE_FULL (not 500), logged once when
// it starts and once when it ends, with capture resuming by itself when space returns.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAppServer, type AppServer } from "../http/create-app-server";
import { createLogger } from "../observability/logger";
import { apiFetchHandler, createTestApp, signUp, type TestApp } from "~/test/test-app";
import { testProvider } from "~/test/test-database";

function mountTmpfs(megabytes: number): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-tmpfs-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", dir], { stdio: "pipe" });
    return dir;
  } catch (error) {
    fs.rmdirSync(dir);
    console.warn(`SKIPPED storage-full.test.ts: cannot mount a tmpfs here (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); run as root`);
    return null;
  }
}

const mount = testProvider() === "sqlite" ? mountTmpfs(6) : null;
type LogLine = { level: number; msg: string; condition?: string; status?: number };

describe.skipIf(mount === null)("SQLite on a full disk", () => {
  const dir = mount ?? "";
  const raw: string[] = [];
  const lines = () => raw.map((line) => JSON.parse(line) as LogLine);
  let testApp: TestApp;
  let server: AppServer;
  let url: string;
  let binUrl: string;

  beforeAll(async () => {
    testApp = await createTestApp({ DATABASE_URL: `file:${path.join(dir, "full.db")}` });
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void raw.push(line) } });
    const listener = getRequestListener(apiFetchHandler(testApp.app), { overrideGlobalObjects: false });
    server = createAppServer(testApp.app, (req: IncomingMessage, res: ServerResponse) => listener(req, res), { logger });
    url = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
    const { cookie } = await signUp(url);
    const created = await fetch(`${url}/api/v1/bins`, { method: "POST", headers: { cookie, origin: url, "content-type": "application/json" }, body: JSON.stringify({ name: "full", slug: "disk-full" }) });
    binUrl = z.object({ url: z.string() }).parse(await created.json()).url;
  });
  afterAll(async () => {
    await server?.close();
    await testApp?.close();
    execFileSync("umount", [dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers 507 STORAGE_FULL once the disk is full, logs it once, and captures again when space returns", async () => {
    // Most of the free space goes to a filler file the test can delete; captures use up the rest.
    const { bavail, bsize } = fs.statfsSync(dir);
    const filler = path.join(dir, "filler");
    fs.writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 1024 * 1024)));
    const body = Buffer.alloc(64 * 1024, 7);
    const statuses: number[] = [];
    let full: Response | undefined;
    for (let i = 0; i < 200 && !full; i++) {
      const response = await fetch(binUrl, { method: "POST", body });
      statuses.push(response.status);
      if (response.status !== 200) full = response;
      else await response.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(full?.status).toBe(507);
    expect(z.object({ error: z.object({ code: z.string() }) }).parse(await full?.json()).error.code).toBe("STORAGE_FULL");
    for (let i = 0; i < 3; i++) {
      const again = await fetch(binUrl, { method: "POST", body });
      expect(again.status).toBe(507);
      await again.arrayBuffer();
    }
    console.log(`storage full: ${statuses.length - 1} captures of 64 KiB stored before the first 507`);

    fs.rmSync(filler);
    const after = await fetch(binUrl, { method: "POST", body: "space again" });
    expect(after.status).toBe(200);

    const started = lines().filter((line) => line.condition === "full" && line.msg.startsWith("storage full"));
    const ended = lines().filter((line) => line.msg === "database condition ended");
    expect(started).toHaveLength(1);
    expect(ended).toHaveLength(1);
    expect(lines().filter((line) => line.status === 500)).toHaveLength(0);
  }, 60_000);
});
