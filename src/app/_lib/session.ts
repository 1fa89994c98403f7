import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { PAGE_PATH_HEADER, signInPathFor } from "~/lib/safe-next-path";
import { getAppContext } from "~/server/app-context";

export async function currentUser() {
  const session = await (await getAppContext()).auth.api.getSession({ headers: await headers() });
  return session?.user ?? null;
}

/** The signed-in user for a page, or a redirect to the sign-in page that comes back here after. */
export async function requireUser() {
  const user = await currentUser();
  if (!user) redirect(signInPathFor((await headers()).get(PAGE_PATH_HEADER)));
  return user;
}
