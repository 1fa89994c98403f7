import Link from "next/link";
import { AppShell } from "./_components/app-shell";
import { currentUser } from "./_lib/session";

export const metadata = { title: "Not found · WebhookDump" };

/**
 * Every 404 of the app, a missing or someone else's bin among them (the two look the same on
 * purpose): inside the app shell for a signed-in person, with a way back.
 */
export default async function NotFound() {
  const user = await currentUser();
  const body = (
    <section aria-labelledby="not-found-heading" className="mx-auto mt-12 max-w-lg rounded-lg border border-zinc-200 bg-white p-8 text-center dark:border-zinc-800 dark:bg-zinc-900">
      <p className="font-mono text-sm text-zinc-500 dark:text-zinc-400">404</p>
      <h1 id="not-found-heading" className="mt-2 text-xl font-semibold">Nothing here</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        This bin or page does not exist, was deleted, or belongs to another account.
      </p>
      <Link href={user ? "/bins" : "/sign-in"} className="mt-6 inline-block rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2">
        {user ? "Back to your bins" : "Sign in"}
      </Link>
    </section>
  );
  return user ? <AppShell email={user.email}>{body}</AppShell> : <main className="px-4 py-6">{body}</main>;
}
