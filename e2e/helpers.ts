import { expect, type Page } from "@playwright/test";

let counter = 0;

export async function signUpThroughUi(page: Page, base = "") {
  const email = `e2e-${Date.now()}-${counter++}@example.com`;
  await page.goto(`${base}/sign-up`);
  await page.getByLabel("Name").fill("E2E User");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct-horse-battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/bins$/);
  return email;
}

export async function createBinThroughUi(page: Page, name: string, slug?: string) {
  await page.getByLabel("Name").fill(name);
  if (slug) await page.getByLabel(/Custom slug/).fill(slug);
  await page.getByRole("button", { name: "Create bin" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return (await page.getByTestId("capture-url").textContent()) ?? "";
}
