"use client";

import { skipToken } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { matchesLiveFilter, type TRequestFilters } from "~/lib/request-filters";
import { api, type RouterOutputs } from "~/trpc/react";

type Summary = RouterOutputs["requests"]["list"]["requests"][number];

const PAGE_SIZE = 50;
const HIGHLIGHT_MS = 3_000;

/**
 * The bin's history, newest first, narrowed by `filters`: seeded by the paged query, then kept
 * current by the onCaptured subscription. The subscription starts after the bin's newest seq as
 * the first page saw it, and tRPC resends the last seen one on reconnect, so the list never
 * misses or repeats a request.
 *
 * While a filter is set, live captures are judged from their summary: method, path and time are
 * in it, so matching captures are prepended and others skipped. A text filter needs headers and
 * body, which events do not carry (they stay small on purpose), so then nothing is prepended and
 * `pendingCount` says how many captures arrived since the list was read; `refresh()` reads again.
 */
export function useLiveRequests(binId: string, slug: string, filters: TRequestFilters, onArrival: () => void) {
  const utils = api.useUtils();
  const input = { binId, limit: PAGE_SIZE, filters };
  const requests = api.requests.list.useInfiniteQuery(input, {
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    initialCursor: null,
    staleTime: Infinity,
  });
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [pendingCount, setPendingCount] = useState(0);
  const arrival = useRef(onArrival);
  arrival.current = onArrival;
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => () => timers.current.forEach(clearTimeout), []);

  const startSeq = requests.data?.pages[0]?.lastSeq ?? null;
  // A new list (other filters, or a refresh) counts anew.
  useEffect(() => setPendingCount(0), [startSeq, requests.dataUpdatedAt]);

  api.requests.onCaptured.useSubscription(startSeq === null ? skipToken : { binId, lastEventId: String(startSeq) }, {
    onData: ({ data }) => {
      const summary: Summary = { ...data, receivedAt: new Date(data.receivedAt) };
      utils.bins.bySlug.setData({ slug }, (bin) => {
        if (!bin || summary.seq <= bin.lastSeq) return bin;
        return { ...bin, requestCount: bin.requestCount + 1, lastRequestAt: summary.receivedAt, lastSeq: summary.seq };
      });
      const verdict = matchesLiveFilter(summary, filters);
      if (verdict === "no-match") return;
      if (verdict === "unknown") {
        setPendingCount((count) => count + 1);
        return;
      }
      let added = false;
      utils.requests.list.setInfiniteData(input, (old) => {
        if (!old) return old;
        if (old.pages.some((page) => page.requests.some((r) => r.id === summary.id))) return old;
        added = true;
        const [first, ...rest] = old.pages;
        const firstPage = first ?? { requests: [], nextCursor: null, lastSeq: summary.seq };
        return { ...old, pages: [{ ...firstPage, requests: [summary, ...firstPage.requests] }, ...rest] };
      });
      if (!added) return;
      setFresh((current) => new Set(current).add(summary.id));
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        setFresh((current) => {
          const next = new Set(current);
          next.delete(summary.id);
          return next;
        });
      }, HIGHLIGHT_MS);
      timers.current.add(timer);
      arrival.current();
    },
  });

  const items = requests.data?.pages.flatMap((page) => page.requests) ?? [];
  const refresh = () => void utils.requests.list.invalidate({ binId });
  return { requests, items, fresh, pendingCount, refresh };
}
