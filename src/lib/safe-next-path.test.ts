import { describe, expect, it } from "vitest";
import { safeNextPath, signInPathFor } from "./safe-next-path";

describe("safeNextPath", () => {
  it("keeps a same-origin path with its query", () => {
    expect(safeNextPath("/bins/stripe?request=0193-abc")).toBe("/bins/stripe?request=0193-abc");
    expect(safeNextPath("/settings")).toBe("/settings");
  });

  it("refuses anything that could leave the site", () => {
    for (const hostile of [
      "https://evil.example/",
      "//evil.example/bins",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "javascript:alert(1)",
      "bins",
      "",
      null,
      undefined,
      "/sign-in?next=/x",
      "/api/v1/bins",
    ]) {
      expect(safeNextPath(hostile), String(hostile)).toBe("/bins");
    }
  });

  it("builds the sign-in address only for paths worth returning to", () => {
    expect(signInPathFor("/bins/a?request=1")).toBe("/sign-in?next=%2Fbins%2Fa%3Frequest%3D1");
    expect(signInPathFor("//evil.example")).toBe("/sign-in");
    expect(signInPathFor("/bins")).toBe("/sign-in");
  });
});
