import { AppShell } from "../_components/app-shell";
import { requireUser } from "../_lib/session";
import { TokensPanel } from "./tokens-panel";

export const metadata = { title: "API tokens · WebhookDump" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const user = await requireUser();
  return (
    <AppShell email={user.email}>
      <TokensPanel />
    </AppShell>
  );
}
