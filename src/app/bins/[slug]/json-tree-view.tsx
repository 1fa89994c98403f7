import type { JsonNode } from "~/lib/json-tree";

const LEAF_CLASS = {
  string: "text-emerald-700 dark:text-emerald-400",
  number: "text-sky-700 dark:text-sky-400",
  literal: "text-fuchsia-700 dark:text-fuchsia-400",
} as const;

/** One node; containers fold with <details>, which is keyboard-accessible without any script. */
function Node({ node, label, last }: { node: JsonNode; label?: string; last: boolean }) {
  const key = label !== undefined && <><span className="text-indigo-700 dark:text-indigo-300">{label}</span>: </>;
  const comma = last ? "" : ",";
  if ("raw" in node) {
    return <div>{key}<span className={LEAF_CLASS[node.kind]}>{node.raw}</span>{comma}</div>;
  }
  const [open, close] = node.kind === "object" ? ["{", "}"] : ["[", "]"];
  const count = node.kind === "object" ? node.entries.length : node.items.length;
  if (count === 0) return <div>{key}{open}{close}{comma}</div>;
  const noun = node.kind === "object" ? (count === 1 ? "key" : "keys") : count === 1 ? "item" : "items";
  return (
    <details open className="group">
      <summary className="cursor-pointer list-none marker:hidden [&::-webkit-details-marker]:hidden">
        <span aria-hidden="true" className="inline-block w-3 text-zinc-400 group-open:rotate-90">›</span>
        {key}{open}
        <span className="hidden text-zinc-500 dark:text-zinc-400 group-not-open:inline"> {count} {noun} {close}{comma}</span>
      </summary>
      <div className="ml-3 border-l border-zinc-300 pl-3 dark:border-zinc-700">
        {node.kind === "object"
          ? node.entries.map((entry, i) => <Node key={i} node={entry.value} label={entry.key} last={i === count - 1} />)
          : node.items.map((item, i) => <Node key={i} node={item} last={i === count - 1} />)}
      </div>
      <div className="group-not-open:hidden">{close}{comma}</div>
    </details>
  );
}

export function JsonTreeView({ root }: { root: JsonNode }) {
  return (
    <div data-testid="json-tree" className="font-mono text-xs leading-5 break-all whitespace-pre-wrap">
      <Node node={root} last />
    </div>
  );
}
