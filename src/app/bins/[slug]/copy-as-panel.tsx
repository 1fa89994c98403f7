"use client";

import { useMemo, useState } from "react";
import { copyAsCurl } from "~/lib/copy-as-curl";
import { copyAsFetch } from "~/lib/copy-as-fetch";
import { copyAsHttpie } from "~/lib/copy-as-httpie";
import type { ReplayableRequest } from "~/lib/replayable-request";
import { CopyButton } from "../../_components/copy-button";

const FORMATS = [
  { id: "curl", label: "cURL" },
  { id: "httpie", label: "HTTPie" },
  { id: "fetch", label: "fetch" },
] as const;
type Format = (typeof FORMATS)[number]["id"];

export function generate(format: Format, request: ReplayableRequest): { text: string; needsBodyFile: boolean } {
  if (format === "curl") {
    const { command, needsBodyFile } = copyAsCurl(request);
    return { text: command, needsBodyFile };
  }
  if (format === "httpie") {
    const { command, needsBodyFile } = copyAsHttpie(request);
    return { text: command, needsBodyFile };
  }
  const { code, needsBodyFile } = copyAsFetch(request);
  return { text: code, needsBodyFile };
}

/** The request as a command or code that sends it again, previewed as text before copying. */
export function CopyAsPanel({ request, bodyUrl }: { request: ReplayableRequest; bodyUrl: string }) {
  const [format, setFormat] = useState<Format>("curl");
  const generated = useMemo(() => generate(format, request), [format, request]);
  return (
    <section aria-labelledby="copy-as-heading">
      <div className="flex flex-wrap items-center gap-2">
        <h3 id="copy-as-heading" className="font-semibold">Reproduce</h3>
        <div role="tablist" aria-label="Copy as" className="flex gap-1">
          {FORMATS.map((f) => (
            <button key={f.id} type="button" role="tab" aria-selected={f.id === format} onClick={() => setFormat(f.id)} className={`rounded-md px-2 py-1 text-xs font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${f.id === format ? "bg-indigo-600 text-white" : "border border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"}`}>
              {f.label}
            </button>
          ))}
        </div>
        <span className="ml-auto">
          <CopyButton text={generated.text} label={`Copy as ${FORMATS.find((f) => f.id === format)?.label}`} />
        </span>
      </div>
      <pre data-testid="copy-as-preview" className="mt-2 max-h-48 overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs whitespace-pre-wrap break-all dark:bg-zinc-800">{generated.text}</pre>
      {generated.needsBodyFile && (
        <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
          The body is binary or large, so this reads it from <code>{request.bodyFileName}</code>:{" "}
          <a href={bodyUrl} download={request.bodyFileName} className="font-medium text-indigo-700 underline dark:text-indigo-300">download it</a> next to where you run it.
        </p>
      )}
    </section>
  );
}
