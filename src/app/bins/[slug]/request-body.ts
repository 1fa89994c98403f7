"use client";

import { useQuery } from "@tanstack/react-query";
import { base64ToBytes } from "~/lib/body-view";

/** The exact stored bytes, as binary from the REST endpoint (no base64 on the wire). */
export async function fetchRequestBody(id: string): Promise<Uint8Array> {
  const response = await fetch(`/api/v1/requests/${encodeURIComponent(id)}/body`);
  if (!response.ok) throw new Error(`Could not load the body (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The whole body of a record from requests.byId, fetching the rest when only a preview came with it. */
export async function completeBody(record: { id: string; bodyBase64: string; bodyComplete: boolean }): Promise<Uint8Array> {
  return record.bodyComplete ? base64ToBytes(record.bodyBase64) : fetchRequestBody(record.id);
}

/**
 * The preview at once, then the whole body when the preview was not all of it: a multi-MiB body
 * is readable immediately and complete a moment later.
 */
export function useRequestBody(record: { id: string; bodyBase64: string; bodyComplete: boolean } | undefined) {
  const full = useQuery({
    queryKey: ["request-body", record?.id],
    queryFn: () => fetchRequestBody(record?.id ?? ""),
    enabled: record !== undefined && !record.bodyComplete,
    staleTime: Infinity,
  });
  const preview = record ? base64ToBytes(record.bodyBase64) : null;
  const complete = record ? record.bodyComplete || full.data !== undefined : false;
  return { bytes: full.data ?? preview, complete, error: full.error };
}
