"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createWSClient, httpBatchLink, splitLink, wsLink, type TRPCLink } from "@trpc/client";
import { createTRPCReact } from "@trpc/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "~/server/trpc/app-router";

export const api = createTRPCReact<AppRouter>();
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export type ConnectionStatus = "connecting" | "live" | "reconnecting" | "offline";

type WsClient = ReturnType<typeof createWSClient>;
const WsClientContext = createContext<WsClient | null>(null);

/** Exponential backoff with jitter, capped at 10 s, so a restarted server is not stampeded. */
export function reconnectDelayMs(attempt: number): number {
  const base = Math.min(500 * 2 ** attempt, 10_000);
  return Math.round(base / 2 + Math.random() * (base / 2));
}

function createBrowserWsClient(): WsClient {
  return createWSClient({
    url: () => `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/api/trpc-ws`,
    retryDelayMs: reconnectDelayMs,
    keepAlive: { enabled: true, intervalMs: 20_000, pongTimeoutMs: 10_000 },
    // Only pages with live views hold a connection.
    lazy: { enabled: true, closeMs: 5_000 },
  });
}

/** The live connection as a person should read it: live, reconnecting (with backoff) or offline. */
export function useConnectionStatus(): ConnectionStatus {
  const client = useContext(WsClientContext);
  const [state, setState] = useState<ConnectionStatus>("connecting");
  const [online, setOnline] = useState(true);
  useEffect(() => {
    if (!client) return;
    let everConnected = false;
    const subscription = client.connectionState.subscribe({
      next(connection) {
        if (connection.state === "pending") {
          everConnected = true;
          setState("live");
        } else if (connection.state === "connecting") {
          setState(everConnected || connection.error ? "reconnecting" : "connecting");
        }
      },
    });
    return () => subscription.unsubscribe();
  }, [client]);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return online ? state : "offline";
}

export function TrpcProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } }),
  );
  // Subscriptions only ever run in the browser; server rendering gets plain HTTP.
  const [wsClient] = useState(() => (typeof window === "undefined" ? null : createBrowserWsClient()));
  const [client] = useState(() => {
    const http: TRPCLink<AppRouter> = httpBatchLink({ url: "/api/trpc", transformer: superjson });
    return api.createClient({
      links: [
        wsClient
          ? splitLink({
              condition: (op) => op.type === "subscription",
              true: wsLink({ client: wsClient, transformer: superjson }),
              false: http,
            })
          : http,
      ],
    });
  });
  return (
    <WsClientContext.Provider value={wsClient}>
      <api.Provider client={client} queryClient={queryClient}>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </api.Provider>
    </WsClientContext.Provider>
  );
}
