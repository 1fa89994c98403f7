"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrors } from "~/lib/field-errors";
import { formatBytes } from "~/lib/format";
import { api } from "~/trpc/react";
import { CopyButton } from "../../_components/copy-button";
import { BinRulesSummary } from "./bin-rules-summary";

const buttonClass = "shrink-0 rounded-md border border-zinc-300 px-2.5 py-1 text-sm hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";

/**
 * The bin's name, capture URL and actions on as few lines as the width allows, so the list and
 * the inspector get the screen.
 */
export function BinHeader({ binId, slug, url, onCleared }: { binId: string; slug: string; url: string; onCleared: () => void }) {
  const router = useRouter();
  const utils = api.useUtils();
  const bin = api.bins.bySlug.useQuery({ slug });
  const config = api.config.get.useQuery();
  const [renaming, setRenaming] = useState(false);
  const rename = api.bins.update.useMutation({
    onSuccess: async () => {
      setRenaming(false);
      await utils.bins.bySlug.invalidate({ slug });
    },
  });
  const renameError = fieldErrors(rename.error, ["name"], { prefix: "patch." });
  const remove = api.bins.delete.useMutation({
    onSuccess: async () => {
      await utils.bins.list.invalidate();
      router.push("/bins");
    },
  });
  const clear = api.requests.clear.useMutation({
    onSuccess: async () => {
      onCleared();
      // The count in the heading comes from the bin: read it again with the list.
      await Promise.all([utils.requests.list.invalidate({ binId }), utils.bins.bySlug.invalidate({ slug })]);
    },
  });
  const empty = bin.data?.requestCount === 0;
  const name = bin.data?.name ?? slug;

  return (
    <section aria-label="Bin" className="shrink-0 rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-2">
        {renaming ? (
          <form
            className="flex min-w-0 flex-1 basis-full flex-wrap items-start gap-2"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              rename.mutate({ id: binId, patch: { name: String(new FormData(event.currentTarget).get("name") ?? "") } });
            }}
          >
            <div className="min-w-0 flex-1">
              <label htmlFor="rename" className="sr-only">Bin name</label>
              <input id="rename" name="name" defaultValue={bin.data?.name} maxLength={100} autoFocus aria-invalid={renameError.name ? true : undefined} aria-describedby={renameError.name ? "rename-error" : undefined} className="w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
              {(renameError.name ?? renameError.form) && <p id="rename-error" role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">{renameError.name ?? renameError.form}</p>}
            </div>
            <button type="submit" disabled={rename.isPending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">Save</button>
            <button type="button" onClick={() => { rename.reset(); setRenaming(false); }} className="rounded-md px-3 py-1.5 text-sm">Cancel</button>
          </form>
        ) : (
          <h1 className="min-w-0 flex-1 basis-full truncate text-lg font-semibold sm:basis-0" title={name}>{bin.data?.name ?? "…"}</h1>
        )}
        <span className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Bin actions">
          <a href={`/api/v1/bins/${encodeURIComponent(binId)}/export?format=json`} download title="Download every request of this bin as one JSON file" aria-label="Export every request as JSON" className={buttonClass}>Export JSON</a>
          <a href={`/api/v1/bins/${encodeURIComponent(binId)}/export?format=har`} download title="Download every request of this bin as a HAR file (browser dev tools, Postman, Insomnia)" aria-label="Export every request as HAR" className={buttonClass}>Export HAR</a>
          {!renaming && <button type="button" onClick={() => setRenaming(true)} className={buttonClass}>Rename</button>}
          <button
            type="button"
            disabled={empty || clear.isPending}
            onClick={() => {
              if (window.confirm("Delete every request in this bin? This cannot be undone.")) clear.mutate({ binId });
            }}
            className={buttonClass}
          >
            Clear
          </button>
          <button
            type="button"
            onClick={() => {
              if (window.confirm(`Delete the bin "${name}" and all its requests? This cannot be undone.`)) remove.mutate({ id: binId });
            }}
            className="shrink-0 rounded-md border border-red-300 px-2.5 py-1 text-sm text-red-700 hover:bg-red-50 dark:border-red-900 dark:text-red-400 dark:hover:bg-red-950"
          >
            Delete bin
          </button>
        </span>
      </div>
      {(clear.error ?? remove.error) && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">{fieldErrors(clear.error ?? remove.error, []).form}</p>}
      <div className="mt-2 flex items-center gap-2">
        <span className="shrink-0 text-sm font-medium">Capture URL</span>
        <code data-testid="capture-url" className="min-w-0 flex-1 truncate rounded-md bg-zinc-100 px-2 py-1 font-mono text-sm dark:bg-zinc-800" title={`Any method, any sub-path, any body up to ${config.data ? formatBytes(config.data.maxBodyBytes) : "the instance limit"}; stored byte for byte`}>{url}</code>
        <CopyButton text={url} label="Copy URL" />
      </div>
      {bin.data && <BinRulesSummary bin={bin.data} maxBodyBytes={config.data?.maxBodyBytes} />}
    </section>
  );
}
