import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { TrpcProvider } from "~/trpc/react";
import { THEME_SCRIPT } from "./_components/theme-script";
import "./globals.css";

export const metadata: Metadata = {
  title: "WebhookDump",
  description: "Self-hosted webhook inspector: capture, store and inspect every request, byte for byte.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The per-request nonce from src/proxy.ts; reading it also keeps every page dynamic, which the
  // nonce needs (a prerendered page would carry a stale one).
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // The theme script sets the `dark` class before hydration; React must not undo it.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* A constant of ours, never captured data. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <TrpcProvider>{children}</TrpcProvider>
      </body>
    </html>
  );
}
