import { describe, expect, it } from "vitest";
import { andThen } from "./maybe-promise";

describe("andThen", () => {
  it("continues synchronously with a value that is there", () => {
    expect(andThen(2, (n) => n * 3)).toBe(6);
  });

  it("continues after a promise resolves, and passes its rejection on", async () => {
    const later = andThen(Promise.resolve(2), (n) => n * 3);
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(6);
    await expect(andThen(Promise.reject(new Error("no")), (n: number) => n)).rejects.toThrow("no");
  });

  it("returns what the continuation returns, promise or not", async () => {
    expect(await andThen(1, (n) => Promise.resolve(n + 1))).toBe(2);
  });
});
