import { expect, test, type Page } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";

const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };
const PASSWORD = "correct-horse-battery";

async function send(url: string, init: RequestInit = { method: "POST", body: "x" }) {
  const response = await fetch(url, init);
  expect(response.status).toBeLessThan(300);
}

/** Accepts the next confirm() the page shows. */
function acceptNextDialog(page: Page) {
  page.once("dialog", (dialog) => void dialog.accept());
}

/** No validation error reaches a person as JSON. */
async function expectNoJsonErrors(page: Page) {
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(/"(code|origin|expected|path)"\s*:/);
  expect(text).not.toMatch(/\[\s*\{/);
}

test.describe("desktop", () => {
  test.use({ viewport: DESKTOP });

  test.describe("time filter in another time zone", () => {
    // Far from UTC, so a local time read as UTC (or the reverse) lands on the wrong side.
    test.use({ timezoneId: "Asia/Kolkata" });

    test("From and To are read in the browser's zone, sent as ISO instants, and actually filter", async ({ page }) => {
      await signUpThroughUi(page);
      const captureUrl = await createBinThroughUi(page, "Time filter");
      await send(`${captureUrl}/first`);
      await send(`${captureUrl}/second`);
      const rows = page.getByTestId("request-list").getByRole("button");
      await expect(rows).toHaveCount(2);
      const times = await page.getByTestId("request-list").locator("time").evaluateAll((nodes) => nodes.map((n) => Date.parse(n.getAttribute("datetime") ?? "")));
      const newest = Math.max(...times);
      const oldest = Math.min(...times);
      // The wall-clock time in Kolkata (UTC+05:30, no daylight saving), as a datetime-local shows it.
      const local = (ms: number) => new Date(ms + 5.5 * 3600_000).toISOString().slice(0, 19);

      await page.getByRole("button", { name: "Filters", exact: true }).click();
      const from = page.getByLabel("From");
      const to = page.getByLabel("To", { exact: true });
      await from.fill(local(oldest - 60_000));
      await page.getByRole("button", { name: "Search", exact: true }).click();
      // The URL (and the request) carry the instant the person meant, in UTC.
      await expect.poll(() => new URL(page.url()).searchParams.get("from")).toBe(new Date(Math.floor(oldest / 1000) * 1000 - 60_000).toISOString());
      await expect(rows).toHaveCount(2);
      await expectNoJsonErrors(page);

      // A From after both captures leaves nothing.
      await page.getByLabel("From").fill(local(newest + 60_000));
      await page.getByRole("button", { name: "Search", exact: true }).click();
      await expect(page.getByText("No requests match these filters.")).toBeVisible();
      await expect(page.getByTestId("request-list")).toHaveCount(0);

      // A To before both leaves nothing; a range around both shows both.
      await page.getByLabel("From").fill("");
      await page.getByLabel("To", { exact: true }).fill(local(oldest - 60_000));
      await page.getByRole("button", { name: "Search", exact: true }).click();
      await expect(page.getByText("No requests match these filters.")).toBeVisible();
      await page.getByLabel("From").fill(local(oldest - 60_000));
      await page.getByLabel("To", { exact: true }).fill(local(newest + 60_000));
      await page.getByRole("button", { name: "Search", exact: true }).click();
      await expect(rows).toHaveCount(2);
      await expect(page.locator("main").getByRole("alert")).toHaveCount(0);

      // An inverted range is refused beside the field, in words.
      await page.getByLabel("From").fill(local(newest + 120_000));
      await expect(page.locator("#filter-to-error")).toHaveText("“To” is before “From”.");
      await expect(to).toHaveAttribute("aria-invalid", "true");
      await expectNoJsonErrors(page);
    });
  });

  test("validation errors are sentences beside their field in every form, never JSON", async ({ page }) => {
    await signUpThroughUi(page);
    // Bin create: a bad slug.
    await page.getByLabel("Name").fill("Errors");
    await page.getByLabel(/Custom slug/).fill("AB");
    await page.getByRole("button", { name: "Create bin" }).click();
    await expect(page.locator("#bin-slug-error")).toHaveText(/^Slug .+\.$/);
    await expectNoJsonErrors(page);
    await page.getByLabel(/Custom slug/).fill("");
    await page.getByRole("button", { name: "Create bin" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Errors" })).toBeVisible();
    const binUrl = page.url();

    // Rename to an empty name (the example).
    await page.getByRole("button", { name: "Rename" }).click();
    await page.getByLabel("Bin name").fill("   ");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#rename-error")).toHaveText("Name is required.");
    await expect(page.getByLabel("Bin name")).toHaveAttribute("aria-invalid", "true");
    await expectNoJsonErrors(page);

    // Bin settings: numbers that are not numbers, out of range, a bad header.
    await page.goto(`${binUrl}/settings`);
    await page.getByLabel("Custom").check();
    await page.getByLabel("Status").fill("abc");
    await page.getByLabel("For (days)").fill("99999");
    await page.getByRole("button", { name: "Add header" }).click();
    await page.getByLabel("Header 1 name").fill("Bad Header");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.locator("#status-error")).toHaveText("Enter a number.");
    await expect(page.locator("#retention-error")).toHaveText("Enter 36500 or less.");
    await expect(page.locator("#headers-error")).toHaveText("Header name may contain only token characters.");
    await expectNoJsonErrors(page);

    // Tokens: an empty name.
    await page.goto("/settings");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.locator("#token-name-error")).toHaveText("Name is required.");
    await expect(page.getByLabel("Token name")).toHaveAttribute("aria-invalid", "true");
    await expectNoJsonErrors(page);
  });

  test("search is case-insensitive by default, Match case keeps it exact, and the query string is searched", async ({ page }) => {
    await signUpThroughUi(page);
    const captureUrl = await createBinThroughUi(page, "Case");
    await send(`${captureUrl}/profile`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: "monalisa" }) });
    await send(`${captureUrl}/tagged?tag=b`, { method: "POST", body: "nothing to see" });
    const rows = page.getByTestId("request-list").getByRole("button");
    await expect(rows).toHaveCount(2);
    const search = page.getByLabel("Search headers and bodies");
    await search.fill("Monalisa");
    await search.press("Enter");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("/profile");

    const matchCase = page.getByRole("button", { name: "Match case" });
    await matchCase.click();
    await expect(matchCase).toHaveAttribute("aria-pressed", "true");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/[?&]matchCase=true/);
    await expect(page.getByText("No requests match these filters.")).toBeVisible();
    await page.reload();
    await expect(matchCase).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByText("No requests match these filters.")).toBeVisible();

    await matchCase.click();
    await expect(matchCase).toHaveAttribute("aria-pressed", "false");
    await search.fill("tag=b");
    await search.press("Enter");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("/tagged?tag=b");
  });

  test("the XML view indents without changing content: CDATA with '>', comments and processing instructions stay whole", async ({ page }) => {
    await signUpThroughUi(page);
    const captureUrl = await createBinThroughUi(page, "XML");
    const cdata = "<![CDATA[if (a > b && c >= d) return '<x>';]]>";
    const comment = "<!-- 1 > 0 -->";
    const pi = `<?render mode="a > b"?>`;
    await send(`${captureUrl}/xml`, { method: "POST", headers: { "content-type": "application/xml" }, body: `<?xml version="1.0"?><root>${pi}${comment}<code when="x > y">${cdata}</code></root>` });
    await page.getByTestId("request-list").getByRole("button").first().click();
    await expect(page.getByRole("tab", { name: "XML/HTML", selected: true })).toBeVisible();
    const body = page.getByTestId("request-body");
    for (const token of [cdata, comment, pi, `<code when="x > y">`]) await expect(body.getByText(token, { exact: true })).toHaveCount(1);
  });

  test("Clear updates the count at once; Try it shows only while the bin is empty", async ({ page }) => {
    await signUpThroughUi(page);
    const captureUrl = await createBinThroughUi(page, "Clear me");
    await expect(page.getByText("Try it", { exact: true })).toBeVisible();
    for (let i = 0; i < 3; i += 1) await send(`${captureUrl}/n/${i}`);
    await expect(page.getByTestId("request-list").getByRole("button")).toHaveCount(3);
    await expect(page.getByTestId("request-count")).toHaveText("(3)");
    await expect(page.getByText("Try it", { exact: true })).toBeHidden();
    acceptNextDialog(page);
    await page.getByRole("button", { name: "Clear", exact: true }).click();
    await expect(page.getByText("No requests yet.")).toBeVisible();
    await expect(page.getByTestId("request-count")).toHaveText("(0)");
    await expect(page.getByText("Try it", { exact: true })).toBeVisible();
  });

  test("a signed-out visitor lands on the request after signing in; a hostile next= goes nowhere else", async ({ page, context }) => {
    const email = await signUpThroughUi(page);
    const captureUrl = await createBinThroughUi(page, "Come back");
    await send(`${captureUrl}/deep-link`);
    const row = page.getByTestId("request-list").getByRole("button").first();
    await expect(row).toBeVisible();
    const id = await row.getAttribute("data-request-id");
    const binPath = new URL(page.url()).pathname;
    await context.clearCookies();

    const signIn = async () => {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
    };
    await page.goto(`${binPath}?request=${id}`);
    await expect(page).toHaveURL(/\/sign-in\?next=/);
    await signIn();
    await expect.poll(() => `${new URL(page.url()).pathname}${new URL(page.url()).search}`).toBe(`${binPath}?request=${id}`);
    await expect(page.getByTestId("request-url")).toHaveText(`${captureUrl}/deep-link`);

    // Signed in: the server redirect checks next= too.
    for (const hostile of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]) {
      await page.goto(`/sign-in?next=${encodeURIComponent(hostile)}`);
      await expect(page).toHaveURL(/\/bins$/);
    }
    // Signed out: the form's own redirect.
    await context.clearCookies();
    await page.goto(`/sign-in?next=${encodeURIComponent("//evil.example/steal")}`);
    await signIn();
    await expect(page).toHaveURL(/\/bins$/);
    expect(new URL(page.url()).host).toBe(new URL(captureUrl).host);
  });

  test("a revoked token's secret leaves the copy-now box", async ({ page }) => {
    await signUpThroughUi(page);
    await page.goto("/settings");
    await page.getByLabel("Token name").fill("CI");
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByTestId("new-token")).toHaveText(/^whd_/);
    acceptNextDialog(page);
    await page.getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByTestId("new-token")).toHaveCount(0);
    await expect(page.getByText("No tokens yet.")).toBeVisible();
  });

  test("an unknown or foreign bin shows a styled 404 in the app shell with a way back", async ({ page, browser }) => {
    await signUpThroughUi(page);
    await createBinThroughUi(page, "Mine");
    const mine = new URL(page.url()).pathname;
    const missing = await page.goto("/bins/no-such-bin-here");
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Nothing here" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await page.getByRole("link", { name: "Back to your bins" }).click();
    await expect(page).toHaveURL(/\/bins$/);

    const other = await browser.newPage({ viewport: DESKTOP });
    await signUpThroughUi(other);
    const foreign = await other.goto(mine);
    expect(foreign?.status()).toBe(404);
    await expect(other.getByRole("heading", { name: "Nothing here" })).toBeVisible();
    await expect(other.getByRole("link", { name: "Back to your bins" })).toBeVisible();
    await other.close();
  });

  test("the response preview has no stray ':' line for an empty header row, and saving skips it", async ({ page }) => {
    await signUpThroughUi(page);
    await createBinThroughUi(page, "Preview");
    await page.getByTestId("bin-rules").getByRole("link", { name: "Settings" }).click();
    await page.getByLabel("Custom").check();
    await page.getByRole("button", { name: "Add header" }).click();
    const preview = page.getByTestId("response-preview");
    await expect(preview).toContainText("HTTP/1.1 200 OK");
    expect((await preview.innerText()).split("\n").filter((line) => line.trim().startsWith(":"))).toEqual([]);
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  });
});

test.describe("workspace", () => {
  test.use({ viewport: DESKTOP, colorScheme: "dark" });

  test("list and inspector side by side at full height, Follow newest, coloured methods and statuses, strong selection, labelled exports", async ({ page }) => {
    await signUpThroughUi(page);
    const captureUrl = await createBinThroughUi(page, "Workspace");
    await Promise.all(Array.from({ length: 30 }, (_, i) => send(`${captureUrl}/bulk/${i}`, { method: i % 2 ? "GET" : "POST" })));
    // Opened afresh with nothing selected (Follow newest has been opening the captures meanwhile).
    await page.goto(new URL(page.url()).pathname);
    const rows = page.getByTestId("request-list").getByRole("button");
    await expect(rows).toHaveCount(30);
    await expect(page.getByText("Try it", { exact: true })).toBeHidden();

    // Many rows on the first screen; the list scrolls by itself, the page does not.
    let inView = 0;
    for (let i = 0; i < 30; i += 1) if (await rows.nth(i).evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)) inView += 1;
    // The issue measured about 4 at this size.
    expect(inView).toBeGreaterThanOrEqual(10);
    const scroller = await page.getByTestId("request-scroller").evaluate((el) => ({ own: el.scrollHeight > el.clientHeight, overflow: getComputedStyle(el).overflowY }));
    expect(scroller).toEqual({ own: true, overflow: "auto" });
    expect(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(0);
    const details = page.getByRole("region", { name: "Request details" });
    expect(await details.evaluate((el) => getComputedStyle(el).overflowY)).toBe("auto");
    const listBox = await page.getByTestId("request-scroller").boundingBox();
    const detailsBox = await details.boundingBox();
    expect(detailsBox && listBox && detailsBox.x > listBox.x + listBox.width - 1).toBe(true);

    // Methods and statuses in colour.
    const background = (method: string) => page.getByTestId("request-list").locator(`[data-method="${method}"]`).first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(await background("GET")).not.toBe(await background("POST"));
    const statusColour = await page.getByTestId("request-list").locator("[data-status]").first().evaluate((el) => getComputedStyle(el).color);
    expect(statusColour).not.toBe(await rows.first().locator("time").evaluate((el) => getComputedStyle(el).color));

    // Follow newest: on (nothing selected), each capture opens as it arrives.
    const follow = page.getByLabel("Follow newest");
    await expect(follow).toBeChecked();
    await send(`${captureUrl}/live/one`);
    await expect(page.getByTestId("request-url")).toHaveText(`${captureUrl}/live/one`);
    await send(`${captureUrl}/live/two`);
    await expect(page.getByTestId("request-url")).toHaveText(`${captureUrl}/live/two`);
    await expect(rows.first()).toHaveAttribute("aria-current", "true");

    // The selected row stands out, in the dark theme too.
    // The row's background as drawn over the page (Tailwind's colours are oklch with alpha).
    const luminance = (el: Element) => {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 1;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      if (!context) return -1;
      context.fillStyle = getComputedStyle(document.body).backgroundColor;
      context.fillRect(0, 0, 1, 1);
      for (const node of [el.closest("[data-testid=request-scroller]"), el.parentElement, el]) {
        if (!node) continue;
        context.fillStyle = getComputedStyle(node).backgroundColor;
        context.fillRect(0, 0, 1, 1);
      }
      const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    await page.mouse.move(0, 0);
    const selected = await rows.first().evaluate(luminance);
    const other = await rows.nth(3).evaluate(luminance);
    expect(Math.abs(selected - other)).toBeGreaterThan(25);
    expect(await rows.first().evaluate((el) => getComputedStyle(el).boxShadow)).toContain("inset");

    // Choosing an older request by hand stops following.
    await rows.nth(5).click();
    await expect(follow).not.toBeChecked();
    // The inspector has switched to the chosen request before its URL is read.
    await expect(page.getByTestId("request-url")).not.toHaveText(`${captureUrl}/live/two`);
    const chosen = await page.getByTestId("request-url").innerText();
    await send(`${captureUrl}/live/three`);
    await expect(rows.first()).toContainText("/live/three");
    await expect(page.getByTestId("request-url")).toHaveText(chosen);

    // Labelled exports with titles, and the answer the sender got.
    const exportAll = page.getByRole("link", { name: "Export every request as JSON" });
    await expect(exportAll).toHaveText("Export JSON");
    await expect(exportAll).toHaveAttribute("title", /JSON/);
    await expect(page.getByRole("link", { name: "Export every request as HAR" })).toHaveText("Export HAR");
    const inspector = page.getByTestId("request-inspector");
    await expect(inspector.getByRole("link", { name: /Export request #\d+ as HAR/ })).toHaveText("Export HAR");
    await expect(inspector.getByRole("link", { name: /Export request #\d+ as JSON/ })).toHaveAttribute("title", /JSON/);
    await expect(inspector.getByTestId("sender-got")).toHaveText("200 OK");
    await page.screenshot({ path: "test-results/workspace-1280-dark.png" });
  });
});

test.describe("phone", () => {
  test.use({ viewport: PHONE });

  test("the list comes first; a tapped request opens on its own screen with Back, and browser Back works too", async ({ page }) => {
    await signUpThroughUi(page);
    const captureUrl = await createBinThroughUi(page, "Phone");
    for (let i = 0; i < 5; i += 1) await send(`${captureUrl}/hook/${i}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ i }) });
    await page.reload();
    const rows = page.getByTestId("request-list").getByRole("button");
    await expect(rows).toHaveCount(5);
    // On the first screen, without scrolling.
    await expect(rows.first()).toBeInViewport();
    expect((await rows.first().boundingBox())?.y ?? Infinity).toBeLessThan(PHONE.height - 60);
    await page.screenshot({ path: "test-results/phone-list.png" });

    await rows.nth(2).click();
    await expect(page).toHaveURL(/[?&]request=/);
    const inspector = page.getByTestId("request-inspector");
    await expect(inspector).toBeInViewport();
    await expect(inspector.getByTestId("request-url")).toHaveText(`${captureUrl}/hook/2`);
    await expect(page.getByTestId("request-list")).toBeHidden();
    await page.screenshot({ path: "test-results/phone-request.png" });

    await page.getByRole("button", { name: "Back to requests" }).click();
    await expect(page).not.toHaveURL(/request=/);
    await expect(rows.nth(2)).toBeInViewport();
    await expect(rows.nth(2)).toBeFocused();

    // Browser history: Back closes the request, Forward opens it again.
    await rows.first().click();
    await expect(inspector.getByTestId("request-url")).toHaveText(`${captureUrl}/hook/4`);
    await page.goBack();
    await expect(page.getByTestId("request-list")).toBeVisible();
    await expect(inspector).toHaveCount(0);
    await page.goForward();
    await expect(inspector.getByTestId("request-url")).toHaveText(`${captureUrl}/hook/4`);

    // Opened from a shared link, Back goes to the list, not away from the site.
    await page.goto(page.url());
    await page.getByRole("button", { name: "Back to requests" }).click();
    await expect(page.getByTestId("request-list")).toBeVisible();
    await expect(page).toHaveURL(/\/bins\/[^?]+\??$/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
