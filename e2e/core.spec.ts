import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";

test("signed-out visitors are sent to sign in", async ({ page }) => {
  await page.goto("/bins");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: "Sign in to WebhookDump" })).toBeVisible();
});

test("sign-up and sign-in errors appear next to the field", async ({ page }) => {
  const email = await signUpThroughUi(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct-horse-battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.locator("#email-error")).toContainText("already exists");

  await page.getByLabel("Password").fill("short");
  await page.getByLabel("Email").fill(`other-${email}`);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.locator("#password-error")).toContainText("at least 8 characters");

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#password-error")).toContainText("Wrong email or password");

  await page.getByLabel("Password").fill("correct-horse-battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/bins$/);
});

test("a captured request is listed, inspected and downloaded byte for byte", async ({ page }) => {
  await signUpThroughUi(page);
  const slug = `e2e-${Date.now()}`;
  const captureUrl = await createBinThroughUi(page, "Stripe staging", slug);
  expect(captureUrl).toMatch(new RegExp(`/b/${slug}$`));
  await expect(page.getByText("No requests yet.")).toBeVisible();

  const json = { type: "invoice.paid", data: { amount: 4200, note: "<script>alert(1)</script>" } };
  const jsonResponse = await fetch(`${captureUrl}/events?source=stripe&source=retry`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=abc" },
    body: JSON.stringify(json),
  });
  expect(jsonResponse.status).toBe(200);
  const binary = Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x7f, 0x80, 0x0a, 0x0d]);
  const binaryResponse = await fetch(`${captureUrl}/upload`, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream" },
    body: binary,
  });
  expect(binaryResponse.status).toBe(200);

  // No reload: both arrive through the live subscription.
  const list = page.getByTestId("request-list");
  await expect(list.getByRole("button")).toHaveCount(2);
  await expect(list.getByRole("button").first()).toContainText("PUT");
  await expect(list.getByRole("button").nth(1)).toContainText("/events?source=stripe&source=retry");

  await list.getByRole("button").nth(1).click();
  const inspector = page.getByTestId("request-inspector");
  await expect(inspector.getByRole("cell", { name: "t=1,v1=abc" })).toBeVisible();
  await expect(inspector.getByRole("tab", { name: "JSON", selected: true })).toBeVisible();
  await expect(page.getByTestId("json-tree")).toContainText('"amount": 4200,');
  await inspector.getByRole("tab", { name: "Raw" }).click();
  await expect(page.getByTestId("request-body")).toHaveText(JSON.stringify(json));
  // Hostile content is text: the script tag is shown, not run.
  await expect(page.getByTestId("request-body")).toContainText("<script>alert(1)</script>");

  await list.getByRole("button").first().click();
  await expect(page.getByTestId("request-body")).toContainText("00000000  00 01 fe ff 7f 80 0a 0d");
  const [download] = await Promise.all([page.waitForEvent("download"), inspector.getByRole("link", { name: "Download", exact: true }).click()]);
  const file = await download.path();
  expect(fs.readFileSync(file).equals(binary)).toBe(true);
});

test("a multi-MiB body opens at once from a preview and completes, byte for byte", async ({ page }) => {
  await signUpThroughUi(page);
  const captureUrl = await createBinThroughUi(page, "Big body", `big-${Date.now()}`);
  const line = "0123456789abcdef".repeat(4) + "\n";
  const body = Buffer.from(line.repeat(Math.ceil((3 * 1024 * 1024) / line.length)));
  expect((await fetch(`${captureUrl}/large`, { method: "POST", headers: { "content-type": "text/plain" }, body })).status).toBe(200);

  const list = page.getByTestId("request-list");
  await list.getByRole("button").first().click();
  const inspector = page.getByTestId("request-inspector");
  await expect(inspector.getByText("3.0 MiB").first()).toBeVisible();
  // The preview note goes once the rest has arrived; the copy-as panel waits for the whole body.
  await expect(page.getByTestId("body-preview-note")).toHaveCount(0);
  await expect(page.getByTestId("request-body")).toContainText("0123456789abcdef");
  const [download] = await Promise.all([page.waitForEvent("download"), inspector.getByRole("link", { name: "Download" }).first().click()]);
  expect(fs.readFileSync(await download.path()).equals(body)).toBe(true);
});
