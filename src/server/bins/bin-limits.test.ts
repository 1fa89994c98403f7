import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { createBin, updateBin, type BinLimits } from "./bins-service";
import { createTestApp, type TestApp } from "~/test/test-app";
import { seedUser } from "~/test/seed";

const limits: BinLimits = { defaultRequestsPerBin: 50, maxRequestsPerBin: 100, defaultRetentionDays: 3, rateLimitPerBin: 60, maxBinsPerUser: 2 };

async function error(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (caught) {
    if (caught instanceof AppError) return caught;
    throw caught;
  }
  throw new Error("expected an AppError");
}

describe("bin limits", () => {
  let t: TestApp;
  afterEach(() => t.close());

  it("gives a new bin the instance defaults", async () => {
    t = await createTestApp();
    const user = await seedUser(t.app.db);
    const bin = await createBin(t.app.db, user.id, { name: "A" }, limits);
    expect(bin).toMatchObject({ maxRequests: 50, retentionDays: 3, rateLimitPerMinute: 60, response: null });
    expect(bin.counters).toEqual({ tooLarge: 0, incomplete: 0, rateLimited: 0, prunedByCount: 0, prunedByAge: 0 });
  });

  it("allows exactly MAX_BINS_PER_USER bins and refuses the next with a clear error", async () => {
    t = await createTestApp();
    const user = await seedUser(t.app.db);
    await createBin(t.app.db, user.id, { name: "1" }, limits);
    await createBin(t.app.db, user.id, { name: "2" }, limits);
    const refused = await error(createBin(t.app.db, user.id, { name: "3" }, limits));
    expect(refused.code).toBe("LIMIT_REACHED");
    expect(refused.message).toContain("limit of 2 bins");
    // Another user is not affected.
    const other = await seedUser(t.app.db);
    await expect(createBin(t.app.db, other.id, { name: "x" }, limits)).resolves.toBeTruthy();
  });

  it("accepts maxRequests up to the instance maximum and refuses one more", async () => {
    t = await createTestApp();
    const user = await seedUser(t.app.db);
    const bin = await createBin(t.app.db, user.id, { name: "A" }, limits);
    expect((await updateBin(t.app.db, user.id, bin.id, { maxRequests: 100 }, limits)).maxRequests).toBe(100);
    const refused = await error(updateBin(t.app.db, user.id, bin.id, { maxRequests: 101 }, limits));
    expect(refused).toMatchObject({ code: "BAD_REQUEST", field: "maxRequests" });
  });

  it("accepts a rate limit up to the instance's, refuses more and refuses 0 (unlimited) when the instance has a limit", async () => {
    t = await createTestApp();
    const user = await seedUser(t.app.db);
    const bin = await createBin(t.app.db, user.id, { name: "A" }, limits);
    expect((await updateBin(t.app.db, user.id, bin.id, { rateLimitPerMinute: 60 }, limits)).rateLimitPerMinute).toBe(60);
    expect((await updateBin(t.app.db, user.id, bin.id, { rateLimitPerMinute: 1 }, limits)).rateLimitPerMinute).toBe(1);
    expect(await error(updateBin(t.app.db, user.id, bin.id, { rateLimitPerMinute: 61 }, limits))).toMatchObject({ field: "rateLimitPerMinute" });
    expect(await error(updateBin(t.app.db, user.id, bin.id, { rateLimitPerMinute: 0 }, limits))).toMatchObject({ field: "rateLimitPerMinute" });
    const unlimited = { ...limits, rateLimitPerBin: 0 };
    expect((await updateBin(t.app.db, user.id, bin.id, { rateLimitPerMinute: 0 }, unlimited)).rateLimitPerMinute).toBe(0);
  });

  it("stores a custom response and restores the default with null", async () => {
    t = await createTestApp();
    const user = await seedUser(t.app.db);
    const bin = await createBin(t.app.db, user.id, { name: "A" }, limits);
    const response = { status: 202, headers: [["X-A", "1"]] as [string, string][], body: "accepted", contentType: "text/plain", delayMs: 10 };
    expect((await updateBin(t.app.db, user.id, bin.id, { response }, limits)).response).toEqual(response);
    expect((await updateBin(t.app.db, user.id, bin.id, { response: null }, limits)).response).toBeNull();
  });
});
