import Link from "next/link";
import { redirect } from "next/navigation";
import { safeNextPath } from "~/lib/safe-next-path";
import { getAppContext } from "~/server/app-context";
import { AuthForm } from "../_components/auth-form";
import { currentUser } from "../_lib/session";

export const metadata = { title: "Sign up · WebhookDump" };

export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const requested = (await searchParams).next;
  const next = safeNextPath(typeof requested === "string" ? requested : null);
  if (await currentUser()) redirect(next);
  const app = await getAppContext();
  // SIGNUPS=closed still lets the very first account in, so a fresh instance can be set up.
  if (app.env.SIGNUPS === "closed" && (await app.db.user.count()) > 0) {
    return (
      <main className="mx-auto flex max-w-sm flex-col gap-4 px-4 py-16">
        <h1 className="text-2xl font-semibold">Sign-ups are closed</h1>
        <p role="status" data-testid="signups-closed" className="text-sm text-zinc-700 dark:text-zinc-300">
          This instance does not accept new accounts. Ask its operator for one (they can add it with
          <code className="mx-1 font-mono">npm run user:create</code>).
        </p>
        <Link href="/sign-in" className="text-sm font-medium underline">Sign in</Link>
      </main>
    );
  }
  return <AuthForm mode="sign-up" next={next} githubEnabled={Boolean(app.env.GITHUB_CLIENT_ID)} />;
}
