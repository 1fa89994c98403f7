import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";

test("a person sets a GitHub secret and sees an old request turn valid; the secret shows only its last 4", async ({ page }) => {
  await signUpThroughUi(page);
  const slug = `signed-${Date.now()}`;
  const captureUrl = await createBinThroughUi(page, "Signed hooks", slug);
  const secret = "It's a Secret to Everybody 7xQ2";
  const body = '{"action":"opened","number":1}';
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const sent = await fetch(captureUrl, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "issues", "x-hub-signature-256": signature }, body });
  expect(sent.status).toBe(200);
  const row = page.getByTestId("request-list").locator("li").first();
  await expect(row).toBeVisible();
  // No settings yet: no badge, no section.
  await expect(row.locator("[data-signature]")).toHaveCount(0);

  await page.getByTestId("bin-rules").getByRole("link", { name: "Settings" }).click();
  const form = page.getByRole("form", { name: "Signature verification" });
  await form.getByLabel("Scheme").selectOption("github");
  await form.getByLabel("Webhook secret").fill(secret);
  await form.getByRole("button", { name: "Save signature settings" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved");
  await expect(form.getByTestId("secret-last4")).toContainText("7xQ2");
  await expect(form.getByLabel("Webhook secret")).toHaveValue("");
  expect(await page.content()).not.toContain(secret);

  await page.getByRole("link", { name: "Back to requests" }).first().click();
  await expect(row.locator("[data-signature]")).toHaveAttribute("data-signature", "valid");
  await row.getByRole("button").click();
  const section = page.getByTestId("signature-section");
  await expect(section).toContainText("ok");
  await expect(section).toContainText("sha256= + hex(HMAC-SHA256(secret, body))");
  await expect(page.getByTestId("signature-received")).toHaveText(signature);

  // A request with one byte changed reads invalid, with the causes and only a prefix of the expected.
  const tampered = await fetch(captureUrl, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body: body.replace("1", "2") });
  expect(tampered.status).toBe(200);
  const newest = page.getByTestId("request-list").locator("li").first();
  await expect(newest.locator("[data-signature]")).toHaveAttribute("data-signature", "invalid");
  await newest.getByRole("button").click();
  await expect(section).toContainText("signature_mismatch");
  await expect(section).toContainText("Usual causes");
  await expect(page.getByTestId("signature-expected")).toContainText("(prefix only)");
});
