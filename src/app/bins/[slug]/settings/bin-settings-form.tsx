"use client";

import Link from "next/link";
import { useEffect, useState, type FormEvent } from "react";
import { describeRateLimit, describeRetention, previewResponse, withoutBlankHeaders } from "~/lib/describe-rules";
import { fieldErrors, type TFieldErrors } from "~/lib/field-errors";
import { api, type RouterOutputs } from "~/trpc/react";

type Bin = RouterOutputs["bins"]["bySlug"];

interface Draft {
  custom: boolean;
  status: string;
  contentType: string;
  headers: [string, string][];
  body: string;
  delayMs: string;
  maxRequests: string;
  retentionDays: string;
  rateLimitPerMinute: string;
}

function draftFrom(bin: Bin): Draft {
  return {
    custom: bin.response !== null,
    status: String(bin.response?.status ?? 200),
    contentType: bin.response?.contentType ?? "application/json",
    headers: bin.response?.headers ?? [],
    body: bin.response?.body ?? "",
    delayMs: String(bin.response?.delayMs ?? 0),
    maxRequests: String(bin.maxRequests),
    retentionDays: String(bin.retentionDays),
    rateLimitPerMinute: String(bin.rateLimitPerMinute),
  };
}

/** Every field an error can be about; anything else is shown for the whole form. */
const SETTINGS_FIELDS = ["response", "response.status", "response.contentType", "response.delayMs", "response.headers", "response.body", "maxRequests", "retentionDays", "rateLimitPerMinute"] as const;

const input =
  "mt-1 block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-900";

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">
      {message}
    </p>
  );
}

export function BinSettingsForm({ slug }: { slug: string }) {
  const utils = api.useUtils();
  const bin = api.bins.bySlug.useQuery({ slug });
  const config = api.config.get.useQuery();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<TFieldErrors<(typeof SETTINGS_FIELDS)[number]>>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (bin.data && draft === null) setDraft(draftFrom(bin.data));
  }, [bin.data, draft]);

  const update = api.bins.update.useMutation({
    onSuccess: async (next) => {
      setErrors({});
      setSaved(true);
      setDraft(draftFrom(next));
      await utils.bins.bySlug.invalidate({ slug });
    },
    onError: (error) => {
      setErrors(fieldErrors(error, SETTINGS_FIELDS, { prefix: "patch." }));
      setSaved(false);
    },
  });

  if (bin.isError) return <p role="alert" className="text-sm text-red-600">Could not load the bin: {bin.error.message}</p>;
  if (!bin.data || !draft) return <p className="text-sm text-zinc-500 dark:text-zinc-400">Loading settings…</p>;
  const set = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...draft, ...patch });
  };
  const response = { status: Number(draft.status), headers: withoutBlankHeaders(draft.headers), body: draft.body, contentType: draft.contentType || null };

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!bin.data || !draft) return;
    update.mutate({
      id: bin.data.id,
      patch: {
        response: draft.custom ? { ...response, delayMs: Number(draft.delayMs) } : null,
        maxRequests: Number(draft.maxRequests),
        retentionDays: Number(draft.retentionDays),
        rateLimitPerMinute: Number(draft.rateLimitPerMinute),
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-3xl space-y-8">
      <div className="flex items-center gap-3">
        <h1 className="flex-1 text-xl font-semibold">Settings · {bin.data.name}</h1>
        <Link href={`/bins/${slug}`} className="text-sm text-indigo-600 hover:underline dark:text-indigo-400">Back to requests</Link>
      </div>

      <fieldset className="space-y-4 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <legend className="px-1 font-semibold">Response to senders</legend>
        <div className="flex gap-6 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" checked={!draft.custom} onChange={() => set({ custom: false })} /> Default (200 with the request id as JSON)
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="mode" checked={draft.custom} onChange={() => set({ custom: true })} /> Custom
          </label>
        </div>
        {draft.custom && (
          <>
            <div className="grid gap-4 sm:grid-cols-3">
              <div>
                <label htmlFor="status" className="block text-sm font-medium">Status</label>
                <input id="status" inputMode="numeric" value={draft.status} onChange={(e) => set({ status: e.target.value })} className={input} aria-describedby="status-error" />
                <FieldError id="status-error" message={errors["response.status"]} />
              </div>
              <div>
                <label htmlFor="content-type" className="block text-sm font-medium">Content type</label>
                <input id="content-type" value={draft.contentType} onChange={(e) => set({ contentType: e.target.value })} className={input} aria-describedby="content-type-error" />
                <FieldError id="content-type-error" message={errors["response.contentType"]} />
              </div>
              <div>
                <label htmlFor="delay" className="block text-sm font-medium">Delay (ms, 0–30000)</label>
                <input id="delay" inputMode="numeric" value={draft.delayMs} onChange={(e) => set({ delayMs: e.target.value })} className={input} aria-describedby="delay-error" />
                <FieldError id="delay-error" message={errors["response.delayMs"]} />
              </div>
            </div>
            <div>
              <p className="text-sm font-medium">Headers</p>
              {draft.headers.map(([name, value], index) => (
                <div key={index} className="mt-2 flex gap-2">
                  <label className="sr-only" htmlFor={`header-name-${index}`}>Header {index + 1} name</label>
                  <input id={`header-name-${index}`} value={name} placeholder="X-Header" onChange={(e) => set({ headers: draft.headers.map((h, i) => (i === index ? [e.target.value, h[1]] : h)) })} className={`${input} mt-0 font-mono`} />
                  <label className="sr-only" htmlFor={`header-value-${index}`}>Header {index + 1} value</label>
                  <input id={`header-value-${index}`} value={value} placeholder="value" onChange={(e) => set({ headers: draft.headers.map((h, i) => (i === index ? [h[0], e.target.value] : h)) })} className={`${input} mt-0 font-mono`} />
                  <button type="button" onClick={() => set({ headers: draft.headers.filter((_, i) => i !== index) })} className="rounded-md border border-zinc-300 px-2 text-sm dark:border-zinc-700" aria-label={`Remove header ${index + 1}`}>×</button>
                </div>
              ))}
              <FieldError id="headers-error" message={errors["response.headers"]} />
              <button type="button" onClick={() => set({ headers: [...draft.headers, ["", ""]] })} className="mt-2 rounded-md border border-zinc-300 px-3 py-1 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">Add header</button>
            </div>
            <div>
              <label htmlFor="response-body" className="block text-sm font-medium">Body (up to 64 KiB)</label>
              <textarea id="response-body" rows={6} value={draft.body} onChange={(e) => set({ body: e.target.value })} className={`${input} font-mono`} aria-describedby="body-error" />
              <FieldError id="body-error" message={errors["response.body"]} />
            </div>
            <div>
              <p className="text-sm font-medium">Preview</p>
              <pre data-testid="response-preview" className="mt-1 overflow-x-auto rounded-md bg-zinc-100 p-3 font-mono text-xs whitespace-pre-wrap break-all dark:bg-zinc-800">{previewResponse(response)}</pre>
            </div>
          </>
        )}
      </fieldset>

      <fieldset className="space-y-4 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
        <legend className="px-1 font-semibold">Retention and limits</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          <div>
            <label htmlFor="max-requests" className="block text-sm font-medium">Keep the newest</label>
            <input id="max-requests" inputMode="numeric" value={draft.maxRequests} onChange={(e) => set({ maxRequests: e.target.value })} className={input} aria-describedby="max-requests-help max-requests-error" />
            <p id="max-requests-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">requests (at most {config.data?.maxRequestsPerBin.toLocaleString("en-US") ?? "…"})</p>
            <FieldError id="max-requests-error" message={errors.maxRequests} />
          </div>
          <div>
            <label htmlFor="retention-days" className="block text-sm font-medium">For (days)</label>
            <input id="retention-days" inputMode="numeric" value={draft.retentionDays} onChange={(e) => set({ retentionDays: e.target.value })} className={input} aria-describedby="retention-help retention-error" />
            <p id="retention-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">0 keeps forever</p>
            <FieldError id="retention-error" message={errors.retentionDays} />
          </div>
          <div>
            <label htmlFor="rate-limit" className="block text-sm font-medium">Rate limit (per minute)</label>
            <input id="rate-limit" inputMode="numeric" value={draft.rateLimitPerMinute} onChange={(e) => set({ rateLimitPerMinute: e.target.value })} className={input} aria-describedby="rate-help rate-error" />
            <p id="rate-help" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{config.data && config.data.rateLimitPerBin > 0 ? `1–${config.data.rateLimitPerBin.toLocaleString("en-US")} on this instance` : "0 for no limit"}</p>
            <FieldError id="rate-error" message={errors.rateLimitPerMinute} />
          </div>
        </div>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          This bin {describeRetention(Number(draft.maxRequests) || 0, Number(draft.retentionDays) || 0)}, accepts {describeRateLimit(Number(draft.rateLimitPerMinute) || 0)}.
        </p>
      </fieldset>

      <FieldError id="form-error" message={errors.form ?? errors.response} />
      <div className="flex items-center gap-3">
        <button type="submit" disabled={update.isPending} className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60">
          {update.isPending ? "Saving…" : "Save settings"}
        </button>
        {saved && <span role="status" className="text-sm text-green-700 dark:text-green-400">Saved.</span>}
      </div>
    </form>
  );
}
