"use client";

import { useEffect, useRef } from "react";
import { SHORTCUTS } from "./use-keyboard-shortcuts";

/**
 * The keyboard shortcuts, in a native modal <dialog>: it is role=dialog, traps focus, closes on
 * Escape, and gives focus back to what had it before; `onClose` runs however it closes.
 */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby="shortcuts-heading"
      onClose={() => {
        onClose();
        returnFocus.current?.focus();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 id="shortcuts-heading" className="text-lg font-semibold">Keyboard shortcuts</h2>
      <table className="mt-3 w-full text-sm">
        <caption className="sr-only">Keys and what they do</caption>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.action} className="border-t border-zinc-200 dark:border-zinc-800">
              <th scope="row" className="py-1.5 pr-4 text-left font-normal whitespace-nowrap">
                {shortcut.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && " or "}
                    <kbd className="rounded border border-zinc-300 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-600">{key}</kbd>
                  </span>
                ))}
              </th>
              <td className="py-1.5">{shortcut.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">Shortcuts are off while you type in a field.</p>
      <form method="dialog" className="mt-4 text-right">
        <button type="submit" autoFocus className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">Close</button>
      </form>
    </dialog>
  );
}
