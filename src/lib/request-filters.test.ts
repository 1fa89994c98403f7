import { afterEach, describe, expect, it } from "vitest";
import { dateToLocalDateTime, filtersFromSearchParams, filtersToInput, hasFilters, localDateTimeToDate, matchesLiveFilter, writeFiltersToSearchParams, ZRequestFiltersSchema } from "./request-filters";

const at = new Date("2026-03-01T10:00:00.000Z");
const summary = { method: "POST", path: "/hooks/GitHub", receivedAt: at };

describe("matchesLiveFilter", () => {
  it("matches everything without filters", () => {
    expect(matchesLiveFilter(summary, {})).toBe("match");
  });
  it("compares the method exactly and the path by ASCII-case-insensitive substring, as the server does", () => {
    expect(matchesLiveFilter(summary, { method: "POST", path: "github" })).toBe("match");
    expect(matchesLiveFilter(summary, { method: "GET" })).toBe("no-match");
    expect(matchesLiveFilter(summary, { path: "/gitlab" })).toBe("no-match");
    // Non-ASCII letters are not folded (SQLite's lower() does not fold them either).
    expect(matchesLiveFilter({ ...summary, path: "/Ä" }, { path: "ä" })).toBe("no-match");
  });
  it("keeps both ends of the time range", () => {
    expect(matchesLiveFilter(summary, { from: at, to: at })).toBe("match");
    expect(matchesLiveFilter(summary, { from: new Date(at.getTime() + 1) })).toBe("no-match");
    expect(matchesLiveFilter(summary, { to: new Date(at.getTime() - 1) })).toBe("no-match");
  });
  it("cannot decide a text search from a summary, unless another filter already excludes it", () => {
    expect(matchesLiveFilter(summary, { q: "push" })).toBe("unknown");
    expect(matchesLiveFilter(summary, { q: "push", method: "PUT" })).toBe("no-match");
  });
});

describe("filters in the page URL", () => {
  it("round-trip through URLSearchParams, other parameters untouched", () => {
    const filters = ZRequestFiltersSchema.parse({ method: "post", path: "/a b", q: "x&y=z", from: "2026-03-01T10:00:00Z", to: "2026-03-01T11:00:00+01:00" });
    const params = writeFiltersToSearchParams(filters, new URLSearchParams("request=abc"));
    expect(params.get("request")).toBe("abc");
    expect(params.get("method")).toBe("POST");
    expect(filtersFromSearchParams(new URLSearchParams(params.toString()))).toEqual(filters);
    expect(writeFiltersToSearchParams({}, params).toString()).toBe("request=abc");
  });
  it("drop values that do not parse instead of failing the page", () => {
    const filters = filtersFromSearchParams(new URLSearchParams("method=GET X&from=yesterday&path=/ok"));
    expect(filters).toEqual({ path: "/ok" });
    expect(hasFilters(filters)).toBe(true);
    expect(hasFilters(filtersFromSearchParams(new URLSearchParams("q=")))).toBe(false);
  });
  it("drop an inverted range's end", () => {
    const filters = filtersFromSearchParams(new URLSearchParams("from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z"));
    expect(filters.from?.toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(filters.to).toBeUndefined();
  });
});

describe("time filter values from a datetime-local input", () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = originalTz;
  });

  it("are read in the browser's time zone and sent as ISO 8601 instants the server accepts", () => {
    process.env.TZ = "Asia/Kolkata";
    const from = localDateTimeToDate("2026-01-31T09:00");
    const to = localDateTimeToDate("2026-01-31T09:30:15");
    expect(from?.toISOString()).toBe("2026-01-31T03:30:00.000Z");
    expect(to?.toISOString()).toBe("2026-01-31T04:00:15.000Z");
    const input = filtersToInput({ from, to, method: "POST" });
    expect(input).toEqual({ from: "2026-01-31T03:30:00.000Z", to: "2026-01-31T04:00:15.000Z", method: "POST" });
    // What the page sends parses on the server as the same instants.
    expect(ZRequestFiltersSchema.parse(input)).toEqual({ from, to, method: "POST" });
    expect(dateToLocalDateTime(from)).toBe("2026-01-31T09:00:00");
  });

  it("refuse empty, malformed and impossible values instead of guessing", () => {
    for (const value of ["", "2026-01-31", "31/01/2026 09:00", "2026-02-30T10:00", "2026-01-31T24:00", "2026-01-31T09:60"]) {
      expect(localDateTimeToDate(value), value).toBeUndefined();
    }
  });

  it("a Date itself is not a valid wire value (it is what the page used to send)", () => {
    expect(ZRequestFiltersSchema.safeParse({ from: new Date() }).success).toBe(false);
  });
});
