"use client";

import { useEffect, useState, type FormEvent } from "react";
import { toSentence } from "~/lib/field-errors";
import { SCHEME_NAMES, SIGNATURE_SCHEMES, type TSchemeName } from "~/lib/signature-scheme-info";
import { api, type RouterOutputs } from "~/trpc/react";

type Bin = RouterOutputs["bins"]["bySlug"];

interface Draft {
  scheme: TSchemeName | "off";
  secret: string;
  toleranceSeconds: string;
  signedUrl: string;
  header: string;
  algorithm: "sha1" | "sha256" | "sha512";
  encoding: "hex" | "base64";
  prefix: string;
}

const inputClass =
  "mt-1 w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-950";
const labelClass = "block text-sm font-medium";

function draftOf(bin: Bin): Draft {
  const s = bin.signature;
  const pick = <K extends string>(key: K): unknown => (s && key in s ? (s as Record<K, unknown>)[key] : undefined);
  const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));
  return {
    scheme: s?.scheme ?? "off",
    secret: "",
    toleranceSeconds: text(pick("toleranceSeconds")),
    signedUrl: text(pick("signedUrl")),
    header: text(pick("header")),
    algorithm: (pick("algorithm") as Draft["algorithm"] | undefined) ?? "sha256",
    encoding: (pick("encoding") as Draft["encoding"] | undefined) ?? "hex",
    prefix: text(pick("prefix")),
  };
}

/**
 * Signature verification settings. The secret is write-only: after saving only its last 4
 * characters come back; leaving the field empty keeps the stored one.
 */
export function SignatureForm({ slug }: { slug: string }) {
  const utils = api.useUtils();
  const bin = api.bins.bySlug.useQuery({ slug });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (bin.data && draft === null) setDraft(draftOf(bin.data));
  }, [bin.data, draft]);
  const update = api.bins.update.useMutation({
    onSuccess: async (next) => {
      setError(null);
      setSaved(true);
      setDraft(draftOf(next));
      utils.bins.bySlug.setData({ slug }, next);
      // Verdicts are computed when read: every cached one is now stale.
      await Promise.all([utils.requests.list.invalidate(), utils.requests.byId.invalidate(), utils.requests.signature.invalidate()]);
    },
    onError: (e) => {
      setSaved(false);
      // A zod issue names its field (patch.signature.secret …); say which and why.
      const issue = e.data?.zodIssues?.[0];
      setError(issue ? `${issue.path.replace(/^patch\.signature\.?/, "") || "settings"}: ${toSentence(issue.message)}` : toSentence(e.message));
    },
  });
  if (!bin.data || !draft) return null;
  const binId = bin.data.id;
  const saved4 = bin.data.signature?.secretLast4;
  const set = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...draft, ...patch });
  };
  const info = draft.scheme === "off" ? null : SIGNATURE_SCHEMES[draft.scheme];
  const sameScheme = draft.scheme === bin.data.signature?.scheme;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    if (draft.scheme === "off") {
      update.mutate({ id: binId, patch: { signature: null } });
      return;
    }
    const secret = draft.secret === "" ? undefined : draft.secret;
    const tolerance = draft.toleranceSeconds.trim() === "" ? undefined : Number(draft.toleranceSeconds);
    const signedUrl = draft.signedUrl.trim() === "" ? undefined : draft.signedUrl.trim();
    const signature =
      draft.scheme === "hmac"
        ? { scheme: draft.scheme, secret, header: draft.header, algorithm: draft.algorithm, encoding: draft.encoding, prefix: draft.prefix }
        : draft.scheme === "twilio" || draft.scheme === "square"
          ? { scheme: draft.scheme, secret, signedUrl }
          : draft.scheme === "github" || draft.scheme === "shopify"
            ? { scheme: draft.scheme, secret }
            : { scheme: draft.scheme, secret, toleranceSeconds: tolerance };
    update.mutate({ id: binId, patch: { signature } });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="signature-settings-heading" className="max-w-3xl space-y-4 rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="signature-settings-heading" className="font-semibold">Signature verification</h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Every stored request, old ones included, is checked against this secret when you look at it; the verdict shows in the list and the inspector.
      </p>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="signature-scheme" className={labelClass}>Scheme</label>
          <select id="signature-scheme" value={draft.scheme} onChange={(e) => set({ scheme: e.target.value as Draft["scheme"] })} className={inputClass}>
            <option value="off">Off</option>
            {SCHEME_NAMES.map((name) => (
              <option key={name} value={name}>{SIGNATURE_SCHEMES[name].label}</option>
            ))}
          </select>
        </div>
        {info && (
          <div>
            <label htmlFor="signature-secret" className={labelClass}>{info.secretLabel}</label>
            <input
              id="signature-secret"
              type="password"
              autoComplete="off"
              value={draft.secret}
              placeholder={saved4 && sameScheme ? `•••• ${saved4} (leave empty to keep)` : ""}
              onChange={(e) => set({ secret: e.target.value })}
              className={`${inputClass} font-mono`}
            />
            {saved4 && sameScheme && <p data-testid="secret-last4" className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">Saved secret ends in <span className="font-mono">{saved4}</span>.</p>}
          </div>
        )}
        {info && "defaultToleranceSeconds" in info && (
          <div>
            <label htmlFor="signature-tolerance" className={labelClass}>Tolerance (seconds)</label>
            <input id="signature-tolerance" inputMode="numeric" value={draft.toleranceSeconds} placeholder={info.defaultToleranceSeconds === null ? "no window" : `${info.defaultToleranceSeconds} (default)`} onChange={(e) => set({ toleranceSeconds: e.target.value })} className={inputClass} />
          </div>
        )}
        {info && "signedUrl" in info && (
          <div className="sm:col-span-2">
            <label htmlFor="signature-url" className={labelClass}>Signed URL</label>
            <input id="signature-url" value={draft.signedUrl} placeholder="default: the URL the request was captured at" onChange={(e) => set({ signedUrl: e.target.value })} className={`${inputClass} font-mono`} />
          </div>
        )}
        {draft.scheme === "hmac" && (
          <>
            <div>
              <label htmlFor="signature-header" className={labelClass}>Header</label>
              <input id="signature-header" value={draft.header} placeholder="X-Signature" onChange={(e) => set({ header: e.target.value })} className={`${inputClass} font-mono`} />
            </div>
            <div>
              <label htmlFor="signature-prefix" className={labelClass}>Prefix</label>
              <input id="signature-prefix" value={draft.prefix} placeholder="e.g. sha256=" onChange={(e) => set({ prefix: e.target.value })} className={`${inputClass} font-mono`} />
            </div>
            <div>
              <label htmlFor="signature-algorithm" className={labelClass}>Algorithm</label>
              <select id="signature-algorithm" value={draft.algorithm} onChange={(e) => set({ algorithm: e.target.value as Draft["algorithm"] })} className={inputClass}>
                <option value="sha1">SHA-1</option>
                <option value="sha256">SHA-256</option>
                <option value="sha512">SHA-512</option>
              </select>
            </div>
            <div>
              <label htmlFor="signature-encoding" className={labelClass}>Encoding</label>
              <select id="signature-encoding" value={draft.encoding} onChange={(e) => set({ encoding: e.target.value as Draft["encoding"] })} className={inputClass}>
                <option value="hex">hex</option>
                <option value="base64">base64</option>
              </select>
            </div>
          </>
        )}
      </div>
      {error && <p role="alert" className="text-sm text-red-600">{error}</p>}
      <div className="flex items-center gap-3">
        <button type="submit" disabled={update.isPending} className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
          Save signature settings
        </button>
        {saved && <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">Saved</span>}
      </div>
    </form>
  );
}
