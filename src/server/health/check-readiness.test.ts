import { afterEach, describe, expect, it } from "vitest";
import type { EventBus } from "../events/event-bus";
import { checkReadiness, type ReadinessFailure } from "./check-readiness";
import { createTestApp, type TestApp } from "~/test/test-app";

let testApp: TestApp | undefined;
afterEach(async () => {
  await testApp?.close();
  testApp = undefined;
});

async function app() {
  testApp = await createTestApp();
  return testApp.app;
}

const never = () => new Promise<void>(() => undefined);

describe("checkReadiness", () => {
  it("is ready when the database answers and the bus checks out", async () => {
    const { db, bus } = await app();
    expect(await checkReadiness({ db, bus })).toEqual({ status: "ready", checks: { database: { ok: true }, bus: { ok: true } } });
  });

  it("names the bus and passes on its message, handing the cause to onFailure", async () => {
    const { db, bus } = await app();
    const failures: ReadinessFailure[] = [];
    const broken: EventBus = { ...bus, check: () => Promise.reject(new Error("LISTEN connection is down")) };
    const readiness = await checkReadiness({ db, bus: broken }, { onFailure: (failure) => failures.push(failure) });
    expect(readiness).toEqual({
      status: "unavailable",
      failing: ["bus"],
      checks: { database: { ok: true }, bus: { ok: false, error: "LISTEN connection is down" } },
    });
    expect(failures).toEqual([{ component: "bus", cause: "LISTEN connection is down" }]);
  });

  it("gives up on a check that hangs after the timeout, and reports both failing parts", async () => {
    const { db, bus } = await app();
    const hangingDb = { $queryRawUnsafe: never } as unknown as typeof db;
    const started = performance.now();
    const readiness = await checkReadiness({ db: hangingDb, bus: { ...bus, check: never } }, { timeoutMs: 50 });
    // Both checks run at once: the answer takes one timeout, not two.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(readiness).toEqual({
      status: "unavailable",
      failing: ["database", "bus"],
      checks: { database: { ok: false, error: "timed out after 50 ms" }, bus: { ok: false, error: "timed out after 50 ms" } },
    });
  });
});
