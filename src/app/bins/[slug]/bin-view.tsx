"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { formatBytes, formatRelativeTime, formatTime } from "~/lib/format";
import { filtersFromSearchParams, hasFilters, writeFiltersToSearchParams, type TRequestFilters } from "~/lib/request-filters";
import { api } from "~/trpc/react";
import { ConnectionIndicator } from "../../_components/connection-indicator";
import { CopyButton } from "../../_components/copy-button";
import { useUnseenTitle } from "../../_components/use-unseen-title";
import { BinRulesSummary } from "./bin-rules-summary";
import { copyAsCurl } from "~/lib/copy-as-curl";
import { toReplayable } from "~/lib/replayable-request";
import { RequestFilterBar, SEARCH_INPUT_ID } from "./request-filter-bar";
import { completeBody } from "./request-body";
import { RequestInspector } from "./request-inspector";
import { useNow } from "./use-now";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { useKeyboardShortcuts } from "./use-keyboard-shortcuts";
import { useLiveRequests } from "./use-live-requests";

/** `captureUrl` comes from the server so the first client render matches the server HTML. */
export function BinView({ binId, slug, captureUrl: url }: { binId: string; slug: string; captureUrl: string }) {
  const router = useRouter();
  const searchParams = useSearchParams();
  const selectedId = searchParams.get("request");
  const utils = api.useUtils();
  const bin = api.bins.bySlug.useQuery({ slug });
  const config = api.config.get.useQuery();
  const countUnseen = useUnseenTitle(`${bin.data?.name ?? slug} · WebhookDump`);
  const filterQuery = useMemo(() => writeFiltersToSearchParams(filtersFromSearchParams(searchParams), new URLSearchParams()).toString(), [searchParams]);
  const filters = useMemo(() => filtersFromSearchParams(new URLSearchParams(filterQuery)), [filterQuery]);
  const filtered = hasFilters(filters);
  const { requests, items, fresh, pendingCount, refresh } = useLiveRequests(binId, slug, filters, countUnseen);
  const now = useNow(15_000);
  const [renaming, setRenaming] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const rename = api.bins.update.useMutation({
    onSuccess: async () => {
      setRenaming(false);
      await utils.bins.bySlug.invalidate({ slug });
    },
  });
  const remove = api.bins.delete.useMutation({
    onSuccess: async () => {
      await utils.bins.list.invalidate();
      router.push("/bins");
    },
  });
  const clear = api.requests.clear.useMutation({
    onSuccess: async () => {
      select(null);
      await utils.requests.list.invalidate({ binId });
    },
  });

  function replaceQuery(params: URLSearchParams) {
    const query = params.toString();
    router.replace(query ? `?${query}` : "?", { scroll: false });
  }
  function select(id: string | null) {
    const params = new URLSearchParams(searchParams.toString());
    if (id) params.set("request", id);
    else params.delete("request");
    replaceQuery(params);
  }
  /** Selects the request `offset` rows away from the selected one; focus and scroll follow it. */
  function move(offset: number) {
    const index = items.findIndex((item) => item.id === selectedId);
    const target = index === -1 ? items[0] : items[Math.min(Math.max(index + offset, 0), items.length - 1)];
    if (!target) return;
    select(target.id);
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

  return (
    <div className="space-y-6">
      <section className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-wrap items-center gap-3">
          {renaming ? (
            <form
              className="flex flex-1 items-center gap-2"
              onSubmit={(event) => {
                event.preventDefault();
                rename.mutate({ id: binId, patch: { name: String(new FormData(event.currentTarget).get("name") ?? "") } });
              }}
            >
              <label htmlFor="rename" className="sr-only">Bin name</label>
              <input id="rename" name="name" defaultValue={bin.data?.name} maxLength={100} autoFocus className="flex-1 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
              <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white">Save</button>
              <button type="button" onClick={() => setRenaming(false)} className="rounded-md px-3 py-1.5 text-sm">Cancel</button>
              {rename.error && <p role="alert" className="text-sm text-red-600">{rename.error.message}</p>}
            </form>
          ) : (
            <>
              <h1 className="min-w-0 flex-1 basis-full truncate text-xl font-semibold sm:basis-0">{bin.data?.name ?? "…"}</h1>
              <span className="flex items-center gap-1 text-sm" role="group" aria-label="Export every request">
                <span className="text-zinc-600 dark:text-zinc-400">Export</span>
                <a href={`/api/v1/bins/${encodeURIComponent(binId)}/export?format=json`} download aria-label="Export every request as JSON" className="rounded-md border border-zinc-300 px-2 py-1.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">JSON</a>
                <a href={`/api/v1/bins/${encodeURIComponent(binId)}/export?format=har`} download aria-label="Export every request as HAR" className="rounded-md border border-zinc-300 px-2 py-1.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">HAR</a>
              </span>
              <button type="button" onClick={() => setRenaming(true)} className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">Rename</button>
              <button
                type="button"
                disabled={items.length === 0 || clear.isPending}
                onClick={() => {
                  if (window.confirm("Delete every request in this bin? This cannot be undone.")) clear.mutate({ binId });
                }}
                className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
              >
                Clear
              </button>
              <button
                type="button"
                onClick={() => {
                  if (window.confirm(`Delete the bin "${bin.data?.name ?? slug}" and all its requests? This cannot be undone.`)) remove.mutate({ id: binId });
                }}
                className="rounded-md border border-red-300 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 dark:border-red-900 dark:text-red-400 dark:hover:bg-red-950"
              >
                Delete bin
              </button>
            </>
          )}
        </div>
        <div className="mt-4">
          <p className="text-sm font-medium">Capture URL</p>
          <div className="mt-1 flex items-center gap-2">
            <code data-testid="capture-url" className="min-w-0 flex-1 truncate rounded-md bg-zinc-100 px-3 py-2 font-mono text-sm dark:bg-zinc-800">{url}</code>
            <CopyButton text={url} label="Copy URL" />
          </div>
          <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
            Any method, any sub-path, any body up to {config.data ? formatBytes(config.data.maxBodyBytes) : "…"}; stored byte for byte.
          </p>
          {bin.data && <BinRulesSummary bin={bin.data} maxBodyBytes={config.data?.maxBodyBytes} />}
        </div>
        <div className="mt-3">
          <p className="text-sm font-medium">Try it</p>
          <div className="mt-1 flex items-start gap-2">
            <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 font-mono text-xs dark:bg-zinc-800">{curl}</pre>
            <CopyButton text={curl} />
          </div>
        </div>
      </section>

      <div className="grid gap-6 lg:grid-cols-[22rem_1fr]">
        <section aria-labelledby="requests-heading" className="min-w-0">
          <div className="flex items-center justify-between">
            <h2 id="requests-heading" className="font-semibold">Requests <span className="font-normal text-zinc-500 dark:text-zinc-400">({bin.data?.requestCount.toLocaleString() ?? "…"})</span></h2>
            <span className="flex items-center gap-3">
              <button type="button" onClick={() => setHelpOpen(true)} className="rounded-md px-1.5 text-xs text-zinc-600 underline hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white" aria-keyshortcuts="?">
                Shortcuts <kbd className="font-mono">?</kbd>
              </button>
              <ConnectionIndicator />
            </span>
          </div>
          <p role="status" data-testid="shortcut-status" className={announcement ? "mt-2 text-xs text-zinc-600 dark:text-zinc-400" : "sr-only"}>{announcement}</p>
          <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
          <RequestFilterBar key={filterQuery} filters={filters} onApply={applyFilters} />
          {pendingCount > 0 && (
            <button type="button" onClick={refresh} className="mt-3 w-full rounded-md border border-indigo-300 bg-indigo-50 px-3 py-2 text-sm font-medium text-indigo-800 hover:bg-indigo-100 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
              {pendingCount === 1 ? "1 new request" : `${pendingCount.toLocaleString()} new requests`} — refresh to search them
            </button>
          )}
          {requests.isPending && <p role="status" className="mt-3 text-sm text-zinc-500 dark:text-zinc-400">Loading requests…</p>}
          {requests.isError && (
            <div role="alert" className="mt-3 rounded-lg border border-red-300 p-4 text-sm text-red-700 dark:border-red-900 dark:text-red-400">
              <p>Could not load requests: {requests.error.message}</p>
              <button type="button" onClick={() => void requests.refetch()} className="mt-2 rounded-md border border-red-300 px-2 py-1 text-xs font-medium dark:border-red-900">Try again</button>
            </div>
          )}
          {requests.data && items.length === 0 && filtered && (
            <div className="mt-3 rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
              <p className="font-medium">No requests match these filters.</p>
              <p className="mt-1">New captures that match appear here; “Clear filters” shows every request.</p>
            </div>
          )}
          {requests.data && items.length === 0 && !filtered && (
            <div className="mt-3 rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
              <p className="font-medium">No requests yet.</p>
              <p className="mt-1">Send any HTTP request to the capture URL above, for example with the curl command: it appears here at once.</p>
            </div>
          )}
          {items.length > 0 && (
            <ul data-testid="request-list" className="mt-3 max-h-[75vh] overflow-y-auto [overflow-anchor:auto] divide-y divide-zinc-200 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
              {items.map((item) => (
                <li key={item.id} data-fresh={fresh.has(item.id) ? "true" : undefined} className={`transition-colors duration-1000 ${fresh.has(item.id) ? "bg-amber-50 dark:bg-amber-950/40" : ""}`}>
                  <button
                    type="button"
                    onClick={() => select(item.id)}
                    data-request-id={item.id}
                    aria-current={item.id === selectedId ? "true" : undefined}
                    className={`block w-full px-3 py-2 text-left hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-500 dark:hover:bg-zinc-800/60 ${item.id === selectedId ? "bg-indigo-50 dark:bg-indigo-950/40" : ""}`}
                  >
                    <span className="flex items-center gap-2">
                      <span className="rounded bg-zinc-200 px-1.5 py-0.5 font-mono text-xs font-semibold dark:bg-zinc-700">{item.method}</span>
                      <span className="min-w-0 flex-1 truncate font-mono text-sm">{item.path}{item.query ? `?${item.query}` : ""}</span>
                      <span className="text-xs text-zinc-500 dark:text-zinc-400">#{item.seq}</span>
                    </span>
                    <span className="mt-1 flex gap-3 text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400">
                      <time dateTime={item.receivedAt.toISOString()} title={formatTime(item.receivedAt)}>{formatRelativeTime(item.receivedAt, Math.max(now, item.receivedAt.getTime()))}</time>
                      <span title="Status the sender was answered with" className={item.responseStatus >= 400 ? "font-semibold text-red-600 dark:text-red-400" : ""}>→ {item.responseStatus}</span>
                      <span>{formatBytes(item.bodySize)}{item.truncated ? " (truncated)" : ""}{item.incomplete ? " (incomplete)" : ""}</span>
                      <span className="min-w-0 truncate">{item.contentType ?? "no content type"}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {requests.hasNextPage && (
            <button type="button" onClick={() => void requests.fetchNextPage()} disabled={requests.isFetchingNextPage} className="mt-3 w-full rounded-md border border-zinc-300 px-3 py-2 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
              {requests.isFetchingNextPage ? "Loading…" : "Load older requests"}
            </button>
          )}
        </section>
        <section aria-label="Request details" className="min-w-0">
          {selectedId ? (
            <RequestInspector id={selectedId} captureBase={url} onDeleted={() => select(null)} />
          ) : (
            <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-500 dark:text-zinc-400 dark:border-zinc-700">Select a request to inspect it.</div>
          )}
        </section>
      </div>
    </div>
  );
}
