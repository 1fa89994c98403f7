import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// Debian's Chromium where it exists (Playwright cannot download browsers here); elsewhere
// Playwright's own browser, after `npx playwright install chromium`.
const chromium = process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
// Chosen once in the main process and inherited by the workers (they re-read this file), so
// parallel runs on one machine do not collide on a fixed port.
process.env.E2E_PORT ??= String(20_000 + Math.floor(Math.random() * 20_000));
const port = Number(process.env.E2E_PORT);
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-e2e-"));
const dataDir = process.env.E2E_DATA_DIR;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: process.env.CI ? "line" : "list",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    // The production build, served by the same entry point as `npm start`.
    command: "npx tsx scripts/ensure-build.ts && node --enable-source-maps dist/ws-server.mjs",
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${path.join(dataDir, "e2e.db")}`,
      BETTER_AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-0001",
      AUTH_RATE_LIMIT: "off",
      // One JSON line per request would drown the test output; warnings and errors still show.
      LOG_LEVEL: "warn",
      MAX_BODY_BYTES: String(8 * 1024 * 1024),
      // Replay and auto-forward tests send to receivers on 127.0.0.1, blocked by default.
      FORWARD_ALLOWED_NETWORKS: "127.0.0.1/32",
    },
    stdout: "pipe",
    stderr: "pipe",
  },
});
