import { AppShell } from "../../../_components/app-shell";
import { requireOwnBin } from "../../../_lib/require-own-bin";
import { BinSettingsForm } from "./bin-settings-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Bin settings · WebhookDump" };

export default async function BinSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { user, bin } = await requireOwnBin((await params).slug);
  return (
    <AppShell email={user.email}>
      <BinSettingsForm slug={bin.slug} />
    </AppShell>
  );
}
