"use client";

import { useState } from "react";
import type { TRequestFilters } from "~/lib/request-filters";

const COMMON_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
export const SEARCH_INPUT_ID = "request-search";

const pad = (n: number) => String(n).padStart(2, "0");
/** A Date as the local "YYYY-MM-DDTHH:MM:SS" a datetime-local input shows. */
function toLocalInput(date: Date | undefined): string {
  if (!date) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
function fromLocalInput(value: string): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const inputClass = "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const labelClass = "text-xs font-medium text-zinc-600 dark:text-zinc-400";

/**
 * Search and filters for the request list. Typing changes nothing until the form is submitted
 * (Enter or "Search"), so the list and the page URL change once per search, not per keystroke.
 * The parent keys it by the applied filters, so a URL change resets the fields.
 */
export function RequestFilterBar({ filters, onApply }: { filters: TRequestFilters; onApply: (filters: TRequestFilters) => void }) {
  const [draft, setDraft] = useState({
    q: filters.q ?? "",
    method: filters.method ?? "",
    path: filters.path ?? "",
    from: toLocalInput(filters.from),
    to: toLocalInput(filters.to),
  });
  const active = Object.values(filters).some((value) => value !== undefined);
  const set = (key: keyof typeof draft) => (event: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [key]: event.target.value });
  const from = fromLocalInput(draft.from);
  const to = fromLocalInput(draft.to);
  const rangeError = from && to && from > to ? "“To” is before “from”." : null;

  return (
    <form
      role="search"
      aria-label="Filter requests"
      className="mt-3 space-y-2 rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900"
      onSubmit={(event) => {
        event.preventDefault();
        if (rangeError) return;
        onApply({
          q: draft.q || undefined,
          method: draft.method.trim().toUpperCase() || undefined,
          path: draft.path || undefined,
          from,
          to,
        });
      }}
    >
      <div className="flex gap-2">
        <label htmlFor={SEARCH_INPUT_ID} className="sr-only">Search headers and bodies</label>
        <input id={SEARCH_INPUT_ID} type="search" value={draft.q} onChange={set("q")} maxLength={1000} placeholder="Search headers and bodies  ( / )" className={inputClass} />
        <button type="submit" className="shrink-0 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">Search</button>
      </div>
      <div className="grid grid-cols-2 gap-2">
        <div>
          <label htmlFor="filter-method" className={labelClass}>Method</label>
          <input id="filter-method" list="filter-methods" value={draft.method} onChange={set("method")} maxLength={32} placeholder="any" autoCapitalize="characters" className={inputClass} />
          <datalist id="filter-methods">{COMMON_METHODS.map((m) => <option key={m} value={m} />)}</datalist>
        </div>
        <div>
          <label htmlFor="filter-path" className={labelClass}>Path contains</label>
          <input id="filter-path" value={draft.path} onChange={set("path")} maxLength={2048} placeholder="/hooks" className={inputClass} />
        </div>
        <div>
          <label htmlFor="filter-from" className={labelClass}>From</label>
          <input id="filter-from" type="datetime-local" step={1} value={draft.from} onChange={set("from")} className={inputClass} />
        </div>
        <div>
          <label htmlFor="filter-to" className={labelClass}>To</label>
          <input id="filter-to" type="datetime-local" step={1} value={draft.to} onChange={set("to")} aria-invalid={rangeError ? true : undefined} aria-describedby={rangeError ? "filter-range-error" : undefined} className={inputClass} />
        </div>
      </div>
      {rangeError && <p id="filter-range-error" role="alert" className="text-xs text-red-700 dark:text-red-400">{rangeError}</p>}
      {active && (
        <button type="button" onClick={() => onApply({})} className="text-xs font-medium text-indigo-700 underline dark:text-indigo-300">
          Clear filters
        </button>
      )}
    </form>
  );
}
