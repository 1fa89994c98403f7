"use client";

import { skipToken } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { filtersToInput, matchesLiveFilter, type TRequestFilters } from "~/lib/request-filters";
import { api, type RouterOutputs } from "~/trpc/react";

type Summary = RouterOutputs["requests"]["list"]["requests"][number];

const PAGE_SIZE = 50;
const HIGHLIGHT_MS = 3_000;

/**
 * The bin's history, newest first, narrowed by `filters`: seeded by the paged query, then kept
 * current by the onCapturedBatch subscription. The subscription starts after the bin's newest seq as
 * the first page saw it, and tRPC resends the last seen one on reconnect, so the list never
 * misses or repeats a request.
 *
 * While a filter is set, live captures are judged from their summary: method, path and time are
 * in it, so matching captures are prepended and others skipped. A text filter needs headers and
 * body, which events do not carry (they stay small on purpose), so then nothing is prepended and
 * `pendingCount` says how many captures arrived since the list was read; `refresh()` reads again.
 *
 * `onShown` gets the captures just added to the list, oldest first (for "Follow newest").
 */
export function useLiveRequests(binId: string, slug: string, filters: TRequestFilters, onArrival: () => void, onShown: (added: Summary[]) => void) {
  const utils = api.useUtils();
  // Instants go as ISO strings: the schema takes what a URL or REST query would carry.
  const input = { binId, limit: PAGE_SIZE, filters: filtersToInput(filters) };
  const requests = api.requests.list.useInfiniteQuery(input, {
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    initialCursor: null,
    staleTime: Infinity,
  });
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [pendingCount, setPendingCount] = useState(0);
  const arrival = useRef(onArrival);
  arrival.current = onArrival;
  const shownRef = useRef(onShown);
  shownRef.current = onShown;
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => () => timers.current.forEach(clearTimeout), []);

  const startSeq = requests.data?.pages[0]?.lastSeq ?? null;
  // A new list (other filters, or a refresh) counts anew.
  useEffect(() => setPendingCount(0), [startSeq, requests.dataUpdatedAt]);

  api.requests.onCapturedBatch.useSubscription(startSeq === null ? skipToken : { binId, lastEventId: String(startSeq) }, {
    // One message carries every capture that arrived since the previous one, in seq order.
    onData: ({ data }) => {
      // Live events carry no verdict (capture stays fast); the row's badge asks for it.
      const summaries: Summary[] = data.map((item) => ({ ...item, receivedAt: new Date(item.receivedAt), signature: null }));
      const newest = summaries.at(-1);
      if (!newest) return;
      utils.bins.bySlug.setData({ slug }, (bin) => {
        if (!bin) return bin;
        const unseen = summaries.filter((summary) => summary.seq > bin.lastSeq).length;
        if (unseen === 0) return bin;
        return { ...bin, requestCount: bin.requestCount + unseen, lastRequestAt: newest.receivedAt, lastSeq: newest.seq };
      });
      const shown: Summary[] = [];
      let pending = 0;
      for (const summary of summaries) {
        const verdict = matchesLiveFilter(summary, filters);
        if (verdict === "match") shown.push(summary);
        else if (verdict === "unknown") pending += 1;
      }
      if (pending > 0) setPendingCount((count) => count + pending);
      if (shown.length === 0) return;
      const added: Summary[] = [];
      utils.requests.list.setInfiniteData(input, (old) => {
        if (!old) return old;
        const known = new Set(old.pages.flatMap((page) => page.requests.map((r) => r.id)));
        const fresh = shown.filter((summary) => !known.has(summary.id));
        if (fresh.length === 0) return old;
        added.push(...fresh);
        const [first, ...rest] = old.pages;
        const firstPage = first ?? { requests: [], nextCursor: null, lastSeq: newest.seq };
        // Newest first, like the list.
        return { ...old, pages: [{ ...firstPage, requests: [...fresh.reverse(), ...firstPage.requests] }, ...rest] };
      });
      if (added.length === 0) return;
      const ids = added.map((summary) => summary.id);
      setFresh((current) => new Set([...current, ...ids]));
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        setFresh((current) => {
          const next = new Set(current);
          for (const id of ids) next.delete(id);
          return next;
        });
      }, HIGHLIGHT_MS);
      timers.current.add(timer);
      for (let i = 0; i < added.length; i += 1) arrival.current();
      shownRef.current(added);
    },
  });

  const items = requests.data?.pages.flatMap((page) => page.requests) ?? [];
  const refresh = () => void utils.requests.list.invalidate({ binId });
  return { requests, items, fresh, pendingCount, refresh };
}
