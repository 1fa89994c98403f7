"use client";

import Link from "next/link";
import { describeRateLimit, describeRetention } from "~/lib/describe-rules";
import { formatBytes } from "~/lib/format";
import type { RouterOutputs } from "~/trpc/react";

/** A bin's rules and everything they refused or dropped: nothing happens silently. */
export function BinRulesSummary({ bin, maxBodyBytes }: { bin: RouterOutputs["bins"]["bySlug"]; maxBodyBytes: number | undefined }) {
  const { counters } = bin;
  return (
    <div data-testid="bin-rules" className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
      <span>
        Answers {bin.response ? `${bin.response.status} (custom${bin.response.delayMs ? `, after ${bin.response.delayMs} ms` : ""})` : "200 JSON"}
      </span>
      <span>{describeRetention(bin.maxRequests, bin.retentionDays)}</span>
      <span>{describeRateLimit(bin.rateLimitPerMinute)}</span>
      <span>bodies up to {maxBodyBytes === undefined ? "…" : formatBytes(maxBodyBytes)}</span>
      <span data-testid="bin-counters">
        dropped: {counters.prunedByCount.toLocaleString("en-US")} by count, {counters.prunedByAge.toLocaleString("en-US")} by age · refused: {counters.rateLimited.toLocaleString("en-US")} rate-limited · {counters.tooLarge.toLocaleString("en-US")} too large · {counters.incomplete.toLocaleString("en-US")} incomplete
      </span>
      <Link href={`/bins/${bin.slug}/settings`} className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">Settings</Link>
    </div>
  );
}
