import net from "node:net";
import { expect, test } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";

test("a sender that hangs up mid-body shows up as incomplete, with what it sent and what it declared", async ({ page }) => {
  await signUpThroughUi(page);
  const captureUrl = await createBinThroughUi(page, "Dying sender", `e2e-incomplete-${Date.now()}`);
  const { hostname, port, pathname } = new URL(captureUrl);

  // 5 of the 2048 bytes it announces, then the connection drops.
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  socket.write(`POST ${pathname}/dying HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: text/plain\r\nContent-Length: 2048\r\n\r\nhello`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  socket.destroy();

  const list = page.getByTestId("request-list");
  await expect(list.getByRole("button")).toHaveCount(1);
  await expect(list.getByRole("button").first()).toContainText("(incomplete)");
  await list.getByRole("button").first().click();
  const banner = page.getByTestId("incomplete-banner");
  await expect(banner).toContainText("Incomplete: the body stopped arriving after 5 B");
  await expect(banner).toContainText("of the 2.0 KiB declared");
  await expect(page.getByTestId("request-body")).toHaveText("hello");
});
