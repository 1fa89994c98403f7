import { Gauge, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { countActive } from "./count-active";

const gaugeValue = async (gauge: Gauge) => (await gauge.get()).values[0]?.value ?? 0;

describe("countActive", () => {
  it("counts a stream from its first read until it ends, is returned early, or fails", async () => {
    const gauge = new Gauge({ name: "active_test", help: "test", registers: [new Registry()] });
    async function* three() {
      yield 1;
      yield 2;
      yield 3;
    }
    const completed = countActive(gauge, three());
    expect(await gaugeValue(gauge)).toBe(0);
    expect((await completed.next()).value).toBe(1);
    expect(await gaugeValue(gauge)).toBe(1);
    const returned = countActive(gauge, three());
    await returned.next();
    expect(await gaugeValue(gauge)).toBe(2);
    await returned.return(undefined);
    expect(await gaugeValue(gauge)).toBe(1);
    async function* failing() {
      yield 1;
      throw new Error("boom");
    }
    const failed = countActive(gauge, failing());
    await failed.next();
    await expect(failed.next()).rejects.toThrow("boom");
    const rest: number[] = [];
    for await (const value of completed) rest.push(value);
    expect(rest).toEqual([2, 3]);
    expect(await gaugeValue(gauge)).toBe(0);
  });
});
