"use client";

import { useState } from "react";
import { dateToLocalDateTime, hasFilters, localDateTimeToDate, type TRequestFilters } from "~/lib/request-filters";

const COMMON_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
export const SEARCH_INPUT_ID = "request-search";

const inputClass = "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900 aria-[invalid=true]:border-red-500";
const labelClass = "text-xs font-medium text-zinc-600 dark:text-zinc-400";
const errorClass = "mt-1 text-xs text-red-700 dark:text-red-400";

/**
 * Search and filters for the request list: one search field, the other filters behind a toggle
 * (open while any of them is set). Typing changes nothing until the form is submitted (Enter or
 * "Search"), so the list and the page URL change once per search, not per keystroke. The parent
 * keys it by the applied filters, so a URL change resets the fields.
 */
export function RequestFilterBar({ filters, onApply }: { filters: TRequestFilters; onApply: (filters: TRequestFilters) => void }) {
  const [matchCase, setMatchCase] = useState(filters.matchCase === true);
  const [draft, setDraft] = useState({
    q: filters.q ?? "",
    method: filters.method ?? "",
    path: filters.path ?? "",
    from: dateToLocalDateTime(filters.from),
    to: dateToLocalDateTime(filters.to),
  });
  const narrowed = filters.method !== undefined || filters.path !== undefined || filters.from !== undefined || filters.to !== undefined;
  const [open, setOpen] = useState(narrowed);
  const [submitted, setSubmitted] = useState(false);
  const active = hasFilters(filters);
  const set = (key: keyof typeof draft) => (event: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, [key]: event.target.value });
  // datetime-local gives "YYYY-MM-DDTHH:MM[:SS]" in the person's own time zone; it is read as such.
  const from = localDateTimeToDate(draft.from);
  const to = localDateTimeToDate(draft.to);
  const errors = {
    from: draft.from && !from ? "Enter a complete date and time." : null,
    to: draft.to && !to ? "Enter a complete date and time." : from && to && from > to ? "“To” is before “From”." : null,
  };
  const showErrors = submitted || Boolean(from && to && from > to);

  return (
    <form
      role="search"
      aria-label="Filter requests"
      noValidate
      className="mt-2 space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        setSubmitted(true);
        if (errors.from || errors.to) {
          setOpen(true);
          return;
        }
        onApply({
          q: draft.q || undefined,
          matchCase: matchCase || undefined,
          method: draft.method.trim().toUpperCase() || undefined,
          path: draft.path || undefined,
          from,
          to,
        });
      }}
    >
      <div className="flex gap-2">
        <label htmlFor={SEARCH_INPUT_ID} className="sr-only">Search headers and bodies</label>
        <input id={SEARCH_INPUT_ID} type="search" value={draft.q} onChange={set("q")} maxLength={1000} placeholder="Search headers, query and bodies  ( / )" className={inputClass} />
        <button
          type="button"
          aria-pressed={matchCase}
          aria-label="Match case"
          title="Match case: off, ASCII letters match in either case; on, exactly as typed"
          onClick={() => setMatchCase(!matchCase)}
          className={`shrink-0 rounded-md border px-2 py-1.5 font-mono text-sm ${matchCase ? "border-indigo-500 bg-indigo-600 text-white" : "border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"}`}
        >
          Aa
        </button>
        <button
          type="button"
          aria-expanded={open}
          aria-controls="request-filters"
          onClick={() => setOpen(!open)}
          className={`shrink-0 rounded-md border px-2.5 py-1.5 text-sm ${narrowed ? "border-indigo-500 bg-indigo-50 font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200" : "border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"}`}
        >
          Filters{narrowed ? " •" : ""}
        </button>
        <button type="submit" className="shrink-0 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">Search</button>
      </div>
      <div id="request-filters" hidden={!open} className="grid grid-cols-2 gap-2 rounded-lg border border-zinc-200 bg-white p-2 dark:border-zinc-800 dark:bg-zinc-900">
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
          <input id="filter-from" type="datetime-local" step={1} value={draft.from} onChange={set("from")} aria-invalid={showErrors && errors.from ? true : undefined} aria-describedby={showErrors && errors.from ? "filter-from-error" : undefined} className={inputClass} />
          {showErrors && errors.from && <p id="filter-from-error" role="alert" className={errorClass}>{errors.from}</p>}
        </div>
        <div>
          <label htmlFor="filter-to" className={labelClass}>To</label>
          <input id="filter-to" type="datetime-local" step={1} value={draft.to} onChange={set("to")} aria-invalid={showErrors && errors.to ? true : undefined} aria-describedby={showErrors && errors.to ? "filter-to-error" : undefined} className={inputClass} />
          {showErrors && errors.to && <p id="filter-to-error" role="alert" className={errorClass}>{errors.to}</p>}
        </div>
        <p className="col-span-2 text-xs text-zinc-500 dark:text-zinc-400">From and To are in your own time zone.</p>
      </div>
      {active && (
        <button type="button" onClick={() => onApply({})} className="text-xs font-medium text-indigo-700 underline dark:text-indigo-300">
          Clear filters
        </button>
      )}
    </form>
  );
}
