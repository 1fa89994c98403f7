import { expect, test } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";

test("a custom response edited in the UI is what the next sender receives, and its status is listed", async ({ page }) => {
  await signUpThroughUi(page);
  const slug = `answer-${Date.now()}`;
  const captureUrl = await createBinThroughUi(page, "Custom answer", slug);
  await expect(page.getByTestId("bin-rules")).toContainText("keeps the newest 1,000 for 7 days");

  await page.getByTestId("bin-rules").getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Custom").check();
  await page.getByLabel("Status").fill("202");
  await page.getByLabel("Content type").fill("text/plain");
  await page.getByRole("button", { name: "Add header" }).click();
  await page.getByLabel("Header 1 name").fill("X-Handled-By");
  await page.getByLabel("Header 1 value").fill("webhookdump");
  await page.getByLabel("Body (up to 64 KiB)").fill("queued for later");
  await expect(page.getByTestId("response-preview")).toContainText("HTTP/1.1 202 Accepted");
  await expect(page.getByTestId("response-preview")).toContainText("X-Handled-By: webhookdump");
  await page.getByLabel("Keep the newest").fill("500");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  // Bad input gets an error next to its field and saves nothing.
  await page.getByLabel("Status").fill("700");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.locator("#status-error")).toContainText("200-599");

  const response = await fetch(`${captureUrl}/job`, { method: "POST", body: "{}" });
  expect(response.status).toBe(202);
  expect(response.headers.get("x-handled-by")).toBe("webhookdump");
  expect(await response.text()).toBe("queued for later");

  await page.getByRole("link", { name: "Back to requests" }).click();
  await expect(page.getByTestId("bin-rules")).toContainText("keeps the newest 500 for 7 days");
  await expect(page.getByTestId("request-list").locator("li").first()).toContainText("→ 202");
});

test("an HTML response from a bin cannot run script in the app's origin", async ({ page }) => {
  await signUpThroughUi(page);
  const slug = `html-${Date.now()}`;
  await createBinThroughUi(page, "HTML answer", slug);
  const bins = (await (await page.request.get("/api/v1/bins")).json()) as { bins: { id: string; slug: string }[] };
  const bin = bins.bins.find((b) => b.slug === slug);
  expect(bin).toBeDefined();
  const patch = await page.request.patch(`/api/v1/bins/${bin?.id}`, {
    data: {
      response: {
        status: 200,
        contentType: "text/html",
        body: `<html><body><h1 id="h">hello</h1><script>document.getElementById("h").textContent = "script ran"; alert(document.cookie)</script></body></html>`,
      },
    },
  });
  expect(patch.status()).toBe(200);

  let dialogs = 0;
  page.on("dialog", (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  const answer = await page.goto(`/b/${slug}/lure`);
  expect(answer?.headers()["content-security-policy"]).toBe("sandbox");
  await expect(page.locator("#h")).toHaveText("hello");
  expect(dialogs).toBe(0);
});
