import { describe, expect, it } from "vitest";
import { RESERVED_SLUGS, ZBinNameSchema, ZCreateBinSchema, ZSlugSchema, ZUpdateBinSchema } from "./bin-schemas";

/** The messages a refused value produces, so tests check why it was refused. */
function issues(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  expect(result.success).toBe(false);
  return result.error?.issues.map((issue) => issue.message) ?? [];
}

describe("ZSlugSchema", () => {
  it.each(["abc", "a1b", "123", "my-bin", "a-b", "stripe-events-2026"])("accepts %s", (slug) => {
    expect(ZSlugSchema.safeParse(slug)).toEqual({ success: true, data: slug });
  });

  it("accepts exactly 3 and exactly 64 characters", () => {
    expect(ZSlugSchema.safeParse("abc").success).toBe(true);
    const longest = "a".repeat(64);
    expect(ZSlugSchema.safeParse(longest)).toEqual({ success: true, data: longest });
    const dashed = `a${"-".repeat(62)}z`;
    expect(dashed).toHaveLength(64);
    expect(ZSlugSchema.safeParse(dashed).success).toBe(true);
  });

  it("refuses 2 and 65 characters", () => {
    expect(issues(ZSlugSchema.safeParse("ab"))).toContain("Slug must be at least 3 characters");
    expect(issues(ZSlugSchema.safeParse("a".repeat(65)))).toContain("Slug must be at most 64 characters");
  });

  it("refuses the empty string", () => {
    expect(ZSlugSchema.safeParse("").success).toBe(false);
  });

  it.each(["MyBin", "my-Bin", "ABC", "my_bin", "my bin", " abc", "abc ", "abc\n", "bin/x", "b%20n", "café", "a.b.c"])(
    "refuses %j (only lowercase letters, digits and dashes)",
    (slug) => {
      expect(issues(ZSlugSchema.safeParse(slug))).toContain("Slug may contain only lowercase letters, digits and dashes");
    },
  );

  it.each(["-abc", "abc-", "-ab-", "---", "-" + "a".repeat(63)])("refuses %s (leading or trailing dash)", (slug) => {
    expect(issues(ZSlugSchema.safeParse(slug))).toContain("Slug must start and end with a letter or digit");
  });

  it("refuses every reserved word", () => {
    expect(RESERVED_SLUGS.size).toBeGreaterThan(0);
    for (const word of RESERVED_SLUGS) {
      const result = ZSlugSchema.safeParse(word);
      expect(result.success, `reserved slug "${word}" was accepted`).toBe(false);
    }
  });

  it("explains that a well-formed reserved word is reserved", () => {
    for (const word of ["admin", "api", "sign-in", "webhookdump", "undefined"]) {
      expect(issues(ZSlugSchema.safeParse(word))).toEqual(["This slug is reserved"]);
    }
  });

  it("accepts words that merely contain a reserved word", () => {
    for (const slug of ["admin-1", "my-api", "bins2", "apis"]) {
      expect(ZSlugSchema.safeParse(slug).success).toBe(true);
    }
  });

  it("refuses non-strings", () => {
    expect(ZSlugSchema.safeParse(123).success).toBe(false);
    expect(ZSlugSchema.safeParse(null).success).toBe(false);
  });
});

describe("ZBinNameSchema", () => {
  it("accepts 1 and 100 characters", () => {
    expect(ZBinNameSchema.safeParse("x")).toEqual({ success: true, data: "x" });
    const longest = "n".repeat(100);
    expect(ZBinNameSchema.safeParse(longest)).toEqual({ success: true, data: longest });
  });

  it("refuses empty and whitespace-only names", () => {
    for (const name of ["", " ", "   ", "\t\n"]) {
      expect(issues(ZBinNameSchema.safeParse(name))).toContain("Name is required");
    }
  });

  it("refuses 101 characters", () => {
    expect(issues(ZBinNameSchema.safeParse("n".repeat(101)))).toContain("Name must be at most 100 characters");
  });

  it("trims, and measures the length after trimming", () => {
    expect(ZBinNameSchema.safeParse("  Stripe events \n")).toEqual({ success: true, data: "Stripe events" });
    const padded = `  ${"n".repeat(100)}  `;
    expect(ZBinNameSchema.safeParse(padded)).toEqual({ success: true, data: "n".repeat(100) });
    expect(ZBinNameSchema.safeParse(" x ")).toEqual({ success: true, data: "x" });
  });

  it("keeps inner whitespace and non-ASCII characters", () => {
    expect(ZBinNameSchema.safeParse("GitHub  → prod ✓")).toEqual({ success: true, data: "GitHub  → prod ✓" });
  });
});

describe("ZCreateBinSchema and ZUpdateBinSchema", () => {
  it("makes the slug optional and trims the name", () => {
    expect(ZCreateBinSchema.parse({ name: " Hooks " })).toEqual({ name: "Hooks" });
    expect(ZCreateBinSchema.parse({ name: "Hooks", slug: "my-hooks" })).toEqual({ name: "Hooks", slug: "my-hooks" });
  });

  it("validates the slug when one is given", () => {
    expect(ZCreateBinSchema.safeParse({ name: "Hooks", slug: "admin" }).success).toBe(false);
    expect(ZCreateBinSchema.safeParse({ name: "Hooks", slug: "My_Bin" }).success).toBe(false);
  });

  it("requires a name on update", () => {
    expect(ZUpdateBinSchema.safeParse({}).success).toBe(false);
    expect(ZUpdateBinSchema.safeParse({ name: "  " }).success).toBe(false);
    expect(ZUpdateBinSchema.parse({ name: " renamed " })).toEqual({ name: "renamed" });
  });
});
