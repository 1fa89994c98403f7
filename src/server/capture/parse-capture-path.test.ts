import { describe, expect, it } from "vitest";
import { isCapturePath, parseCapturePath } from "./parse-capture-path";

describe("parseCapturePath", () => {
  it("reads a bare slug as the root path with no query", () => {
    expect(parseCapturePath("/b/my-bin")).toEqual({ slug: "my-bin", path: "/", query: "" });
  });

  it("treats a trailing slash as the root path", () => {
    expect(parseCapturePath("/b/my-bin/")).toEqual({ slug: "my-bin", path: "/", query: "" });
  });

  it("keeps a nested sub-path, trailing slash and empty segments included", () => {
    expect(parseCapturePath("/b/my-bin/hooks/github/push")).toEqual({ slug: "my-bin", path: "/hooks/github/push", query: "" });
    expect(parseCapturePath("/b/my-bin/hooks/")).toEqual({ slug: "my-bin", path: "/hooks/", query: "" });
    expect(parseCapturePath("/b/my-bin//double")).toEqual({ slug: "my-bin", path: "//double", query: "" });
  });

  it("keeps the raw query string: order, repeated keys, empty values and bare flags", () => {
    expect(parseCapturePath("/b/my-bin/x?z=1&a=2&z=3&empty=&flag")).toEqual({
      slug: "my-bin",
      path: "/x",
      query: "z=1&a=2&z=3&empty=&flag",
    });
  });

  it("reads a query straight after the slug", () => {
    expect(parseCapturePath("/b/my-bin?a=1&a=2")).toEqual({ slug: "my-bin", path: "/", query: "a=1&a=2" });
    expect(parseCapturePath("/b/my-bin/?a=1")).toEqual({ slug: "my-bin", path: "/", query: "a=1" });
  });

  it("reads an empty query as empty", () => {
    expect(parseCapturePath("/b/my-bin/x?")).toEqual({ slug: "my-bin", path: "/x", query: "" });
  });

  it("keeps percent-encoded characters raw in the path and the query", () => {
    expect(parseCapturePath("/b/my-bin/a%2Fb/%20c%C3%A9?q=%41%26b&next=%2Fhome+page")).toEqual({
      slug: "my-bin",
      path: "/a%2Fb/%20c%C3%A9",
      query: "q=%41%26b&next=%2Fhome+page",
    });
  });

  it("keeps a question mark inside the query", () => {
    expect(parseCapturePath("/b/my-bin/x?redirect=/y?z=1")).toEqual({ slug: "my-bin", path: "/x", query: "redirect=/y?z=1" });
  });

  it("stops at a fragment", () => {
    expect(parseCapturePath("/b/my-bin/x?a=1#frag")).toEqual({ slug: "my-bin", path: "/x", query: "a=1" });
    expect(parseCapturePath("/b/my-bin#frag")).toEqual({ slug: "my-bin", path: "/", query: "" });
  });

  it("does not validate or decode the slug (the bin lookup does)", () => {
    expect(parseCapturePath("/b/My_Bin/x")?.slug).toBe("My_Bin");
    expect(parseCapturePath("/b/my%2Dbin")?.slug).toBe("my%2Dbin");
  });

  it.each([
    "/",
    "",
    "/b",
    "/b/",
    "/b//x",
    "/b?x=1",
    "/bins/my-bin",
    "/api/trpc/bins.list",
    "/dashboard/b/my-bin",
    "//b/my-bin",
    "b/my-bin",
  ])("returns null for the non-capture target %j", (target) => {
    expect(parseCapturePath(target)).toBeNull();
  });
});

describe("isCapturePath", () => {
  it("is true for targets under /b/", () => {
    expect(isCapturePath("/b/my-bin")).toBe(true);
    expect(isCapturePath("/b/my-bin/x?y=1")).toBe(true);
  });

  it("is false for the rest of the app", () => {
    for (const target of ["/", "/b", "/bins", "/api/v1/bins", "/_next/static/x.js"]) {
      expect(isCapturePath(target)).toBe(false);
    }
  });
});
