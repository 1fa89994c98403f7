"use client";

import { api } from "~/trpc/react";

type TVerdict = { verdict: "valid" | "invalid"; reason: string; detail: string } | null;

const CLASS = {
  valid: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/70 dark:text-emerald-100",
  invalid: "bg-red-100 text-red-900 dark:bg-red-900/70 dark:text-red-100",
};

export function VerdictBadge({ verdict }: { verdict: NonNullable<TVerdict> }) {
  return (
    <span data-signature={verdict.verdict} title={verdict.detail} className={`shrink-0 rounded px-1.5 py-0.5 text-xs font-medium ${CLASS[verdict.verdict]}`}>
      {verdict.verdict === "valid" ? "✓ signed" : "✗ signature"}
    </span>
  );
}

/** A live row arrives without a verdict (capture stays fast): this one asks for it once. */
function LiveVerdict({ id }: { id: string }) {
  const verdict = api.requests.signature.useQuery({ id }, { staleTime: Infinity });
  return verdict.data ? <VerdictBadge verdict={verdict.data} /> : null;
}

/** The list row's badge: nothing when the bin verifies no signatures. */
export function SignatureBadge({ id, signature, binVerifies }: { id: string; signature: TVerdict | undefined; binVerifies: boolean }) {
  if (signature) return <VerdictBadge verdict={signature} />;
  return binVerifies ? <LiveVerdict id={id} /> : null;
}
