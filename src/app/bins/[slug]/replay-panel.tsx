"use client";

import { useEffect, useId, useState, type FormEvent } from "react";
import { bytesToBase64 } from "~/lib/base64";
import { fieldErrors, type TFieldErrors } from "~/lib/field-errors";
import { parseHeaderLines } from "~/lib/header-lines";
import { api, type RouterOutputs } from "~/trpc/react";
import { AttemptSummary } from "./attempts-list";

type Attempt = RouterOutputs["requests"]["replay"];
const FIELDS = ["url", "pathMode", "host", "headers", "removeHeaders", "body", "allowTruncated"] as const;
const urlKey = (binId: string) => `webhookdump.replay-url.${binId}`;

const inputClass =
  "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-950";
const labelClass = "block text-xs font-medium text-zinc-600 dark:text-zinc-400";

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-xs text-red-700 dark:text-red-400">
      {message}
    </p>
  );
}

/**
 * "Replay…": sends this stored request to a URL from the server, byte-exact unless the person
 * edits it, and shows what came back at once. The URL is remembered per bin in this browser.
 */
export function ReplayPanel({ requestId, binId, truncated, bodyText }: { requestId: string; binId: string; truncated: boolean; bodyText: string | null }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState("");
  const [pathMode, setPathMode] = useState<"append" | "exact">("append");
  const [hostMode, setHostMode] = useState<"target" | "original" | "custom">("target");
  const [customHost, setCustomHost] = useState("");
  const [headerLines, setHeaderLines] = useState("");
  const [removeHeaders, setRemoveHeaders] = useState("");
  const [editBody, setEditBody] = useState(false);
  const [body, setBody] = useState(bodyText ?? "");
  const [allowTruncated, setAllowTruncated] = useState(false);
  const [errors, setErrors] = useState<TFieldErrors<(typeof FIELDS)[number]>>({});
  const [result, setResult] = useState<Attempt | null>(null);
  const utils = api.useUtils();

  useEffect(() => {
    setUrl(window.localStorage.getItem(urlKey(binId)) ?? "");
  }, [binId]);
  useEffect(() => setBody(bodyText ?? ""), [bodyText]);

  const replay = api.requests.replay.useMutation({
    onSuccess: async (attempt) => {
      setResult(attempt);
      await utils.requests.attempts.invalidate({ id: requestId });
    },
    onError: (error) => setErrors(fieldErrors(error, FIELDS, { prefix: "replay." })),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setResult(null);
    const headers = parseHeaderLines(headerLines);
    if (!headers.ok) {
      setErrors({ headers: headers.error });
      return;
    }
    window.localStorage.setItem(urlKey(binId), url.trim());
    replay.mutate({
      id: requestId,
      replay: {
        url: url.trim(),
        pathMode,
        host: hostMode === "custom" ? customHost.trim() : hostMode,
        headers: headers.pairs,
        removeHeaders: removeHeaders.split(",").map((name) => name.trim()).filter(Boolean),
        body: editBody ? bytesToBase64(new TextEncoder().encode(body)) : undefined,
        allowTruncated,
      },
    });
  }

  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2">
        Replay…
      </button>
    );
  }

  return (
    <form onSubmit={submit} aria-label="Replay this request" className="space-y-3 rounded-md border border-zinc-200 p-4 dark:border-zinc-800" noValidate>
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-semibold">Replay this request</h3>
        <button type="button" onClick={() => setOpen(false)} className="text-xs text-zinc-500 hover:underline dark:text-zinc-400">
          Close
        </button>
      </div>
      <div>
        <label htmlFor={`${id}-url`} className={labelClass}>
          Target URL
        </label>
        <input id={`${id}-url`} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/webhooks" className={inputClass} aria-invalid={Boolean(errors.url)} aria-describedby={`${id}-url-error`} />
        <FieldError id={`${id}-url-error`} message={errors.url} />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-path`} className={labelClass}>
            Path
          </label>
          <select id={`${id}-path`} value={pathMode} onChange={(e) => setPathMode(e.target.value === "exact" ? "exact" : "append")} className={inputClass}>
            <option value="append">Append the captured sub-path and query</option>
            <option value="exact">Send to the URL exactly</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-host`} className={labelClass}>
            Host header
          </label>
          <div className="flex gap-2">
            <select id={`${id}-host`} value={hostMode} onChange={(e) => setHostMode(e.target.value as typeof hostMode)} className={inputClass}>
              <option value="target">The target&apos;s</option>
              <option value="original">The original sender&apos;s</option>
              <option value="custom">Custom…</option>
            </select>
            {hostMode === "custom" && <input aria-label="Custom Host header" value={customHost} onChange={(e) => setCustomHost(e.target.value)} className={inputClass} placeholder="api.example.com" />}
          </div>
          <FieldError id={`${id}-host-error`} message={errors.host} />
        </div>
      </div>
      <div>
        <label htmlFor={`${id}-headers`} className={labelClass}>
          Add or replace headers <span className="font-normal">(one “Name: value” a line)</span>
        </label>
        <textarea id={`${id}-headers`} rows={2} value={headerLines} onChange={(e) => setHeaderLines(e.target.value)} className={`${inputClass} font-mono`} aria-describedby={`${id}-headers-error`} />
        <FieldError id={`${id}-headers-error`} message={errors.headers} />
      </div>
      <div>
        <label htmlFor={`${id}-remove`} className={labelClass}>
          Remove headers <span className="font-normal">(names, comma-separated)</span>
        </label>
        <input id={`${id}-remove`} value={removeHeaders} onChange={(e) => setRemoveHeaders(e.target.value)} className={`${inputClass} font-mono`} aria-describedby={`${id}-remove-error`} />
        <FieldError id={`${id}-remove-error`} message={errors.removeHeaders} />
      </div>
      <div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={editBody} disabled={bodyText === null} onChange={(e) => setEditBody(e.target.checked)} />
          Edit the body {bodyText === null && <span className="text-xs text-zinc-500">(binary bodies are sent as stored)</span>}
        </label>
        {editBody && <textarea aria-label="Body to send" rows={6} value={body} onChange={(e) => setBody(e.target.value)} className={`${inputClass} mt-2 font-mono`} />}
        <FieldError id={`${id}-body-error`} message={errors.body} />
      </div>
      {truncated && (
        <div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={allowTruncated} onChange={(e) => setAllowTruncated(e.target.checked)} />
            Send the truncated body anyway
          </label>
          <FieldError id={`${id}-truncated-error`} message={errors.allowTruncated} />
        </div>
      )}
      {(editBody || headerLines.trim() || removeHeaders.trim()) && <p className="text-xs text-amber-700 dark:text-amber-300">This copy differs from what was captured: its attempt is marked “modified”.</p>}
      <FieldError id={`${id}-form-error`} message={errors.form} />
      <button type="submit" disabled={replay.isPending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
        {replay.isPending ? "Sending…" : "Send"}
      </button>
      {result && (
        <div role="status" data-testid="replay-result">
          <AttemptSummary attempt={result} />
        </div>
      )}
    </form>
  );
}
