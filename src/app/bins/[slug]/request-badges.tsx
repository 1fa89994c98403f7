/** Colours that read the same in both themes (AA contrast on their own backgrounds). */
const METHOD_CLASS: Record<string, string> = {
  GET: "bg-sky-100 text-sky-900 dark:bg-sky-900/70 dark:text-sky-100",
  POST: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/70 dark:text-emerald-100",
  PUT: "bg-amber-100 text-amber-900 dark:bg-amber-900/70 dark:text-amber-100",
  PATCH: "bg-violet-100 text-violet-900 dark:bg-violet-900/70 dark:text-violet-100",
  DELETE: "bg-red-100 text-red-900 dark:bg-red-900/70 dark:text-red-100",
};
const OTHER_METHOD = "bg-zinc-200 text-zinc-900 dark:bg-zinc-700 dark:text-zinc-100";

export function MethodBadge({ method, large = false }: { method: string; large?: boolean }) {
  return (
    <span data-method={method} className={`shrink-0 rounded font-mono font-semibold ${large ? "px-2 py-1 text-sm" : "px-1.5 py-0.5 text-xs"} ${METHOD_CLASS[method] ?? OTHER_METHOD}`}>
      {method}
    </span>
  );
}

export function statusClass(status: number): string {
  // 800 in light, 300-400 in dark: they must also read on the selected row's indigo background.
  if (status >= 500) return "font-semibold text-red-800 dark:text-red-300";
  if (status >= 400) return "font-semibold text-orange-800 dark:text-orange-400";
  if (status >= 300) return "text-sky-800 dark:text-sky-400";
  return "text-emerald-800 dark:text-emerald-400";
}
