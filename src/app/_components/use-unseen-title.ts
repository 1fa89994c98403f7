"use client";

import { useCallback, useEffect, useState } from "react";

const isWatching = () => document.visibilityState === "visible" && document.hasFocus();

/**
 * Puts the number of requests that arrived while the person was looking elsewhere into the tab
 * title; the count clears when they come back.
 */
export function useUnseenTitle(title: string) {
  const [unseen, setUnseen] = useState(0);
  useEffect(() => {
    const reset = () => {
      if (isWatching()) setUnseen(0);
    };
    document.addEventListener("visibilitychange", reset);
    window.addEventListener("focus", reset);
    return () => {
      document.removeEventListener("visibilitychange", reset);
      window.removeEventListener("focus", reset);
    };
  }, []);
  useEffect(() => {
    const wanted = unseen > 0 ? `(${unseen}) ${title}` : title;
    document.title = wanted;
    // Next writes the page's metadata title again on every navigation, a `?request=` change
    // included; put ours back whenever that happens.
    const observer = new MutationObserver(() => {
      if (document.title !== wanted) document.title = wanted;
    });
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [unseen, title]);
  return useCallback(() => {
    if (!isWatching()) setUnseen((n) => n + 1);
  }, []);
}
