"use client";

import { skipToken } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api, type RouterOutputs } from "~/trpc/react";

type Summary = RouterOutputs["requests"]["list"]["requests"][number];

const PAGE_SIZE = 50;
const HIGHLIGHT_MS = 3_000;

/**
 * The bin's history, newest first: seeded by the paged query, then kept current by the
 * onCaptured subscription. The subscription starts from the newest loaded seq and tRPC resends
 * the last seen one on reconnect, so the list never misses or repeats a request.
 */
export function useLiveRequests(binId: string, slug: string, onArrival: () => void) {
  const utils = api.useUtils();
  const requests = api.requests.list.useInfiniteQuery(
    { binId, limit: PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined, initialCursor: null, staleTime: Infinity },
  );
  const [startSeq, setStartSeq] = useState<number | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const arrival = useRef(onArrival);
  arrival.current = onArrival;

  useEffect(() => {
    if (startSeq === null && requests.data) setStartSeq(requests.data.pages[0]?.requests[0]?.seq ?? 0);
  }, [requests.data, startSeq]);

  api.requests.onCaptured.useSubscription(startSeq === null ? skipToken : { binId, lastEventId: String(startSeq) }, {
    onData: ({ data }) => {
      const summary: Summary = { ...data, receivedAt: new Date(data.receivedAt) };
      let added = false;
      utils.requests.list.setInfiniteData({ binId, limit: PAGE_SIZE }, (old) => {
        if (!old) return old;
        if (old.pages.some((page) => page.requests.some((r) => r.id === summary.id))) return old;
        added = true;
        const [first, ...rest] = old.pages;
        const firstPage = first ?? { requests: [], nextCursor: null };
        return { ...old, pages: [{ ...firstPage, requests: [summary, ...firstPage.requests] }, ...rest] };
      });
      if (!added) return;
      utils.bins.bySlug.setData({ slug }, (bin) =>
        bin && { ...bin, requestCount: bin.requestCount + 1, lastRequestAt: summary.receivedAt, lastSeq: Math.max(bin.lastSeq, summary.seq) },
      );
      setFresh((current) => new Set(current).add(summary.id));
      setTimeout(() => {
        setFresh((current) => {
          const next = new Set(current);
          next.delete(summary.id);
          return next;
        });
      }, HIGHLIGHT_MS);
      arrival.current();
    },
  });

  const items = requests.data?.pages.flatMap((page) => page.requests) ?? [];
  return { requests, items, fresh };
}
