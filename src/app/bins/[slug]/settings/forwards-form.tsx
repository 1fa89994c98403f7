"use client";

import { useEffect, useState, type FormEvent } from "react";
import { fieldErrors } from "~/lib/field-errors";
import { parseHeaderLines } from "~/lib/header-lines";
import { api, type RouterOutputs } from "~/trpc/react";

type Bin = RouterOutputs["bins"]["bySlug"];
type Forward = Bin["forwards"][number];

interface Draft {
  id?: string;
  url: string;
  pathMode: "append" | "exact";
  host: string;
  headerLines: string;
  methods: string;
  pathPrefix: string;
  concurrency: string;
  enabled: boolean;
}

const MAX_TARGETS = 5;
const inputClass =
  "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-950";
const labelClass = "block text-xs font-medium text-zinc-600 dark:text-zinc-400";
const smallButton = "rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:hover:bg-zinc-800";

const draftOf = (f: Forward): Draft => ({
  id: f.id,
  url: f.url,
  pathMode: f.pathMode,
  host: f.host,
  headerLines: f.headers.map(([name, value]) => `${name}: ${value}`).join("\n"),
  methods: f.methods?.join(", ") ?? "",
  pathPrefix: f.pathPrefix ?? "",
  concurrency: String(f.concurrency),
  enabled: f.enabled,
});
const blank = (): Draft => ({ url: "", pathMode: "append", host: "target", headerLines: "", methods: "", pathPrefix: "", concurrency: "1", enabled: true });

function QueueState({ binId, forward }: { binId: string; forward: Forward }) {
  const utils = api.useUtils();
  const pause = api.bins.setForwardPaused.useMutation({ onSuccess: () => utils.bins.bySlug.invalidate() });
  const { state } = forward;
  return (
    <div className="flex flex-wrap items-center gap-3 text-xs text-zinc-600 dark:text-zinc-400" data-testid="forward-state">
      <span>{state.delivered} delivered</span>
      <span>{state.pending} pending</span>
      <span className={state.failed > 0 ? "font-semibold text-red-700 dark:text-red-400" : ""}>{state.failed} failed</span>
      {state.dropped > 0 && <span className="font-semibold text-amber-700 dark:text-amber-300">{state.dropped} dropped (backlog full)</span>}
      {state.paused && <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-900 dark:bg-amber-900 dark:text-amber-100">paused</span>}
      <button type="button" className={smallButton} disabled={pause.isPending} onClick={() => pause.mutate({ binId, targetId: forward.id, paused: !state.paused })}>
        {state.paused ? "Resume" : "Pause"}
      </button>
    </div>
  );
}

/**
 * Auto-forward: up to five targets that get every capture (or those matching their filters), in
 * order, retried when they fail. Saved as a whole list; targets keep their queues across saves.
 */
export function ForwardsForm({ slug }: { slug: string }) {
  const utils = api.useUtils();
  const bin = api.bins.bySlug.useQuery({ slug });
  const [drafts, setDrafts] = useState<Draft[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (bin.data && drafts === null) setDrafts(bin.data.forwards.map(draftOf));
  }, [bin.data, drafts]);
  const update = api.bins.update.useMutation({
    onSuccess: async (next) => {
      setErrors({});
      setSaved(true);
      setDrafts(next.forwards.map(draftOf));
      await utils.bins.bySlug.invalidate({ slug });
    },
    onError: (error) => {
      const fields = (drafts ?? []).flatMap((_, i) => ["url", "host", "headers", "methods", "pathPrefix", "concurrency", "id"].map((f) => `forwards.${i}.${f}`));
      setErrors(fieldErrors(error, ["forwards", ...fields], { prefix: "patch." }) as Record<string, string>);
      setSaved(false);
    },
  });
  const retry = api.bins.retryFailed.useMutation({ onSuccess: () => utils.bins.bySlug.invalidate({ slug }) });

  if (!bin.data || !drafts) return <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading forwards…</p>;
  const binData = bin.data;
  const set = (index: number, patch: Partial<Draft>) => {
    setSaved(false);
    setDrafts(drafts.map((d, i) => (i === index ? { ...d, ...patch } : d)));
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const local: Record<string, string> = {};
    const forwards = (drafts ?? []).map((d, i) => {
      const headers = parseHeaderLines(d.headerLines);
      if (!headers.ok) local[`forwards.${i}.headers`] = headers.error;
      const methods = d.methods.split(/[\s,]+/).filter(Boolean);
      return {
        ...(d.id ? { id: d.id } : {}),
        url: d.url.trim(),
        pathMode: d.pathMode,
        host: d.host.trim() || "target",
        headers: headers.ok ? headers.pairs : [],
        enabled: d.enabled,
        methods: methods.length > 0 ? methods : null,
        pathPrefix: d.pathPrefix.trim() || null,
        concurrency: Number(d.concurrency),
      };
    });
    if (Object.keys(local).length > 0) return setErrors(local);
    update.mutate({ id: binData.id, patch: { forwards } });
  }

  const totalFailed = binData.forwards.reduce((sum, f) => sum + f.state.failed, 0);
  return (
    <form onSubmit={submit} aria-labelledby="forwards-heading" className="space-y-4 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900" noValidate>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="forwards-heading" className="text-base font-semibold">
          Auto-forward
        </h2>
        {totalFailed > 0 && (
          <button type="button" className={smallButton} onClick={() => retry.mutate({ binId: binData.id })} disabled={retry.isPending}>
            Retry {totalFailed} failed
          </button>
        )}
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Every capture is sent on to these URLs byte-exact, in order, and retried with backoff when the target is down (6 attempts over about an hour). Each attempt and its answer is kept with the request.
      </p>
      {drafts.length === 0 && <p className="text-sm text-zinc-500 dark:text-zinc-400">No targets yet.</p>}
      {drafts.map((d, i) => {
        const existing = binData.forwards.find((f) => f.id === d.id);
        const err = (field: string) => errors[`forwards.${i}.${field}`];
        return (
          <fieldset key={d.id ?? `new-${i}`} className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800" data-testid="forward-target">
            <legend className="px-1 text-sm font-medium">Target {i + 1}</legend>
            <div>
              <label className={labelClass} htmlFor={`fwd-${i}-url`}>
                URL
              </label>
              <input id={`fwd-${i}-url`} type="url" value={d.url} onChange={(e) => set(i, { url: e.target.value })} className={inputClass} placeholder="https://example.com/webhooks" aria-invalid={Boolean(err("url"))} />
              {err("url") && <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">{err("url")}</p>}
            </div>
            <div className="grid gap-3 sm:grid-cols-3">
              <div>
                <label className={labelClass} htmlFor={`fwd-${i}-path`}>
                  Path
                </label>
                <select id={`fwd-${i}-path`} value={d.pathMode} onChange={(e) => set(i, { pathMode: e.target.value === "exact" ? "exact" : "append" })} className={inputClass}>
                  <option value="append">Append sub-path and query</option>
                  <option value="exact">URL exactly</option>
                </select>
              </div>
              <div>
                <label className={labelClass} htmlFor={`fwd-${i}-host`}>
                  Host header (target, original or a value)
                </label>
                <input id={`fwd-${i}-host`} value={d.host} onChange={(e) => set(i, { host: e.target.value })} className={inputClass} />
                {err("host") && <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">{err("host")}</p>}
              </div>
              <div>
                <label className={labelClass} htmlFor={`fwd-${i}-concurrency`}>
                  In flight at once (1 keeps order)
                </label>
                <input id={`fwd-${i}-concurrency`} type="number" min={1} max={10} value={d.concurrency} onChange={(e) => set(i, { concurrency: e.target.value })} className={inputClass} />
                {err("concurrency") && <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">{err("concurrency")}</p>}
              </div>
              <div>
                <label className={labelClass} htmlFor={`fwd-${i}-methods`}>
                  Only methods (empty: all)
                </label>
                <input id={`fwd-${i}-methods`} value={d.methods} onChange={(e) => set(i, { methods: e.target.value })} className={inputClass} placeholder="POST, PUT" />
                {err("methods") && <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">{err("methods")}</p>}
              </div>
              <div>
                <label className={labelClass} htmlFor={`fwd-${i}-prefix`}>
                  Only paths starting with
                </label>
                <input id={`fwd-${i}-prefix`} value={d.pathPrefix} onChange={(e) => set(i, { pathPrefix: e.target.value })} className={inputClass} placeholder="/stripe" />
                {err("pathPrefix") && <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">{err("pathPrefix")}</p>}
              </div>
              <div>
                <label className={labelClass} htmlFor={`fwd-${i}-headers`}>
                  Add or replace headers
                </label>
                <textarea id={`fwd-${i}-headers`} rows={1} value={d.headerLines} onChange={(e) => set(i, { headerLines: e.target.value })} className={`${inputClass} font-mono`} placeholder="X-Env: staging" />
                {err("headers") && <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-400">{err("headers")}</p>}
              </div>
            </div>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={d.enabled} onChange={(e) => set(i, { enabled: e.target.checked })} /> Enabled
              </label>
              <button type="button" className={smallButton} onClick={() => { setSaved(false); setDrafts(drafts.filter((_, j) => j !== i)); }}>
                Remove target
              </button>
            </div>
            {existing && <QueueState binId={binData.id} forward={existing} />}
          </fieldset>
        );
      })}
      {errors.forwards && <p role="alert" className="text-sm text-red-700 dark:text-red-400">{errors.forwards}</p>}
      {errors.form && <p role="alert" className="text-sm text-red-700 dark:text-red-400">{errors.form}</p>}
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={smallButton} disabled={drafts.length >= MAX_TARGETS} onClick={() => { setSaved(false); setDrafts([...drafts, blank()]); }}>
          Add target
        </button>
        <button type="submit" disabled={update.isPending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
          {update.isPending ? "Saving…" : "Save forwards"}
        </button>
        {saved && <span role="status" className="text-sm text-green-700 dark:text-green-400">Saved.</span>}
      </div>
    </form>
  );
}
