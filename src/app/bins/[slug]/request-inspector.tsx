"use client";

import { useMemo, useState } from "react";
import { base64ToBytes, hexDump, queryPairs, viewBody } from "~/lib/body-view";
import { formatBytes, formatTime } from "~/lib/format";
import { api } from "~/trpc/react";
import { CopyButton } from "../../_components/copy-button";

function PairsTable({ caption, pairs }: { caption: string; pairs: [string, string][] }) {
  return (
    <table className="w-full table-fixed border-collapse text-sm">
      <caption className="mb-1 text-left font-semibold">{caption}</caption>
      <tbody>
        {pairs.map(([name, value], index) => (
          <tr key={`${index}-${name}`} className="border-t border-zinc-200 align-top dark:border-zinc-800">
            <th scope="row" className="w-1/3 break-all py-1 pr-3 text-left font-mono text-xs font-medium text-zinc-600 dark:text-zinc-400">{name}</th>
            <td className="break-all py-1 font-mono text-xs whitespace-pre-wrap">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RequestInspector({ id, captureBase, onDeleted }: { id: string; captureBase: string; onDeleted: () => void }) {
  const utils = api.useUtils();
  const request = api.requests.byId.useQuery({ id });
  const [mode, setMode] = useState<"auto" | "hex">("auto");
  const remove = api.requests.delete.useMutation({
    onSuccess: async () => {
      onDeleted();
      await utils.requests.list.invalidate();
      await utils.bins.bySlug.invalidate();
    },
  });
  const bytes = useMemo(() => (request.data ? base64ToBytes(request.data.bodyBase64) : null), [request.data]);
  const view = useMemo(() => (bytes && request.data ? viewBody(bytes, request.data.contentType) : null), [bytes, request.data]);

  if (request.isPending) return <p className="text-sm text-zinc-500">Loading request…</p>;
  if (request.isError) return <p role="alert" className="text-sm text-red-600">{request.error.data?.code === "NOT_FOUND" ? "This request no longer exists." : `Could not load the request: ${request.error.message}`}</p>;
  const r = request.data;
  const fullUrl = `${captureBase}${r.path === "/" ? "" : r.path}${r.query ? `?${r.query}` : ""}`;
  const showHex = mode === "hex" || view?.kind === "binary";
  const query = queryPairs(r.query);

  return (
    <article data-testid="request-inspector" className="space-y-5 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <header className="flex flex-wrap items-start gap-3">
        <span className="rounded bg-zinc-200 px-2 py-1 font-mono text-sm font-semibold dark:bg-zinc-700">{r.method}</span>
        <code className="min-w-0 flex-1 break-all font-mono text-sm">{fullUrl}</code>
        <button type="button" onClick={() => { if (window.confirm("Delete this request?")) remove.mutate({ id }); }} className="rounded-md border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50 dark:border-red-900 dark:text-red-400 dark:hover:bg-red-950">Delete</button>
      </header>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <div><dt className="text-xs text-zinc-500">Received</dt><dd>{formatTime(r.receivedAt)}</dd></div>
        <div><dt className="text-xs text-zinc-500">Client IP</dt><dd className="font-mono">{r.ip ?? "unknown"}</dd></div>
        <div><dt className="text-xs text-zinc-500">Body size</dt><dd>{formatBytes(r.bodySize)}</dd></div>
        <div><dt className="text-xs text-zinc-500">Sequence</dt><dd>#{r.seq}</dd></div>
      </dl>
      {r.truncated && (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Truncated: the sender declared {r.declaredSize === null ? "an unknown size" : formatBytes(r.declaredSize)}; only the first {formatBytes(r.bodySize)} were stored (the sender got 413).
        </p>
      )}
      <PairsTable caption={`Headers (${r.headers.length})`} pairs={r.headers} />
      {query.length > 0 && <PairsTable caption={`Query parameters (${query.length})`} pairs={query} />}
      <section aria-labelledby="body-heading">
        <div className="flex flex-wrap items-center gap-2">
          <h3 id="body-heading" className="font-semibold">Body</h3>
          <span className="text-xs text-zinc-500">{r.contentType ?? "no content type"}</span>
          <span className="ml-auto flex gap-2">
            {view && view.kind !== "binary" && view.kind !== "empty" && (
              <button type="button" onClick={() => setMode(mode === "hex" ? "auto" : "hex")} className="rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
                {mode === "hex" ? "Show text" : "Show hex"}
              </button>
            )}
            {view && (view.kind === "text" || view.kind === "json") && <CopyButton text={view.text} label="Copy body" />}
            <a href={`/api/v1/requests/${encodeURIComponent(r.id)}/body`} download className="rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">Download</a>
          </span>
        </div>
        {view?.kind === "empty" && <p className="mt-2 text-sm text-zinc-500">Empty body.</p>}
        {bytes && view && view.kind !== "empty" && (
          <pre data-testid="request-body" className="mt-2 max-h-[32rem] overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs whitespace-pre-wrap break-all dark:bg-zinc-800">
            {showHex ? hexDump(bytes) : view.text}
          </pre>
        )}
        {bytes && showHex && bytes.length > 64 * 1024 && <p className="mt-1 text-xs text-zinc-500">Hex view shows the first 64 KiB; download for the rest.</p>}
      </section>
    </article>
  );
}
