import { afterEach, describe, expect, it } from "vitest";
import { createBin } from "../bins/bins-service";
import { captureRequest, type CaptureInput } from "../capture/capture-request";
import { createCaptureReader } from "./capture-reader";
import { createTestApp, type TestApp } from "~/test/test-app";
import { seedBin } from "~/test/seed";

const input = (slug: string, n: number, receivedAt?: Date): CaptureInput => ({
  slug,
  method: "POST",
  path: `/${n}`,
  query: `n=${n}`,
  headers: [["Content-Type", "application/json"]],
  body: new Uint8Array(Buffer.from(`{"n":${n}}`)),
  truncated: false,
  declaredSize: null,
  ip: "127.0.0.1",
  receivedAt,
});

describe("createCaptureReader", () => {
  let t: TestApp;
  afterEach(() => t.close());

  it("reads one bin's captures in a seq range, in order, with the owner and the summary fields only", async () => {
    t = await createTestApp();
    const { user, bin } = await seedBin(t.app.db, "reader-bin");
    const other = await seedBin(t.app.db, "reader-other");
    const deps = { db: t.app.db, bus: t.app.bus };
    for (let n = 1; n <= 5; n++) await captureRequest(deps, input(bin.slug, n));
    await captureRequest(deps, input(other.bin.slug, 99));
    // The pipeline's own store (raw SQLite) must read back the same way as Prisma's.
    await t.app.capture.capture(input(bin.slug, 6));
    const reader = createCaptureReader(t.app.db);

    const all = await reader.readBin(bin.id, 0);
    expect(all.map((e) => e.summary.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.every((e) => e.userId === user.id)).toBe(true);
    expect(all[0]?.summary).toEqual({
      id: expect.any(String),
      binId: bin.id,
      seq: 1,
      method: "POST",
      path: "/1",
      query: "n=1",
      bodySize: 7,
      truncated: false,
      incomplete: false,
      contentType: "application/json",
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      responseStatus: 200,
    });
    expect(all.at(-1)?.summary.path).toBe("/6");

    expect((await reader.readBin(bin.id, 1, 3)).map((e) => e.summary.seq)).toEqual([2, 3]);
    expect((await reader.readBin(bin.id, 2, undefined, 2)).map((e) => e.summary.seq)).toEqual([3, 4]);
    expect(await reader.readBin(bin.id, 6)).toEqual([]);
    expect(await reader.readBin("no-such-bin", 0)).toEqual([]);
  });

  it("reads the newest capture of each of a user's bins active since a time", async () => {
    t = await createTestApp();
    const { user, bin: busy } = await seedBin(t.app.db, "reader-busy");
    const quiet = await createBin(t.app.db, user.id, { name: "Quiet", slug: "reader-quiet" });
    const trimmed = await createBin(t.app.db, user.id, { name: "Trimmed", slug: "reader-trimmed" });
    const stranger = await seedBin(t.app.db, "reader-stranger");
    const deps = { db: t.app.db, bus: t.app.bus };
    const since = new Date("2030-01-01T00:00:00.000Z");
    const before = new Date(since.getTime() - 60_000);
    const after = (ms: number) => new Date(since.getTime() + ms);

    await captureRequest(deps, input(quiet.slug, 1, before));
    await captureRequest(deps, input(busy.slug, 1, before));
    await captureRequest(deps, input(busy.slug, 2, since));
    await t.app.capture.capture(input(busy.slug, 3, after(10)));
    await captureRequest(deps, input(trimmed.slug, 1, after(5)));
    await captureRequest(deps, input(trimmed.slug, 2, after(6)));
    await captureRequest(deps, input(stranger.bin.slug, 1, after(1)));
    // The newest request of a bin deleted: the one before it is the bin's newest now.
    await t.app.db.capturedRequest.deleteMany({ where: { binId: trimmed.id, seq: 2 } });

    const events = await createCaptureReader(t.app.db).readUserSince(user.id, since);
    expect(events.map((e) => [e.summary.binId, e.summary.seq])).toEqual([
      [trimmed.id, 1],
      [busy.id, 3],
    ]);
    expect(events.every((e) => e.userId === user.id)).toBe(true);
    expect(events[1]?.summary.receivedAt).toBe(after(10).toISOString());
    expect(await createCaptureReader(t.app.db).readUserSince(user.id, after(11))).toEqual([]);
  });

  it("reads a bin's last handed-out sequence number", async () => {
    t = await createTestApp();
    const { bin } = await seedBin(t.app.db, "reader-last");
    const reader = createCaptureReader(t.app.db);
    expect(await reader.readLastSeq(bin.id)).toBe(0);
    await captureRequest({ db: t.app.db, bus: t.app.bus }, input(bin.slug, 1));
    await t.app.capture.capture(input(bin.slug, 2));
    expect(await reader.readLastSeq(bin.id)).toBe(2);
    expect(await reader.readLastSeq("no-such-bin")).toBe(0);
  });
});
