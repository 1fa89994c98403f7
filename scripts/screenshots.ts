// `npm run screenshots`: the README's pictures, from a seeded instance on a temporary database.
import { createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
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

/** A local receiver the replay and auto-forward pictures send to (the server allows 127.0.0.1 here). */
async function startReceiver() {
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(202, { "content-type": "application/json", "x-request-handled-by": "local-dev" });
      res.end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => receiver.close(() => resolve())) };
}

/** A GitHub delivery signed with the bin's secret, then a tampered copy: valid and invalid verdicts. */
async function sendSigned(secret: string) {
  const body = JSON.stringify({ action: "opened", issue: { number: 42, title: "Signature check" } });
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const headers = { "content-type": "application/json", "x-github-event": "issues", "x-hub-signature-256": signature };
  await fetch(`${base}/b/github-app/webhook`, { method: "POST", headers, body: body.replace("42", "43") });
  await fetch(`${base}/b/github-app/webhook`, { method: "POST", headers, body });
}

async function main() {
  process.env.FORWARD_ALLOWED_NETWORKS = "127.0.0.1/32";
  const receiver = await startReceiver();
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
    await page.emulateMedia({ colorScheme: "light" });

    // Replay: the answer at once, and the request's attempts.
    await page.goto(`${base}/bins/stripe-staging`);
    await page.getByTestId("request-list").locator("li").first().getByRole("button").click();
    const inspector = page.getByTestId("request-inspector");
    await inspector.getByRole("button", { name: "Replay…" }).click();
    await inspector.getByLabel("Target URL").fill(`${receiver.url}/webhooks`);
    await inspector.getByRole("button", { name: "Send" }).click();
    await inspector.getByTestId("replay-result").waitFor();
    await inspector.getByTestId("attempts").scrollIntoViewIfNeeded();
    await page.screenshot({ path: "docs/replay-light.png" });

    // Auto-forward settings with a delivered capture, and signature verification.
    await page.goto(`${base}/bins/github-app/settings`);
    const secret = "It's a Secret to Everybody";
    const form = page.getByRole("form", { name: "Signature verification" });
    await form.getByLabel("Scheme").selectOption("github");
    await form.getByLabel("Webhook secret").fill(secret);
    await form.getByRole("button", { name: "Save signature settings" }).click();
    await form.getByRole("status").waitFor();
    await page.getByRole("button", { name: "Add target" }).click();
    await page.getByLabel("URL", { exact: true }).fill(receiver.url);
    await page.getByRole("button", { name: "Save forwards" }).click();
    await page.getByText("Saved.").waitFor();
    await sendSigned(secret);
    await page.reload();
    await page.getByTestId("forward-state").filter({ hasText: "2 delivered" }).waitFor();
    await page.screenshot({ path: "docs/settings-light.png", fullPage: true });
    await page.goto(`${base}/bins/github-app`);
    await page.getByTestId("request-list").locator("li").first().getByRole("button").click();
    await page.getByTestId("signature-section").waitFor();
    await page.screenshot({ path: "docs/signature-light.png" });

    // A phone: the list first, then a request on its own screen.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, storageState: await context.storageState() });
    const phonePage = await phone.newPage();
    await phonePage.goto(`${base}/bins/stripe-staging`);
    await phonePage.getByTestId("request-list").waitFor();
    await phonePage.screenshot({ path: "docs/phone-list.png" });
    await phonePage.getByTestId("request-list").locator("li").first().getByRole("button").click();
    await phonePage.getByTestId("request-inspector").waitFor();
    await phonePage.screenshot({ path: "docs/phone-request.png" });
    console.log("wrote docs/screenshot.png, docs/{bins,inspector}-{light,dark}.png, docs/{replay,settings,signature}-light.png, docs/phone-{list,request}.png");
  } finally {
    await browser.close();
    await stopServer(server);
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
