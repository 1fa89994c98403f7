import { expect, test } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";

async function send(url: string, init: RequestInit) {
  const response = await fetch(url, init);
  expect(response.status).toBe(200);
}

test("search and filters narrow the list, live in the URL, survive a reload and follow live captures", async ({ page }) => {
  await signUpThroughUi(page);
  const captureUrl = await createBinThroughUi(page, "Search me");
  await send(`${captureUrl}/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "paid", total: 42 }) });
  await send(`${captureUrl}/health`, { method: "GET" });
  await send(`${captureUrl}/orders/refund`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "refunded" }) });
  const rows = page.getByTestId("request-list").getByRole("button");
  await expect(rows).toHaveCount(3);

  // Text search: headers and bodies, on the server.
  await page.getByLabel("Search headers and bodies").fill('"paid"');
  await page.getByLabel("Search headers and bodies").press("Enter");
  await expect(page).toHaveURL(/[?&]q=%22paid%22/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("/orders");

  await page.reload();
  await expect(page.getByLabel("Search headers and bodies")).toHaveValue('"paid"');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("/orders");

  // A capture that would match is not prepended blindly (the event has no body): a hint offers a refresh.
  await send(`${captureUrl}/orders`, { method: "POST", body: '{"status":"paid","late":true}' });
  const hint = page.getByRole("button", { name: /1 new request — refresh/ });
  await expect(hint).toBeVisible();
  await expect(rows).toHaveCount(1);
  await hint.click();
  await expect(rows).toHaveCount(2);
  await expect(hint).toBeHidden();

  // Method and path filters: live captures are judged in the browser and prepended when they match.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(rows).toHaveCount(4);
  // Method, path and time sit behind the filter toggle.
  await page.getByRole("button", { name: "Filters", exact: true }).click();
  await page.getByLabel("Method").fill("post");
  await page.getByLabel("Path contains").fill("ORDERS");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/method=POST/);
  await expect(rows).toHaveCount(3);
  await send(`${captureUrl}/orders/live`, { method: "GET" });
  await send(`${captureUrl}/orders/live`, { method: "POST", body: "x" });
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toContainText("/orders/live");
  await expect(rows.first()).toContainText("POST");
  await expect(page.getByTestId("request-list")).not.toContainText("GET");

  await page.reload();
  await expect(page.getByLabel("Method")).toHaveValue("POST");
  await expect(rows).toHaveCount(4);
});
