"use client";

import { useEffect, useState } from "react";

/** A blob: URL for bytes with an explicit type, revoked when the bytes or the component go. */
export function useObjectUrl(bytes: Uint8Array | null, type: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!bytes) return;
    const objectUrl = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type }));
    setUrl(objectUrl);
    return () => {
      URL.revokeObjectURL(objectUrl);
      setUrl(null);
    };
  }, [bytes, type]);
  return url;
}
