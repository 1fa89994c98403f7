import { redirect } from "next/navigation";
import { getAppContext } from "~/server/app-context";
import { AuthForm } from "../_components/auth-form";
import { currentUser } from "../_lib/session";

export const metadata = { title: "Sign up · WebhookDump" };

export const dynamic = "force-dynamic";

export default async function Page() {
  if (await currentUser()) redirect("/bins");
  return <AuthForm mode="sign-up" githubEnabled={Boolean((await getAppContext()).env.GITHUB_CLIENT_ID)} />;
}
