import { z } from "zod";

// Query strings send "" for a parameter left empty (`?path=`): that means "no filter".
const emptyAsUnset = (value: unknown) => (value === "" ? undefined : value);

const ZInstant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with seconds and a zone, e.g. 2026-01-31T09:00:00Z" })
  .transform((text) => new Date(text));

/**
 * Search and filter criteria for a bin's requests. One schema for the tRPC input, the REST query
 * parameters (same names) and the dashboard's URL, so all three accept exactly the same values.
 */
export const ZRequestFiltersSchema = z
  .object({
    /** Exact method; any HTTP token, compared upper-cased (senders' methods are stored as sent, upper-case in practice). */
    method: z.preprocess(
      emptyAsUnset,
      z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/, "must be an HTTP method token of 1–32 characters").transform((m) => m.toUpperCase()).optional(),
    ),
    /** Part of the path (without the query string); ASCII letters match either case. */
    path: z.preprocess(emptyAsUnset, z.string().max(2048).optional()),
    /**
     * Text in any header name or value, the raw query string, or the body bytes; ASCII letters in
     * either case unless `matchCase`.
     */
    q: z.preprocess(emptyAsUnset, z.string().max(1000).optional()),
    /** `true`: `q` matches exactly as typed (case included). Not a filter by itself. */
    matchCase: z.preprocess(
      emptyAsUnset,
      z.union([z.boolean(), z.enum(["true", "false"], { message: "must be true or false" }).transform((v) => v === "true")]).optional(),
    ),
    /** Received at or after. */
    from: z.preprocess(emptyAsUnset, ZInstant.optional()),
    /** Received at or before. */
    to: z.preprocess(emptyAsUnset, ZInstant.optional()),
  })
  .refine((f) => !f.from || !f.to || f.from.getTime() <= f.to.getTime(), { message: "must not be before from", path: ["to"] });
export type TRequestFilters = z.output<typeof ZRequestFiltersSchema>;

export const FILTER_KEYS = ["method", "path", "q", "from", "to"] as const;
/** Keys that change how a filter matches but narrow nothing on their own. */
const OPTION_KEYS = ["matchCase"] as const;
const URL_KEYS = [...FILTER_KEYS, ...OPTION_KEYS] as const;

export function hasFilters(filters: TRequestFilters): boolean {
  return FILTER_KEYS.some((key) => filters[key] !== undefined);
}

/** Filters from a page URL; a value that does not parse is dropped rather than breaking the page. */
export function filtersFromSearchParams(params: URLSearchParams): TRequestFilters {
  const filters: TRequestFilters = {};
  for (const key of URL_KEYS) {
    const parsed = ZRequestFiltersSchema.safeParse({ [key]: params.get(key) ?? undefined });
    if (parsed.success && parsed.data[key] !== undefined) Object.assign(filters, { [key]: parsed.data[key] });
  }
  const checked = ZRequestFiltersSchema.safeParse({ ...filters, from: filters.from?.toISOString(), to: filters.to?.toISOString() });
  return checked.success ? checked.data : { ...filters, to: undefined };
}

/** Writes the filters into `params` (removing empty ones), for a shareable URL. */
export function writeFiltersToSearchParams(filters: TRequestFilters, params: URLSearchParams): URLSearchParams {
  for (const key of URL_KEYS) {
    const value = filters[key];
    if (value === undefined || value === false) params.delete(key);
    else params.set(key, value instanceof Date ? value.toISOString() : String(value));
  }
  return params;
}

/**
 * The filters as the server's schema accepts them: instants as ISO 8601 strings with a zone. A
 * Date would travel as a Date (superjson) and fail the string check, so nothing sends Dates.
 */
export function filtersToInput(filters: TRequestFilters): z.input<typeof ZRequestFiltersSchema> {
  const input: Record<string, string | boolean> = {};
  for (const key of URL_KEYS) {
    const value = filters[key];
    if (value !== undefined) input[key] = value instanceof Date ? value.toISOString() : value;
  }
  return input;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/**
 * A `datetime-local` input's value ("2026-01-31T09:00" or with seconds) as the instant it names in
 * the browser's time zone; undefined for an empty or impossible value (Feb 30, hour 24).
 */
export function localDateTimeToDate(value: string): Date | undefined {
  const match = LOCAL_DATE_TIME.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second, millis] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(year, month - 1, day, hour, minute, second, millis);
  // Feb 30 rolls over into March: refused. A wall-clock time skipped by a daylight-saving jump
  // moves forward an hour on the same day: kept, the nearest instant the person meant.
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : undefined;
}

/** A Date as the local "YYYY-MM-DDTHH:MM:SS" a `datetime-local` input shows. */
export function dateToLocalDateTime(date: Date | undefined): string {
  if (!date) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * Whether a live capture belongs in a filtered list, decided in the browser from the event's
 * summary: "unknown" when a text filter is set, because the summary carries no headers or body.
 * Mirrors the server's rules (SQLite's LIKE folds ASCII letters only).
 */
export function matchesLiveFilter(
  summary: { method: string; path: string; receivedAt: Date },
  filters: TRequestFilters,
): "match" | "no-match" | "unknown" {
  if (filters.method !== undefined && summary.method !== filters.method) return "no-match";
  if (filters.path !== undefined && !asciiLower(summary.path).includes(asciiLower(filters.path))) return "no-match";
  if (filters.from && summary.receivedAt < filters.from) return "no-match";
  if (filters.to && summary.receivedAt > filters.to) return "no-match";
  return filters.q === undefined ? "match" : "unknown";
}
