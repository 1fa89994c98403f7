import { captureUrl } from "~/server/bins/bins-service";
import { AppShell } from "../../_components/app-shell";
import { captureBaseUrl } from "../../_lib/capture-base-url";
import { requireOwnBin } from "../../_lib/require-own-bin";
import { BinView } from "./bin-view";

export const dynamic = "force-dynamic";

export default async function BinPage({ params }: { params: Promise<{ slug: string }> }) {
  const { user, bin } = await requireOwnBin((await params).slug);
  return (
    <AppShell email={user.email}>
      <BinView binId={bin.id} slug={bin.slug} captureUrl={captureUrl(await captureBaseUrl(), bin.slug)} />
    </AppShell>
  );
}
