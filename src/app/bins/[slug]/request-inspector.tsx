"use client";

import { useMemo } from "react";
import { queryPairs } from "~/lib/body-view";
import { reasonPhrase } from "~/lib/describe-rules";
import { formatBytes, formatRelativeTime, formatTime } from "~/lib/format";
import { toReplayable, type ReplayableRequest } from "~/lib/replayable-request";
import { api } from "~/trpc/react";
import { CopyButton } from "../../_components/copy-button";
import { BodyViewer } from "./body-viewer";
import { CopyAsPanel } from "./copy-as-panel";
import { PairsTable } from "./pairs-table";
import { SignatureSection } from "./signature-section";
import { useRequestBody } from "./request-body";
import { MethodBadge, statusClass } from "./request-badges";
import { AttemptsList } from "./attempts-list";
import { ReplayPanel } from "./replay-panel";

/** The body as editable text when it is complete and valid UTF-8; binary bodies are sent as stored. */
function editableText(bytes: Uint8Array | null, complete: boolean): string | null {
  if (!bytes || !complete) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const exportLinkClass = "rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:hover:bg-zinc-800";

export function RequestInspector({ id, captureBase, onDeleted }: { id: string; captureBase: string; onDeleted: () => void }) {
  const utils = api.useUtils();
  const request = api.requests.byId.useQuery({ id });
  const remove = api.requests.delete.useMutation({
    onSuccess: async () => {
      onDeleted();
      await utils.requests.list.invalidate();
      await utils.bins.bySlug.invalidate();
    },
  });
  const body = useRequestBody(request.data);
  const bytes = body.bytes;
  const replayable = useMemo((): ReplayableRequest | null => {
    if (!request.data || !bytes) return null;
    return toReplayable(request.data, bytes, captureBase);
  }, [request.data, bytes, captureBase]);

  if (request.isPending) return <p role="status" className="text-sm text-zinc-500 dark:text-zinc-400">Loading request…</p>;
  if (request.isError) return <p role="alert" className="text-sm text-red-600">{request.error.data?.code === "NOT_FOUND" ? "This request no longer exists." : `Could not load the request: ${request.error.message}`}</p>;
  const r = request.data;
  const query = queryPairs(r.query);
  const bodyUrl = `/api/v1/requests/${encodeURIComponent(r.id)}/body`;

  return (
    <article data-testid="request-inspector" className="space-y-5 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <header className="flex flex-wrap items-start gap-3">
        <MethodBadge method={r.method} large />
        <code data-testid="request-url" className="min-w-0 flex-1 basis-full break-all font-mono text-sm sm:basis-0">{replayable?.url}</code>
        <CopyButton text={replayable?.url ?? ""} label="Copy URL" />
        <a href={`/api/v1/requests/${encodeURIComponent(r.id)}/export?format=json`} download className={exportLinkClass} aria-label={`Export request #${r.seq} as JSON`} title="Download this request (headers, body, metadata) as a JSON file">Export JSON</a>
        <a href={`/api/v1/requests/${encodeURIComponent(r.id)}/export?format=har`} download className={exportLinkClass} aria-label={`Export request #${r.seq} as HAR`} title="Download this request as a HAR file (browser dev tools, Postman, Insomnia)">Export HAR</a>
        <button type="button" onClick={() => { if (window.confirm("Delete this request?")) remove.mutate({ id }); }} className="rounded-md border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50 dark:border-red-900 dark:text-red-400 dark:hover:bg-red-950">Delete</button>
      </header>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
        <div><dt className="text-xs text-zinc-500 dark:text-zinc-400">Received</dt><dd><time dateTime={r.receivedAt.toISOString()} title={formatTime(r.receivedAt)}>{formatTime(r.receivedAt)}</time> <span className="text-xs text-zinc-500 dark:text-zinc-400">({formatRelativeTime(r.receivedAt)})</span></dd></div>
        <div><dt className="text-xs text-zinc-500 dark:text-zinc-400">Client IP</dt><dd className="font-mono">{r.ip ?? "unknown"}</dd></div>
        <div><dt className="text-xs text-zinc-500 dark:text-zinc-400">Body size</dt><dd>{formatBytes(r.bodySize)}</dd></div>
        <div><dt className="text-xs text-zinc-500 dark:text-zinc-400">Sequence</dt><dd>#{r.seq}</dd></div>
        <div><dt className="text-xs text-zinc-500 dark:text-zinc-400">Sender got</dt><dd data-testid="sender-got" className={statusClass(r.responseStatus)}>{`${r.responseStatus} ${reasonPhrase(r.responseStatus)}`.trimEnd()}</dd></div>
      </dl>
      {r.truncated && (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Truncated: the sender declared {r.declaredSize === null ? "an unknown size" : formatBytes(r.declaredSize)}; only the first {formatBytes(r.bodySize)} were stored (the sender got 413).
        </p>
      )}
      {r.incomplete && (
        <p role="status" data-testid="incomplete-banner" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Incomplete: the body stopped arriving after {formatBytes(r.bodySize)}
          {r.declaredSize === null ? "" : ` of the ${formatBytes(r.declaredSize)} declared`}; the sender stalled or hung up mid-body. What arrived is shown below.
        </p>
      )}
      {r.signature && <SignatureSection report={r.signature} />}
      <PairsTable caption={`Headers (${r.headers.length})`} pairs={r.headers} copyable />
      {query.length > 0 && <PairsTable caption={`Query parameters (${query.length})`} pairs={query} />}
      {!body.complete && (
        <p role="status" data-testid="body-preview-note" className="text-sm text-zinc-600 dark:text-zinc-400">
          {body.error ? `Showing the first ${formatBytes(bytes?.length ?? 0)}: ${body.error.message}. Download has every byte.` : `Showing the first ${formatBytes(bytes?.length ?? 0)} of ${formatBytes(r.bodySize)} while the rest loads…`}
        </p>
      )}
      {bytes && <BodyViewer key={`${r.id}-${body.complete ? "full" : "preview"}`} id={r.id} seq={r.seq} stored={bytes} contentType={r.contentType} headers={r.headers} />}
      <ReplayPanel key={r.id} requestId={r.id} binId={r.binId} truncated={r.truncated} bodyText={editableText(bytes, body.complete)} />
      <AttemptsList requestId={r.id} />
      {replayable && body.complete && <CopyAsPanel request={replayable} bodyUrl={bodyUrl} />}
    </article>
  );
}
