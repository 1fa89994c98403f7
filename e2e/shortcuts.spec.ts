import { expect, test } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";

test("keyboard: j/k and arrows move the selection, / searches, c copies as cURL, ? opens the help dialog", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUpThroughUi(page);
  const captureUrl = await createBinThroughUi(page, "Keys");
  // Keys are tested from "nothing selected": new captures must not open themselves.
  await page.getByLabel("Follow newest").uncheck();
  for (const name of ["first", "second", "third"]) {
    const response = await fetch(`${captureUrl}/${name}`, { method: "POST", headers: { "content-type": "text/plain" }, body: `body of ${name}` });
    expect(response.status).toBe(200);
  }
  const rows = page.getByTestId("request-list").getByRole("button");
  await expect(rows).toHaveCount(3);
  const inspectorUrl = page.getByTestId("request-inspector").getByTestId("request-url");

  // Nothing selected: j selects the newest; the inspector follows, and so does focus.
  await page.locator("body").press("j");
  await expect(inspectorUrl).toHaveText(`${captureUrl}/third`);
  await expect(rows.nth(0)).toHaveAttribute("aria-current", "true");
  await expect(rows.nth(0)).toBeFocused();
  await page.keyboard.press("j");
  await expect(inspectorUrl).toHaveText(`${captureUrl}/second`);
  await page.keyboard.press("ArrowDown");
  await expect(inspectorUrl).toHaveText(`${captureUrl}/first`);
  await page.keyboard.press("ArrowDown"); // the oldest stays selected
  await expect(inspectorUrl).toHaveText(`${captureUrl}/first`);
  await page.keyboard.press("k");
  await expect(inspectorUrl).toHaveText(`${captureUrl}/second`);
  await page.keyboard.press("ArrowUp");
  await expect(inspectorUrl).toHaveText(`${captureUrl}/third`);

  // c copies the selected request as a cURL command.
  await page.keyboard.press("c");
  await expect(page.getByTestId("shortcut-status")).toHaveText(/Copied request #3 as cURL/);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^curl .* -X POST /);
  expect(copied).toContain(`${captureUrl}/third`);
  expect(copied).toContain("--data-binary 'body of third'");

  // / focuses the search; keys typed there are text, not shortcuts.
  await page.keyboard.press("/");
  const search = page.getByLabel("Search headers and bodies");
  await expect(search).toBeFocused();
  await page.keyboard.type("jk?c");
  await expect(search).toHaveValue("jk?c");
  await expect(inspectorUrl).toHaveText(`${captureUrl}/third`);
  await expect(page.getByRole("dialog")).toBeHidden();

  // ? opens an accessible dialog; Escape closes it and focus returns where it was.
  await rows.nth(1).focus();
  await page.keyboard.press("?");
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("row")).toHaveCount(5);
  // Shortcuts are off while the dialog is open.
  await page.keyboard.press("j");
  await expect(inspectorUrl).toHaveText(`${captureUrl}/third`);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(rows.nth(1)).toBeFocused();

  // The visible button opens it too, and Close gives focus back to that button.
  const helpButton = page.getByRole("button", { name: /Shortcuts/ });
  await helpButton.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(helpButton).toBeFocused();
});
