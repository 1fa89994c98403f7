import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";

/** Serious and critical axe violations on the page as it is now, as readable lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(" ")} — ${node.failureSummary ?? ""}`));
}

for (const scheme of ["light", "dark"] as const) {
  test(`no serious or critical axe violations on sign-in, bins and a request (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/sign-in");
    await expect(page.getByRole("heading", { name: "Sign in to WebhookDump" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(scheme === "dark");
    expect(await seriousViolations(page), "sign-in").toEqual([]);

    await signUpThroughUi(page);
    const captureUrl = await createBinThroughUi(page, `Axe ${scheme}`);
    const sent = await fetch(`${captureUrl}/hooks?x=1`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ok: true, list: [1, 2] }) });
    expect(sent.status).toBe(200);
    await page.goto("/bins");
    await expect(page.getByTestId("bins-list")).toBeVisible();
    expect(await seriousViolations(page), "bins").toEqual([]);

    await page.getByTestId("bins-list").getByRole("link", { name: `Axe ${scheme}` }).click();
    await page.getByTestId("request-list").getByRole("button").first().click();
    await expect(page.getByTestId("json-tree")).toBeVisible();
    expect(await seriousViolations(page), "request").toEqual([]);

    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
    expect(await seriousViolations(page), "shortcuts dialog").toEqual([]);
  });
}

test("exports download from the inspector and the bin header as HAR and JSON", async ({ page }) => {
  await signUpThroughUi(page);
  const captureUrl = await createBinThroughUi(page, "Export me");
  for (const n of [1, 2]) {
    const response = await fetch(`${captureUrl}/e/${n}`, { method: "POST", headers: { "content-type": "text/plain" }, body: `body ${n}` });
    expect(response.status).toBe(200);
  }
  await page.getByTestId("request-list").getByRole("button").first().click();
  const [one] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export request #2 as HAR" }).click()]);
  expect(one.suggestedFilename()).toMatch(/-2\.har$/);
  const har = JSON.parse(fs.readFileSync(await one.path(), "utf8")) as { log: { version: string; entries: { request: { url: string; postData: { text: string } } }[] } };
  expect(har.log.version).toBe("1.2");
  expect(har.log.entries.map((e) => [e.request.url, e.request.postData.text])).toEqual([[`${captureUrl}/e/2`, "body 2"]]);

  const [all] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export every request as JSON" }).click()]);
  expect(all.suggestedFilename()).toMatch(/\.json$/);
  const json = JSON.parse(fs.readFileSync(await all.path(), "utf8")) as { requests: { path: string }[] };
  expect(json.requests.map((r) => r.path)).toEqual(["/e/1", "/e/2"]);
});

test("the bin page fits a 375 px wide screen without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await signUpThroughUi(page);
  const captureUrl = await createBinThroughUi(page, "Narrow screen with a rather long bin name");
  const sent = await fetch(`${captureUrl}/a/rather/long/path/that/should/truncate?with=query&and=more`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ hello: "world" }) });
  expect(sent.status).toBe(200);
  await page.getByTestId("request-list").getByRole("button").first().click();
  await expect(page.getByTestId("json-tree")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/bin-375.png", fullPage: true });
});
