import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";

/** Sends a request with node:http, which (unlike fetch) lets `<`, `>` and `"` through in the path. */
function sendRaw(url: string, options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string }) {
  const target = new URL(url);
  return new Promise<{ status: number; id: string }>((resolve, reject) => {
    const request = http.request(
      { host: target.hostname, port: target.port, method: options.method, path: `${target.pathname}${options.path}`, headers: options.headers },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, id: (JSON.parse(text) as { id: string }).id }));
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

/** Fails the test on any dialog, page error or console error: hostile content must stay inert. */
function watchForExecution(page: Page) {
  const problems: string[] = [];
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  return problems;
}

const SCRIPT = "<script>alert('script')</script>";
const IMG = `<img src=x onerror="alert('img')">`;
const LINK = `<a href="javascript:alert('link')">click me</a>`;
const RLO = "\u202Egnp.exe\u202C"; // right-to-left override: would show as "exe.png"

test("hostile payloads are shown as exact, inert text in the list, the inspector and the title", async ({ page }) => {
  const problems = watchForExecution(page);
  await signUpThroughUi(page);
  const binName = `${IMG} bin`;
  const captureUrl = await createBinThroughUi(page, binName);
  await expect(page).toHaveTitle(`${binName} · WebhookDump`);

  const jsonBody = JSON.stringify({ html: SCRIPT, img: IMG, link: "javascript:alert('json')", rlo: RLO, nul: "a\u0000b" });
  const json = await sendRaw(captureUrl, {
    method: "POST",
    path: `/${SCRIPT}?next=${encodeURIComponent(LINK)}&dir=${encodeURIComponent(RLO)}`,
    headers: { "content-type": "application/json", "x-html": IMG, "x-link": "javascript:alert('header')" },
    body: jsonBody,
  });
  expect(json.status).toBe(200);
  const longLine = `${SCRIPT}${"x".repeat(200 * 1024)}${IMG}`;
  const long = await sendRaw(captureUrl, { method: "PUT", path: "/long", headers: { "content-type": "text/html" }, body: longLine });
  expect(long.status).toBe(200);
  const nul = await sendRaw(captureUrl, { method: "POST", path: "/nul", headers: { "content-type": "text/plain" }, body: Buffer.from(`before\u0000${SCRIPT}`) });
  expect(nul.status).toBe(200);

  const rows = page.getByTestId("request-list").getByRole("button");
  await expect(rows).toHaveCount(3);
  // The list shows the path exactly as sent; the query stays percent-encoded there.
  await expect(rows.nth(2)).toContainText(`/${SCRIPT}?next=${encodeURIComponent(LINK)}`);

  await rows.nth(2).click();
  const inspector = page.getByTestId("request-inspector");
  await expect(inspector.getByTestId("request-url")).toContainText(`/${SCRIPT}?next=`);
  await expect(inspector.getByRole("cell", { name: IMG, exact: true })).toBeVisible();
  await expect(inspector.getByRole("cell", { name: "javascript:alert('header')", exact: true })).toBeVisible();
  // Decoded query values, direction override included, are text in a table cell.
  await expect(inspector.getByRole("cell", { name: LINK, exact: true })).toBeVisible();
  expect(await inspector.getByRole("cell").filter({ hasText: "gnp.exe" }).textContent()).toBe(RLO);
  await inspector.getByRole("tab", { name: "Raw" }).click();
  await expect(page.getByTestId("request-body")).toHaveText(jsonBody);
  // The copy preview shows the hostile header and path as shell-quoted text.
  await expect(page.getByTestId("copy-as-preview")).toContainText(`-H 'x-html: <img src=x onerror="alert('\\''img'\\'')">'`);
  await expect(page.getByTestId("copy-as-preview")).toContainText(`/${SCRIPT.replace(/'/g, "'\\''")}?next=`);
  // Nothing in the inspector became a link or an image.
  await expect(inspector.locator("a[href^='javascript:'], img, script:not([nonce])")).toHaveCount(0);

  await rows.nth(1).click();
  const body = page.getByTestId("request-body");
  // text/html opens as indented source, as text.
  await expect(page.getByRole("tab", { name: "XML/HTML", selected: true })).toBeVisible();
  await expect(body.getByText("<script>", { exact: true })).toBeVisible();
  await expect(body.getByText("alert('script')", { exact: true })).toBeVisible();
  await inspector.getByRole("tab", { name: "Raw" }).click();
  expect(await body.evaluate((element) => element.textContent)).toBe(longLine);
  // Too long to paste inline: the command reads the body from the downloaded file.
  await expect(page.getByTestId("copy-as-preview")).toContainText("--data-binary @request-");

  await rows.nth(0).click();
  // A NUL byte makes the body binary: hex view, the script tag only as dots and hex digits.
  await expect(page.getByTestId("request-body")).toContainText("00000000  62 65 66 6f 72 65 00 3c");
  await expect(page.getByTestId("request-body")).toContainText("before.<script>");

  // A reload renders the bin page on the server first: its HTML must hydrate without a mismatch
  // (React logs error #418 to the console when it does not), hostile content included.
  const shownUrl = await page.getByTestId("capture-url").textContent();
  await page.reload();
  await expect(page.getByTestId("request-inspector").getByTestId("request-url")).toContainText("/nul");
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId("capture-url")).toHaveText(shownUrl ?? "");

  expect(problems).toEqual([]);
});

test("app pages send a strict CSP that Next's own scripts satisfy and injected inline scripts do not", async ({ page }) => {
  const problems = watchForExecution(page);
  const response = await page.goto("/sign-in");
  const headers = response?.headers() ?? {};
  const policy = headers["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain("unsafe-inline");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  // Hydrated: client-side navigation works, so Next's nonce'd scripts ran.
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole("button", { name: "Sign up" })).toBeVisible();
  expect(problems).toEqual([]);

  // Every response gets its own nonce.
  const again = await page.request.get("/sign-in");
  expect(again.headers()["content-security-policy"]).not.toBe(policy);

  // Markup that slipped into the DOM could not run code: inline handlers carry no nonce.
  const violation = page.waitForEvent("console", (message) => message.type() === "error" && /Content Security Policy/.test(message.text()));
  await page.evaluate(() => {
    const holder = document.createElement("div");
    holder.innerHTML = `<img src="/icon.svg" onload="window.__injected = true">`;
    document.body.append(holder);
  });
  await violation;
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  await violation;
});
