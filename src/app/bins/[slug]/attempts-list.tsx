"use client";

import { skipToken } from "@tanstack/react-query";
import { useMemo } from "react";
import { base64ToBytes } from "~/lib/base64";
import { formatBytes, formatTime } from "~/lib/format";
import { api, type RouterOutputs } from "~/trpc/react";
import { statusClass } from "./request-badges";

type Attempt = RouterOutputs["requests"]["attempts"][number];

const TRIGGER_LABEL: Record<Attempt["trigger"], string> = {
  manual: "Replayed",
  auto: "Auto-forwarded",
  retry: "Retried",
  cli: "Forwarded by the CLI",
};

const decodeBody = (base64: string) => new TextDecoder().decode(base64ToBytes(base64));

/** One attempt in a line: where it went, and what came back (or why nothing did). */
export function AttemptSummary({ attempt }: { attempt: Attempt }) {
  const target = useMemo(() => {
    try {
      const url = new URL(attempt.url);
      return `${url.host}${url.pathname}${url.search}`;
    } catch {
      return attempt.url;
    }
  }, [attempt.url]);
  return (
    <p className="text-sm">
      <span className="text-zinc-600 dark:text-zinc-400">{TRIGGER_LABEL[attempt.trigger]}</span> to <code className="break-all font-mono">{target}</code> →{" "}
      {attempt.status !== null && <strong className={statusClass(attempt.status)}>{attempt.status}</strong>}
      {attempt.error && <strong className="text-red-700 dark:text-red-400"> {attempt.error.message}</strong>} <span className="text-zinc-500">in {attempt.durationMs} ms</span>
      {attempt.modified && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100">modified</span>}
    </p>
  );
}

/**
 * Every attempt to send this request anywhere, oldest first, kept live over the WebSocket:
 * replays, auto-forwards and their retries, and the CLI's deliveries.
 */
export function AttemptsList({ requestId }: { requestId: string }) {
  const utils = api.useUtils();
  const attempts = api.requests.attempts.useQuery({ id: requestId });
  const lastId = attempts.data?.at(-1)?.id ?? null;
  api.requests.onAttempt.useSubscription(attempts.data ? { id: requestId, lastEventId: lastId } : skipToken, {
    onData: ({ data }) => {
      utils.requests.attempts.setData({ id: requestId }, (old) => (old && !old.some((a) => a.id === data.id) ? [...old, data] : old));
    },
  });

  if (!attempts.data || attempts.data.length === 0) return null;
  return (
    <section aria-labelledby={`attempts-${requestId}`} data-testid="attempts">
      <h3 id={`attempts-${requestId}`} className="mb-2 text-sm font-semibold">
        Attempts ({attempts.data.length})
      </h3>
      <ol className="space-y-2">
        {attempts.data.map((attempt) => (
          <li key={attempt.id} className="rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
            <details>
              <summary className="cursor-pointer list-none">
                <span className="mr-2 text-xs text-zinc-500">
                  #{attempt.attempt} · <time dateTime={attempt.startedAt}>{formatTime(new Date(attempt.startedAt))}</time>
                </span>
                <AttemptSummary attempt={attempt} />
              </summary>
              <div className="mt-2 space-y-2 text-xs">
                {attempt.ip && <p>Connected to {attempt.ip}</p>}
                {attempt.headers.length > 0 && (
                  <pre className="overflow-x-auto whitespace-pre-wrap font-mono">{attempt.headers.map(([name, value]) => `${name}: ${value}`).join("\n")}</pre>
                )}
                {attempt.bodyBase64 && (
                  <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all font-mono">{decodeBody(attempt.bodyBase64)}</pre>
                )}
                {attempt.bodyTruncated && <p>Only the first {formatBytes(1024 * 1024)} of the response were kept.</p>}
              </div>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
