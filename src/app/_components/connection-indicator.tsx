"use client";

import { useConnectionStatus, type ConnectionStatus } from "~/trpc/react";

const LOOK: Record<ConnectionStatus, { label: string; dot: string }> = {
  connecting: { label: "Connecting…", dot: "bg-zinc-400" },
  live: { label: "Live", dot: "bg-green-500" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500 animate-pulse" },
  offline: { label: "Offline", dot: "bg-red-500" },
};

export function ConnectionIndicator() {
  const status = useConnectionStatus();
  const look = LOOK[status];
  return (
    <span role="status" data-testid="connection-status" data-state={status} className="inline-flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
      <span aria-hidden className={`h-2 w-2 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}
