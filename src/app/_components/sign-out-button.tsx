"use client";

import { authClient } from "~/lib/auth-client";

export function SignOutButton() {
  return (
    <button
      type="button"
      className="rounded-md px-2 py-1 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
      onClick={async () => {
        await authClient.signOut();
        // Drops the signed-in WebSocket and every cached query along with the page.
        window.location.assign("/sign-in");
      }}
    >
      Sign out
    </button>
  );
}
