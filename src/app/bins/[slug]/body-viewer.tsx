"use client";

import { useMemo, useState } from "react";
import { base64ToBytes, BODY_VIEW_LABELS, bodyViews, decodeUtf8, hexDump, prettyJson, queryPairs, sniffImageType, type BodyViewKind } from "~/lib/body-view";
import { formatBytes } from "~/lib/format";
import { parseJsonTree } from "~/lib/json-tree";
import { multipartBoundary, parseMultipart, type MultipartPart } from "~/lib/multipart";
import { prettyMarkup } from "~/lib/pretty-markup";
import { api } from "~/trpc/react";
import { CopyButton } from "../../_components/copy-button";
import { JsonTreeView } from "./json-tree-view";
import { PairsTable } from "./pairs-table";
import { useObjectUrl } from "./use-object-url";

// Rendering more than this at once makes the page sluggish; the rest is one click away.
const TEXT_PREVIEW_CHARS = 256 * 1024;
const HEX_PAGE_BYTES = 64 * 1024;
const PRE = "mt-2 max-h-[32rem] overflow-auto rounded-md bg-zinc-100 p-3 font-mono text-xs whitespace-pre-wrap break-all dark:bg-zinc-800";
const MARKUP_CLASS = { tag: "text-indigo-700 dark:text-indigo-300", text: "", comment: "text-zinc-500", declaration: "text-fuchsia-700 dark:text-fuchsia-400", cdata: "text-emerald-800 dark:text-emerald-300" };
const lenient = new TextDecoder("utf-8", { ignoreBOM: true });

function LongText({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  const cut = !all && text.length > TEXT_PREVIEW_CHARS;
  return (
    <>
      <pre data-testid="request-body" className={PRE}>{cut ? text.slice(0, TEXT_PREVIEW_CHARS) : text}</pre>
      {cut && (
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          Showing the first {formatBytes(TEXT_PREVIEW_CHARS)} of {formatBytes(text.length)} characters.{" "}
          <button type="button" onClick={() => setAll(true)} className="font-medium text-indigo-700 underline dark:text-indigo-300">Load all</button>
        </p>
      )}
    </>
  );
}

function HexView({ bytes }: { bytes: Uint8Array }) {
  const [shown, setShown] = useState(HEX_PAGE_BYTES);
  return (
    <>
      <pre data-testid="request-body" className={`${PRE} whitespace-pre! break-normal!`}>{hexDump(bytes, shown)}</pre>
      {bytes.length > shown && (
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          Showing the first {formatBytes(shown)} of {formatBytes(bytes.length)}.{" "}
          <button type="button" onClick={() => setShown((n) => n * 4)} className="font-medium text-indigo-700 underline dark:text-indigo-300">Show more</button>
        </p>
      )}
    </>
  );
}

function ImageView({ bytes }: { bytes: Uint8Array }) {
  // The sniffed type, never the declared one: only real png/jpeg/gif/webp bytes become an image.
  const type = sniffImageType(bytes) ?? "application/octet-stream";
  const url = useObjectUrl(bytes, type);
  return (
    <div data-testid="request-body" className="mt-2 rounded-md bg-zinc-100 p-3 dark:bg-zinc-800">
      {url && <img src={url} alt={`Body previewed as ${type}`} className="max-h-96 max-w-full" />}
    </div>
  );
}

function PartDownload({ part, index }: { part: MultipartPart; index: number }) {
  const url = useObjectUrl(part.body, "application/octet-stream");
  const name = (part.filename ?? `part-${index + 1}.bin`).replace(/[/\\\u0000-\u001f]/g, "_");
  return url ? (
    <a href={url} download={name} className="rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
      Download {part.filename === null ? `part ${index + 1}` : "file"} ({formatBytes(part.body.length)})
    </a>
  ) : null;
}

function MultipartView({ bytes, contentType }: { bytes: Uint8Array; contentType: string | null }) {
  const parts = useMemo(() => {
    const boundary = multipartBoundary(contentType);
    return boundary ? parseMultipart(bytes, boundary) : null;
  }, [bytes, contentType]);
  if (!parts) return <p role="status" className="mt-2 text-sm text-amber-700 dark:text-amber-300">This body does not parse as multipart with the declared boundary; use the raw or hex view.</p>;
  return (
    <ol data-testid="request-body" className="mt-2 space-y-3">
      {parts.map((part, index) => {
        const text = part.filename === null ? decodeUtf8(part.body) : null;
        return (
          <li key={index} className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
            <PairsTable caption={`Part ${index + 1}${part.name === null ? "" : `: ${part.name}`}${part.filename === null ? "" : ` (file ${part.filename})`}`} pairs={part.headers} />
            {text !== null ? <pre className={PRE}>{text}</pre> : <p className="mt-2"><PartDownload part={part} index={index} /></p>}
          </li>
        );
      })}
    </ol>
  );
}

function PrettyView({ kind, bytes, contentType }: { kind: BodyViewKind; bytes: Uint8Array; contentType: string | null }) {
  const text = useMemo(() => lenient.decode(bytes), [bytes]);
  const tree = useMemo(() => (kind === "json" ? parseJsonTree(text) : null), [kind, text]);
  const markup = useMemo(() => (kind === "markup" ? prettyMarkup(text) : null), [kind, text]);
  if (kind === "json") return tree ? <div data-testid="request-body" className={PRE}><JsonTreeView root={tree} /></div> : <LongText text={prettyJson(text)} />;
  if (kind === "markup") {
    if (!markup) return <LongText text={text} />;
    return (
      <pre data-testid="request-body" className={PRE}>
        {markup.map((line, i) => <span key={i} className={`block ${MARKUP_CLASS[line.kind]}`}>{"  ".repeat(line.depth)}{line.text}</span>)}
      </pre>
    );
  }
  if (kind === "form") return <div data-testid="request-body" className="mt-2"><PairsTable caption="Form fields" pairs={queryPairs(text)} /></div>;
  if (kind === "multipart") return <MultipartView bytes={bytes} contentType={contentType} />;
  if (kind === "image") return <ImageView bytes={bytes} />;
  return <LongText text={text} />;
}

/**
 * The body in every view that fits it, switchable by hand. Pretty and text views read the body with
 * its Content-Encoding undone (by the server); raw and hex always show the stored bytes.
 */
export function BodyViewer({ id, seq, stored, contentType, headers }: { id: string; seq: number; stored: Uint8Array; contentType: string | null; headers: [string, string][] }) {
  const encoding = headers.find(([name]) => name.toLowerCase() === "content-encoding")?.[1] ?? null;
  const decoded = api.requests.decodedBody.useQuery({ id }, { enabled: encoding !== null && stored.length > 0, staleTime: Infinity });
  const decodedBytes = useMemo(() => (decoded.data?.status === "decoded" ? base64ToBytes(decoded.data.bodyBase64) : null), [decoded.data]);
  const readable = decodedBytes ?? stored;
  const { views, preferred } = useMemo(() => bodyViews(readable, contentType), [readable, contentType]);
  const [chosen, setChosen] = useState<BodyViewKind | null>(null);
  const kind = chosen && views.includes(chosen) ? chosen : preferred;
  const copyText = useMemo(() => (kind === "raw" || kind === "hex" ? decodeUtf8(stored) : decodeUtf8(readable)), [kind, stored, readable]);

  return (
    <section aria-labelledby="body-heading">
      <div className="flex flex-wrap items-center gap-2">
        <h3 id="body-heading" className="font-semibold">Body</h3>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">{contentType ?? "no content type"} · {formatBytes(stored.length)}</span>
        <span className="ml-auto flex gap-2">
          {copyText !== null && stored.length > 0 && <CopyButton text={copyText} label="Copy body" />}
          <a href={`/api/v1/requests/${encodeURIComponent(id)}/body`} download={`request-${seq}.bin`} className="rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">Download</a>
        </span>
      </div>
      {stored.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">Empty body.</p>
      ) : (
        <>
          {encoding !== null && (
            <p role="status" className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
              {decoded.isPending && `Decoding Content-Encoding: ${encoding}…`}
              {decoded.data?.status === "decoded" && `Decoded from Content-Encoding: ${encoding} (${formatBytes(stored.length)} stored → ${formatBytes(decodedBytes?.length ?? 0)}) for viewing; raw, hex and Download give the stored bytes.`}
              {decoded.data?.status === "failed" && `Could not decode Content-Encoding: ${encoding} (${decoded.data.reason}); showing the stored bytes.`}
              {decoded.isError && `Could not decode: ${decoded.error.message}`}
            </p>
          )}
          <div role="tablist" aria-label="Body view" className="mt-2 flex flex-wrap gap-1">
            {views.map((view) => (
              <button
                key={view}
                type="button"
                role="tab"
                aria-selected={view === kind}
                onClick={() => setChosen(view)}
                className={`rounded-md px-2 py-1 text-xs font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${view === kind ? "bg-indigo-600 text-white" : "border border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"}`}
              >
                {BODY_VIEW_LABELS[view]}
              </button>
            ))}
          </div>
          <div role="tabpanel" aria-label={`${BODY_VIEW_LABELS[kind]} view`}>
            {kind === "raw" ? <LongText text={lenient.decode(stored)} /> : kind === "hex" ? <HexView bytes={stored} /> : <PrettyView key={kind} kind={kind} bytes={readable} contentType={contentType} />}
          </div>
        </>
      )}
    </section>
  );
}
