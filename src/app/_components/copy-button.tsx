"use client";

import { useState } from "react";

export function CopyButton({ text, label = "Copy", description }: { text: string; label?: string; description?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      // description names what is copied when many buttons share the visible label "Copy".
      aria-label={description}
      className="shrink-0 rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:hover:bg-zinc-800"
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </button>
  );
}
