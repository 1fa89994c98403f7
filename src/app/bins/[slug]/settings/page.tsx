import { AppShell } from "../../../_components/app-shell";
import { requireOwnBin } from "../../../_lib/require-own-bin";
import { BinSettingsForm } from "./bin-settings-form";
import { ForwardsForm } from "./forwards-form";
import { SignatureForm } from "./signature-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Bin settings · WebhookDump" };

export default async function BinSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { user, bin } = await requireOwnBin((await params).slug);
  return (
    <AppShell email={user.email}>
      <div className="space-y-6">
        <BinSettingsForm slug={bin.slug} />
        <ForwardsForm slug={bin.slug} />
        <SignatureForm slug={bin.slug} />
      </div>
    </AppShell>
  );
}
