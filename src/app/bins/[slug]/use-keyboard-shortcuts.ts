"use client";

import { useEffect, useRef } from "react";

export interface ShortcutHandlers {
  next(): void;
  previous(): void;
  focusSearch(): void;
  copyAsCurl(): void;
  showHelp(): void;
}

/** What each key does, for the help dialog; the handler below is the one place that acts on them. */
export const SHORTCUTS: { keys: string[]; action: string }[] = [
  { keys: ["j", "↓"], action: "Next (older) request" },
  { keys: ["k", "↑"], action: "Previous (newer) request" },
  { keys: ["/"], action: "Search headers and bodies" },
  { keys: ["c"], action: "Copy the selected request as cURL" },
  { keys: ["?"], action: "Show these shortcuts" },
];

// Radios and ranges are left out: their arrow keys are their own.
const NOT_TEXT_INPUTS = new Set(["checkbox", "button", "submit", "reset", "color", "file", "image"]);

/** Typing a "j" into a field must type a "j": keys count only outside editable elements. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  // A checkbox (like "Follow newest") takes no text: shortcuts stay on there.
  const input = target.closest("input");
  if (input) return !NOT_TEXT_INPUTS.has(input.type);
  return target.closest("textarea, select, [contenteditable='true']") !== null;
}

/** Single-key shortcuts for the bin page, off while typing, while a dialog is open, or with modifiers. */
export function useKeyboardShortcuts(handlers: ShortcutHandlers) {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector("dialog[open]")) return;
      const action = (
        {
          j: latest.current.next,
          ArrowDown: latest.current.next,
          k: latest.current.previous,
          ArrowUp: latest.current.previous,
          "/": latest.current.focusSearch,
          c: latest.current.copyAsCurl,
          "?": latest.current.showHelp,
        } as Record<string, (() => void) | undefined>
      )[event.key];
      if (!action) return;
      // Arrows would also scroll the page, and "/" would type into the search it focuses.
      event.preventDefault();
      action();
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
