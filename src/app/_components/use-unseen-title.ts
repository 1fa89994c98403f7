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
    document.title = unseen > 0 ? `(${unseen}) ${title}` : title;
  }, [unseen, title]);
  return useCallback(() => {
    if (!isWatching()) setUnseen((n) => n + 1);
  }, []);
}
