import { redirect } from "next/navigation";
import { safeNextPath } from "~/lib/safe-next-path";
import { getAppContext } from "~/server/app-context";
import { AuthForm } from "../_components/auth-form";
import { currentUser } from "../_lib/session";

export const metadata = { title: "Sign in · WebhookDump" };

export const dynamic = "force-dynamic";

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const requested = (await searchParams).next;
  const next = safeNextPath(typeof requested === "string" ? requested : null);
  if (await currentUser()) redirect(next);
  return <AuthForm mode="sign-in" next={next} githubEnabled={Boolean((await getAppContext()).env.GITHUB_CLIENT_ID)} />;
}
