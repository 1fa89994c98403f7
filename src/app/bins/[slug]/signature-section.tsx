"use client";

import { SIGNATURE_SCHEMES } from "~/lib/signature-scheme-info";
import type { RouterOutputs } from "~/trpc/react";
import { VerdictBadge } from "./signature-badge";

type TReport = NonNullable<RouterOutputs["requests"]["byId"]["signature"]>;

function age(seconds: number): string {
  if (seconds === 0) return "signed at the moment of capture";
  return seconds > 0 ? `signed ${seconds} s before capture` : `timestamp ${-seconds} s after capture (sender's clock ahead?)`;
}

/** The inspector's account of a verdict: why, how the signed string is built, what was expected, what usually goes wrong. */
export function SignatureSection({ report }: { report: TReport }) {
  const info = SIGNATURE_SCHEMES[report.scheme];
  const valid = report.verdict === "valid";
  return (
    <section aria-labelledby="signature-heading" data-testid="signature-section" className="space-y-2 rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800">
      <h3 id="signature-heading" className="flex items-center gap-2 font-semibold">
        Signature <VerdictBadge verdict={report} /> <span className="font-normal text-zinc-600 dark:text-zinc-400">{info.label}</span>
      </h3>
      <p data-testid="signature-detail">
        <span className="font-mono text-xs">{report.reason}</span> — {report.detail}
      </p>
      <dl className="grid gap-1 sm:grid-cols-[max-content_1fr] sm:gap-x-3">
        {report.recipe && (
          <>
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">Signed string</dt>
            <dd className="break-all font-mono text-xs">{report.recipe}</dd>
          </>
        )}
        {report.received !== null && (
          <>
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">Received</dt>
            <dd data-testid="signature-received" className="break-all font-mono text-xs">{report.received}</dd>
          </>
        )}
        {report.expectedPrefix !== null && report.expectedPrefix !== "" && (
          <>
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">Expected</dt>
            <dd data-testid="signature-expected" className="break-all font-mono text-xs">{valid ? report.expectedPrefix : `${report.expectedPrefix}… (prefix only)`}</dd>
          </>
        )}
        {report.timestampAgeSeconds !== null && (
          <>
            <dt className="text-xs text-zinc-500 dark:text-zinc-400">Timestamp</dt>
            <dd>{age(report.timestampAgeSeconds)}</dd>
          </>
        )}
      </dl>
      {!valid && (
        <details open>
          <summary className="cursor-pointer text-xs font-medium">Usual causes</summary>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-xs text-zinc-700 dark:text-zinc-300">
            {info.causes.map((cause) => (
              <li key={cause}>{cause}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
