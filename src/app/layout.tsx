import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TrpcProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: "WebhookDump",
  description: "Self-hosted webhook inspector: capture, store and inspect every request, byte for byte.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <TrpcProvider>{children}</TrpcProvider>
      </body>
    </html>
  );
}
