import { AppShell } from "../_components/app-shell";
import { requireUser } from "../_lib/session";
import { BinsDashboard } from "./bins-dashboard";

export const metadata = { title: "Bins · WebhookDump" };
export const dynamic = "force-dynamic";

export default async function BinsPage() {
  const user = await requireUser();
  return (
    <AppShell email={user.email}>
      <BinsDashboard />
    </AppShell>
  );
}
