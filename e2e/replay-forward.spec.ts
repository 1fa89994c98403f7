import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";

/** A webhook receiver on 127.0.0.1 (the e2e server allows 127.0.0.1/32 as a forward target). */
async function startReceiver(status = 202) {
  const received: { method: string; url: string; headers: string[]; body: Buffer }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.rawHeaders, body: Buffer.concat(chunks) });
      res.writeHead(status, { "content-type": "text/plain", "x-receiver": "local" });
      res.end("thanks from the receiver");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test("a person replays a capture from the inspector and sees what the target answered", async ({ page }) => {
  const receiver = await startReceiver();
  try {
    await signUpThroughUi(page);
    const captureUrl = await createBinThroughUi(page, "Replay me", `replay-${Date.now()}`);
    const body = '{"event":"order.created","id":42}';
    expect((await fetch(`${captureUrl}/orders?x=1`, { method: "POST", headers: { "content-type": "application/json", "x-signature": "abc" }, body })).status).toBe(200);

    await page.getByTestId("request-list").getByRole("button").first().click();
    const inspector = page.getByTestId("request-inspector");
    await inspector.getByRole("button", { name: "Replay…" }).click();
    await inspector.getByLabel("Target URL").fill("not a url");
    await inspector.getByRole("button", { name: "Send" }).click();
    // Bad input is a sentence beside the field, never JSON.
    await expect(inspector.getByText(/absolute http/)).toBeVisible();
    await expect(inspector.getByText(/"code"/)).toHaveCount(0);
    expect(receiver.received).toHaveLength(0);

    await inspector.getByLabel("Target URL").fill(`${receiver.url}/hooks`);
    await inspector.getByRole("button", { name: "Send" }).click();
    await expect(inspector.getByTestId("replay-result")).toContainText("202");
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.url).toBe("/hooks/orders?x=1");
    expect(receiver.received[0]?.body.toString()).toBe(body);
    const attempts = inspector.getByTestId("attempts");
    await expect(attempts).toContainText("Attempts (1)");
    await expect(attempts).toContainText("Replayed");
    await attempts.getByText("Replayed").click();
    await expect(attempts).toContainText("thanks from the receiver");

    // The URL is remembered for this bin; an edited body is marked on the attempt.
    await page.reload();
    await page.getByTestId("request-list").getByRole("button").first().click();
    await inspector.getByRole("button", { name: "Replay…" }).click();
    await expect(inspector.getByLabel("Target URL")).toHaveValue(`${receiver.url}/hooks`);
    await inspector.getByLabel("Edit the body").check();
    await inspector.getByLabel("Body to send").fill('{"edited":true}');
    await inspector.getByRole("button", { name: "Send" }).click();
    await expect(inspector.getByTestId("replay-result")).toContainText("modified");
    await expect(inspector.getByTestId("attempts")).toContainText("Attempts (2)");
    expect(receiver.received[1]?.body.toString()).toBe('{"edited":true}');
  } finally {
    await receiver.close();
  }
});

test("a person sets up auto-forward and sees each capture delivered, live in the inspector", async ({ page }) => {
  const receiver = await startReceiver(200);
  try {
    await signUpThroughUi(page);
    const slug = `forward-${Date.now()}`;
    const captureUrl = await createBinThroughUi(page, "Forward me", slug);
    await page.goto(`/bins/${slug}/settings`);
    await page.getByRole("button", { name: "Add target" }).click();
    await page.getByLabel("URL", { exact: true }).fill("ftp://nope");
    await page.getByRole("button", { name: "Save forwards" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /absolute http/ })).toBeVisible();
    await page.getByLabel("URL", { exact: true }).fill(receiver.url);
    await page.getByRole("button", { name: "Save forwards" }).click();
    await expect(page.getByText("Saved.")).toBeVisible();

    await page.goto(`/bins/${slug}`);
    for (let i = 1; i <= 3; i++) expect((await fetch(`${captureUrl}/n${i}`, { method: "POST", body: `capture ${i}` })).status).toBe(200);
    await expect.poll(() => receiver.received.map((r) => r.body.toString())).toEqual(["capture 1", "capture 2", "capture 3"]);
    await page.getByTestId("request-list").getByRole("button").first().click();
    await expect(page.getByTestId("attempts")).toContainText("Auto-forwarded");

    await page.goto(`/bins/${slug}/settings`);
    await expect(page.getByTestId("forward-state")).toContainText("3 delivered");
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByTestId("forward-state")).toContainText("paused");
  } finally {
    await receiver.close();
  }
});
