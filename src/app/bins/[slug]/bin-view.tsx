"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { copyAsCurl } from "~/lib/copy-as-curl";
import { fieldErrors } from "~/lib/field-errors";
import { formatBytes, formatRelativeTime, formatTime } from "~/lib/format";
import { toReplayable } from "~/lib/replayable-request";
import { filtersFromSearchParams, hasFilters, writeFiltersToSearchParams, type TRequestFilters } from "~/lib/request-filters";
import { api } from "~/trpc/react";
import { ConnectionIndicator } from "../../_components/connection-indicator";
import { CopyButton } from "../../_components/copy-button";
import { useUnseenTitle } from "../../_components/use-unseen-title";
import { BinHeader } from "./bin-header";
import { completeBody } from "./request-body";
import { MethodBadge, statusClass } from "./request-badges";
import { SignatureBadge } from "./signature-badge";
import { RequestFilterBar, SEARCH_INPUT_ID } from "./request-filter-bar";
import { RequestInspector } from "./request-inspector";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { useKeyboardShortcuts } from "./use-keyboard-shortcuts";
import { useLiveRequests } from "./use-live-requests";
import { useNow } from "./use-now";

/** Below Tailwind's `lg`, list and inspector are two screens instead of two columns. */
const WIDE = "(min-width: 1024px)";
const isWide = () => typeof window !== "undefined" && window.matchMedia(WIDE).matches;

/** `captureUrl` comes from the server so the first client render matches the server HTML. */
export function BinView({ binId, slug, captureUrl: url }: { binId: string; slug: string; captureUrl: string }) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const selectedId = searchParams.get("request");
  const utils = api.useUtils();
  const bin = api.bins.bySlug.useQuery({ slug });
  const countUnseen = useUnseenTitle(`${bin.data?.name ?? slug} · WebhookDump`);
  const filterQuery = useMemo(() => writeFiltersToSearchParams(filtersFromSearchParams(searchParams), new URLSearchParams()).toString(), [searchParams]);
  const filters = useMemo(() => filtersFromSearchParams(new URLSearchParams(filterQuery)), [filterQuery]);
  const filtered = hasFilters(filters);
  // "Follow newest": on while the page opened with nothing selected, on a wide screen (on a phone
  // a capture would snatch the list away); choosing a request by hand turns it off.
  const [following, setFollow] = useState(false);
  const openedWith = useRef(selectedId);
  useEffect(() => {
    if (openedWith.current === null && isWide()) setFollow(true);
  }, []);
  const followRef = useRef(following);
  followRef.current = following;
  // Whether the open request was opened from the list on this page, so Back can be history's.
  const openedFromList = useRef(false);
  const { requests, items, fresh, pendingCount, refresh } = useLiveRequests(binId, slug, filters, countUnseen, (added) => {
    const newest = added.at(-1);
    if (newest && followRef.current) select(newest.id);
  });
  const now = useNow(15_000);
  const [helpOpen, setHelpOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");

  function queryWith(change: (params: URLSearchParams) => void): string {
    const params = new URLSearchParams(window.location.search);
    change(params);
    const query = params.toString();
    return query ? `?${query}` : "?";
  }
  function replaceQuery(params: URLSearchParams) {
    const query = params.toString();
    router.replace(query ? `?${query}` : "?", { scroll: false });
  }
  /**
   * Opening a request from none is a history step (browser Back closes it, as on a phone);
   * moving between requests replaces it, so Back does not walk through every row visited.
   */
  function select(id: string | null) {
    const current = new URLSearchParams(window.location.search).get("request");
    if (current === id) return;
    const href = queryWith((params) => (id ? params.set("request", id) : params.delete("request")));
    if (id && !current) {
      openedFromList.current = true;
      router.push(href, { scroll: false });
      if (!isWide()) window.scrollTo({ top: 0 });
    } else {
      router.replace(href, { scroll: false });
    }
  }
  function choose(id: string) {
    setFollow(id === items[0]?.id && following);
    select(id);
  }
  function backToList() {
    if (openedFromList.current) {
      openedFromList.current = false;
      router.back();
    } else {
      select(null);
    }
  }
  // Back on the list (the control or the browser's), the row just read has the focus and is in view.
  const previous = useRef(selectedId);
  useEffect(() => {
    const closed = previous.current;
    previous.current = selectedId;
    if (selectedId !== null || closed === null) return;
    const row = document.querySelector<HTMLElement>(`[data-request-id="${CSS.escape(closed)}"]`);
    row?.focus({ preventScroll: true });
    row?.scrollIntoView({ block: "nearest" });
  }, [selectedId]);
  /** Selects the request `offset` rows away from the selected one; focus and scroll follow it. */
  function move(offset: number) {
    const index = items.findIndex((item) => item.id === selectedId);
    const target = index === -1 ? items[0] : items[Math.min(Math.max(index + offset, 0), items.length - 1)];
    if (!target) return;
    choose(target.id);
    const row = document.querySelector<HTMLElement>(`[data-request-id="${CSS.escape(target.id)}"]`);
    row?.focus();
    row?.scrollIntoView({ block: "nearest" });
  }
  async function copySelectedAsCurl() {
    if (!selectedId) {
      setAnnouncement("Select a request first (j or k).");
      return;
    }
    try {
      const record = await utils.requests.byId.fetch({ id: selectedId });
      const { command } = copyAsCurl(toReplayable(record, await completeBody(record), url));
      await navigator.clipboard.writeText(command);
      setAnnouncement(`Copied request #${record.seq} as cURL.`);
    } catch (error) {
      setAnnouncement(`Could not copy: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  useKeyboardShortcuts({
    next: () => move(1),
    previous: () => move(-1),
    focusSearch: () => document.getElementById(SEARCH_INPUT_ID)?.focus(),
    copyAsCurl: () => void copySelectedAsCurl(),
    showHelp: () => setHelpOpen(true),
  });

  /** Filters live in the URL (shareable, kept on reload); the selected request stays. */
  function applyFilters(next: TRequestFilters) {
    replaceQuery(writeFiltersToSearchParams(next, new URLSearchParams(searchParams.toString())));
  }

  const curl = `curl -X POST '${url}/hello?source=curl' -H 'Content-Type: application/json' -d '{"hello":"world"}'`;
  const listError = requests.isError ? fieldErrors(requests.error, ["filters.from", "filters.to", "filters.method", "filters.path", "filters.q"]) : null;

  return (
    <div className="flex flex-col gap-3 lg:h-[calc(100dvh-7.5rem)] lg:min-h-[36rem]">
      <div className={selectedId ? "hidden lg:block" : undefined}>
        <BinHeader binId={binId} slug={slug} url={url} onCleared={() => select(null)} />
      </div>

      <div className="grid min-h-0 flex-1 gap-4 lg:grid-cols-[26rem_minmax(0,1fr)] lg:grid-rows-[minmax(0,1fr)]">
        <section aria-labelledby="requests-heading" className={`min-h-0 min-w-0 flex-col ${selectedId ? "hidden lg:flex" : "flex"}`}>
          <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
            <h2 id="requests-heading" className="font-semibold">Requests <span data-testid="request-count" className="font-normal text-zinc-600 dark:text-zinc-400">({bin.data?.requestCount.toLocaleString() ?? "…"})</span></h2>
            <span className="flex items-center gap-3">
              <label className="flex items-center gap-1.5 text-xs text-zinc-700 dark:text-zinc-300" title="Open each new capture as it arrives">
                <input type="checkbox" checked={following} onChange={(event) => setFollow(event.target.checked)} className="accent-indigo-600" />
                Follow newest
              </label>
              <button type="button" onClick={() => setHelpOpen(true)} className="rounded-md px-1.5 text-xs text-zinc-600 underline hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white" aria-keyshortcuts="?">
                Shortcuts <kbd className="font-mono">?</kbd>
              </button>
              <ConnectionIndicator />
            </span>
          </div>
          <p role="status" data-testid="shortcut-status" className={announcement ? "mt-1 text-xs text-zinc-600 dark:text-zinc-400" : "sr-only"}>{announcement}</p>
          <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
          <RequestFilterBar key={filterQuery} filters={filters} onApply={applyFilters} />
          {pendingCount > 0 && (
            <button type="button" onClick={refresh} className="mt-2 w-full rounded-md border border-indigo-300 bg-indigo-50 px-3 py-2 text-sm font-medium text-indigo-800 hover:bg-indigo-100 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
              {pendingCount === 1 ? "1 new request" : `${pendingCount.toLocaleString()} new requests`} — refresh to search them
            </button>
          )}
          {requests.isPending && <p role="status" className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Loading requests…</p>}
          {listError && (
            <div role="alert" className="mt-2 rounded-lg border border-red-300 p-3 text-sm text-red-700 dark:border-red-900 dark:text-red-400">
              <p>Could not load requests.</p>
              <ul className="mt-1 list-disc pl-5">
                {Object.entries(listError).map(([field, message]) => (
                  <li key={field}>{field === "form" ? message : `${field.replace("filters.", "").replace(/^q$/, "search").replace(/^./, (c) => c.toUpperCase())}: ${message}`}</li>
                ))}
              </ul>
              <button type="button" onClick={() => void requests.refetch()} className="mt-2 rounded-md border border-red-300 px-2 py-1 text-xs font-medium dark:border-red-900">Try again</button>
            </div>
          )}
          {requests.data && items.length === 0 && filtered && (
            <div className="mt-2 rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
              <p className="font-medium">No requests match these filters.</p>
              <p className="mt-1">New captures that match appear here; “Clear filters” shows every request.</p>
            </div>
          )}
          {requests.data && items.length === 0 && !filtered && (
            <div className="mt-2 rounded-lg border border-dashed border-zinc-300 p-5 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
              <p className="font-medium">No requests yet.</p>
              <p className="mt-1">Send any HTTP request to the capture URL: it appears here at once.</p>
              <p className="mt-3 text-sm font-medium text-zinc-900 dark:text-zinc-100">Try it</p>
              <div className="mt-1 flex items-start gap-2">
                <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 font-mono text-xs dark:bg-zinc-800">{curl}</pre>
                <CopyButton text={curl} />
              </div>
            </div>
          )}
          {items.length > 0 && (
            <div data-testid="request-scroller" className="mt-2 rounded-lg border border-zinc-200 bg-white [overflow-anchor:auto] lg:min-h-0 lg:flex-1 lg:overflow-y-auto dark:border-zinc-800 dark:bg-zinc-900">
              <ul data-testid="request-list" className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {items.map((item) => {
                  const selected = item.id === selectedId;
                  return (
                    <li key={item.id} data-fresh={fresh.has(item.id) ? "true" : undefined} className={`transition-colors duration-1000 ${fresh.has(item.id) ? "bg-amber-50 dark:bg-amber-950/40" : ""}`}>
                      <button
                        type="button"
                        onClick={() => choose(item.id)}
                        data-request-id={item.id}
                        aria-current={selected ? "true" : undefined}
                        className={`block w-full px-3 py-1.5 text-left focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-500 ${selected ? "bg-indigo-100 shadow-[inset_4px_0_0_0_var(--color-indigo-600)] dark:bg-indigo-900 dark:shadow-[inset_4px_0_0_0_var(--color-indigo-300)]" : "hover:bg-zinc-50 dark:hover:bg-zinc-800/60"}`}
                      >
                        <span className="flex items-center gap-2">
                          <MethodBadge method={item.method} />
                          <span className="min-w-0 flex-1 truncate font-mono text-sm">{item.path}{item.query ? `?${item.query}` : ""}</span>
                          <SignatureBadge id={item.id} signature={item.signature} binVerifies={Boolean(bin.data?.signature)} />
                          <span className={`text-xs ${selected ? "text-zinc-700 dark:text-zinc-200" : "text-zinc-600 dark:text-zinc-400"}`}>#{item.seq}</span>
                        </span>
                        <span className={`mt-0.5 flex gap-3 text-xs whitespace-nowrap ${selected ? "text-zinc-700 dark:text-zinc-200" : "text-zinc-600 dark:text-zinc-400"}`}>
                          <time dateTime={item.receivedAt.toISOString()} title={formatTime(item.receivedAt)}>{formatRelativeTime(item.receivedAt, Math.max(now, item.receivedAt.getTime()))}</time>
                          <span title="Status the sender was answered with" data-status={item.responseStatus} className={statusClass(item.responseStatus)}>→ {item.responseStatus}</span>
                          <span>{formatBytes(item.bodySize)}{item.truncated ? " (truncated)" : ""}{item.incomplete ? " (incomplete)" : ""}</span>
                          <span className="min-w-0 truncate">{item.contentType ?? "no content type"}</span>
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
              {requests.hasNextPage && (
                <div className="border-t border-zinc-200 p-2 dark:border-zinc-800">
                  <button type="button" onClick={() => void requests.fetchNextPage()} disabled={requests.isFetchingNextPage} className="w-full rounded-md border border-zinc-300 px-3 py-2 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
                    {requests.isFetchingNextPage ? "Loading…" : "Load older requests"}
                  </button>
                </div>
              )}
            </div>
          )}
        </section>
        <section aria-label="Request details" className={`min-h-0 min-w-0 lg:overflow-y-auto ${selectedId ? "block" : "hidden lg:block"}`}>
          {selectedId ? (
            <>
              <button type="button" onClick={backToList} className="mb-3 inline-flex items-center gap-1 rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 lg:hidden dark:border-zinc-700 dark:hover:bg-zinc-800">
                <span aria-hidden>←</span> Back to requests
              </button>
              <RequestInspector id={selectedId} captureBase={url} onDeleted={() => select(null)} />
            </>
          ) : (
            <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">Select a request to inspect it.</div>
          )}
        </section>
      </div>
    </div>
  );
}
