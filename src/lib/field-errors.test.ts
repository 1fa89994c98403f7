import { describe, expect, it } from "vitest";
import { fieldErrors, toSentence } from "./field-errors";

// What tRPC sends for a rename to "": the message is the issues as JSON, the data has them parsed.
const emptyName = {
  message: JSON.stringify([{ origin: "string", code: "too_small", minimum: 1, inclusive: true, path: ["patch", "name"], message: "Name is required" }], null, 2),
  data: { zodIssues: [{ path: "patch.name", message: "Name is required" }], field: null },
};

describe("fieldErrors", () => {
  it("puts each validation issue beside its field as a sentence, never JSON", () => {
    expect(fieldErrors(emptyName, ["name"], { prefix: "patch." })).toEqual({ name: "Name is required." });
  });

  it("matches nested paths to the longest field and keeps the first issue of each", () => {
    const error = {
      message: "[…]",
      data: {
        zodIssues: [
          { path: "patch.response.headers.0.0", message: "Header name is required" },
          { path: "patch.response.headers.1.0", message: "second" },
          { path: "patch.response.status", message: "Too small: expected number to be >=200" },
          { path: "patch.unknownThing", message: "Unrecognized key" },
        ],
      },
    };
    expect(fieldErrors(error, ["response", "response.headers", "response.status"], { prefix: "patch." })).toEqual({
      "response.headers": "Header name is required.",
      "response.status": "Enter 200 or more.",
      form: "Unrecognized key.",
    });
  });

  it("uses a service's field error, and falls back to a form-level sentence", () => {
    expect(fieldErrors({ message: "This slug is taken", data: { field: "slug" } }, ["name", "slug"])).toEqual({ slug: "This slug is taken." });
    expect(fieldErrors({ message: "Failed to fetch" }, ["name"])).toEqual({ form: "Could not reach the server. Check your connection and try again." });
    expect(fieldErrors({ message: '[{"code":"custom"}]', data: null }, ["name"]).form).not.toContain("{");
    expect(fieldErrors(null, ["name"])).toEqual({});
  });
});

describe("toSentence", () => {
  it("rewrites zod's built-in messages", () => {
    expect(toSentence("Invalid input: expected number, received NaN")).toBe("Enter a number.");
    expect(toSentence("Too small: expected string to have >=1 characters")).toBe("This field is required.");
    expect(toSentence("Too big: expected string to have <=100 characters")).toBe("Use at most 100 characters.");
    expect(toSentence("Too big: expected number to be <=36500")).toBe("Enter 36500 or less.");
    expect(toSentence("must be an HTTP method token")).toBe("Must be an HTTP method token.");
    expect(toSentence("Status must be 200-599")).toBe("Status must be 200-599.");
  });
});
