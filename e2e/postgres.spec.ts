import { expect, test } from "@playwright/test";
import { createBinThroughUi, signUpThroughUi } from "./helpers";
import { createPostgresDatabase, dropPostgresDatabase, postgresUrlFor } from "../src/test/test-database";
import { startServer, stopServer } from "./server-process";

// Two instances on one PostgreSQL database, as behind a load balancer: a person watching a bin on
// one instance sees what senders deliver to the other. Needs TEST_POSTGRES_URL (as the PostgreSQL
// pass of the integration suite does; CI sets it).
const adminUrl = process.env.TEST_POSTGRES_URL;

test.skip(!adminUrl, "TEST_POSTGRES_URL is not set");

test("a dashboard on one instance shows captures sent to either instance, in order, once", async ({ page, context }) => {
  test.setTimeout(120_000);
  const name = await createPostgresDatabase(`wd_e2e_${Date.now()}`);
  const databaseUrl = postgresUrlFor(name);
  const portA = Number(process.env.E2E_PORT) + 3;
  const portB = portA + 1;
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  try {
    servers.push(...(await Promise.all([startServer(portA, databaseUrl), startServer(portB, databaseUrl)])));
    await signUpThroughUi(page, `http://127.0.0.1:${portA}`);
    const captureUrlA = await createBinThroughUi(page, "Shared bin");
    const binPath = new URL(page.url()).pathname;

    // The same person, same session (cookies are per host, not per port), on the other instance.
    const onB = await context.newPage();
    await onB.goto(`http://127.0.0.1:${portB}${binPath}`);
    await expect(onB.getByRole("heading", { level: 1, name: "Shared bin" })).toBeVisible();
    for (const dashboard of [page, onB]) await expect(dashboard.getByTestId("connection-status")).toHaveAttribute("data-state", "live");

    const captureUrlB = captureUrlA.replace(`:${portA}/`, `:${portB}/`);
    for (const [i, url] of [captureUrlA, captureUrlB, captureUrlA, captureUrlB].entries()) {
      expect((await fetch(`${url}/n${i}`, { method: "POST", body: `capture ${i}` })).status).toBe(200);
    }
    for (const dashboard of [page, onB]) {
      const rows = dashboard.getByTestId("request-list").locator("li");
      await expect(rows).toHaveCount(4);
      await expect(rows).toContainText(["/n3", "/n2", "/n1", "/n0"]);
    }
  } finally {
    await Promise.all(servers.map((server) => stopServer(server)));
    await dropPostgresDatabase(name);
  }
});
