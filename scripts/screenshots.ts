// `npm run screenshots`: the README's pictures, from a seeded instance on a temporary database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { startServer, stopServer } from "../e2e/server-process";

const port = 3177;
const base = `http://127.0.0.1:${port}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-shots-"));
const executablePath = process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

async function seed(page: Page) {
  await page.goto(`${base}/sign-up`);
  await page.getByLabel("Name").fill("Ada");
  await page.getByLabel("Email").fill("ada@example.com");
  await page.getByLabel("Password").fill("correct-horse-battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL(/\/bins$/);
  for (const [name, slug] of [["GitHub app", "github-app"], ["Shopify orders", "shopify-orders"], ["Stripe staging", "stripe-staging"]] as const) {
    await page.goto(`${base}/bins`);
    await page.getByLabel("Name").fill(name);
    await page.getByLabel(/Custom slug/).fill(slug);
    await page.getByRole("button", { name: "Create bin" }).click();
    await page.waitForURL(new RegExp(`/bins/${slug}$`));
  }
  const send = (slug: string, sub: string, init: RequestInit) => fetch(`${base}/b/${slug}${sub}`, init);
  await send("github-app", "/webhook", { method: "POST", headers: { "content-type": "application/json", "x-github-event": "push" }, body: JSON.stringify({ ref: "refs/heads/main", commits: [{ id: "4f2a9c1", message: "Fix flaky test" }] }) });
  await send("shopify-orders", "/orders/create", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id: 820982911946154508, total_price: "199.00" }) });
  await send("stripe-staging", "/hooks", { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]) });
  await send("stripe-staging", "/hooks?attempt=1&attempt=2", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "amount=4200&currency=eur" });
  await send("stripe-staging", "/hooks", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": "t=1795600000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd" },
    body: JSON.stringify({ id: "evt_1QxZ", type: "invoice.paid", data: { object: { amount_paid: 4200, currency: "eur", customer: "cus_R2d2" } } }),
  });
}

async function main() {
  const server = await startServer(port, `file:${path.join(dir, "shots.db")}`);
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    await seed(page);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${base}/bins`);
      await page.getByTestId("bins-list").waitFor();
      await page.screenshot({ path: `docs/bins-${scheme}.png` });
      await page.goto(`${base}/bins/stripe-staging`);
      await page.getByTestId("request-list").locator("li").first().getByRole("button").click();
      await page.getByTestId("request-body").waitFor();
      await page.screenshot({ path: `docs/inspector-${scheme}.png`, fullPage: true });
    }
    fs.copyFileSync("docs/inspector-light.png", "docs/screenshot.png");
    console.log("wrote docs/screenshot.png, docs/bins-{light,dark}.png, docs/inspector-{light,dark}.png");
  } finally {
    await browser.close();
    await stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
