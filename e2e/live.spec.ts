import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";
import { startServer, stopServer } from "./server-process";

/** Headless pages are always "visible"; this stands in for the person switching tabs. */
async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((value) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (value ? "hidden" : "visible") });
    Object.defineProperty(document, "hasFocus", { configurable: true, value: () => !value });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

test("a request sent from another page appears at once, highlighted, with the unseen count in the title", async ({ page, context }) => {
  await signUpThroughUi(page);
  const captureUrl = await createBinThroughUi(page, "Live bin");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "live");

  // The person switches to another tab: the dashboard becomes hidden.
  await setHidden(page, true);
  const sender = await context.newPage();
  await sender.goto("/sign-in");
  const status = await sender.evaluate(async (url) => {
    const response = await fetch(`${url}/from-sender?n=1`, { method: "POST", body: "hello from the sender page" });
    return response.status;
  }, captureUrl);
  expect(status).toBe(200);

  const rows = page.getByTestId("request-list").locator("li");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("/from-sender?n=1");
  await expect(rows.first()).toHaveAttribute("data-fresh", "true");
  // The dashboard was in the background while the request arrived.
  await expect(page).toHaveTitle(/^\(1\) Live bin/);
  await setHidden(page, false);
  await expect(page).toHaveTitle(/^Live bin/);
});

test("after a server restart the page reconnects and shows what was captured meanwhile, in order, once", async ({ page, context }) => {
  test.setTimeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-restart-"));
  const databaseUrl = `file:${path.join(dir, "restart.db")}`;
  // Next to the suite's own server (playwright.config.ts picks E2E_PORT).
  const port = Number(process.env.E2E_PORT) + 1;
  let server = await startServer(port, databaseUrl);
  try {
    const base = `http://127.0.0.1:${port}`;
    await signUpThroughUi(page, base);
    const captureUrl = await createBinThroughUi(page, "Restart bin");
    const indicator = page.getByTestId("connection-status");
    await expect(indicator).toHaveAttribute("data-state", "live");
    expect((await fetch(`${captureUrl}/one`, { method: "POST" })).status).toBe(200);
    const rows = page.getByTestId("request-list").locator("li");
    await expect(rows).toHaveCount(1);

    await stopServer(server);
    await expect(indicator).toHaveAttribute("data-state", "reconnecting");
    await context.setOffline(true);
    await expect(indicator).toHaveAttribute("data-state", "offline");
    await context.setOffline(false);

    // While the dashboard's server is down, another instance on the same database captures.
    const other = await startServer(port + 1, databaseUrl);
    const otherUrl = captureUrl.replace(`:${port}/`, `:${port + 1}/`);
    for (const name of ["two", "three", "four"]) {
      expect((await fetch(`${otherUrl}/${name}`, { method: "POST" })).status).toBe(200);
    }
    await stopServer(other);

    server = await startServer(port, databaseUrl);
    await expect(indicator).toHaveAttribute("data-state", "live", { timeout: 30_000 });
    await expect(rows).toHaveCount(4);
    await expect(rows).toContainText(["/four", "/three", "/two", "/one"]);
  } finally {
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
