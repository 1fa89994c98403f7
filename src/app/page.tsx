import { redirect } from "next/navigation";
import { currentUser } from "./_lib/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  redirect((await currentUser()) ? "/bins" : "/sign-in");
}
