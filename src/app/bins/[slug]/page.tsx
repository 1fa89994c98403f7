import { notFound } from "next/navigation";
import { getAppContext } from "~/server/app-context";
import { captureUrl, getBin } from "~/server/bins/bins-service";
import { AppError } from "~/server/errors";
import { AppShell } from "../../_components/app-shell";
import { captureBaseUrl } from "../../_lib/capture-base-url";
import { requireUser } from "../../_lib/session";
import { BinView } from "./bin-view";

export const dynamic = "force-dynamic";

export default async function BinPage({ params }: { params: Promise<{ slug: string }> }) {
  const user = await requireUser();
  const { slug } = await params;
  // Someone else's bin is indistinguishable from a missing one: 404, never 403.
  const bin = await getBin(getAppContext().db, user.id, { slug }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <AppShell email={user.email}>
      <BinView binId={bin.id} slug={bin.slug} captureUrl={captureUrl(await captureBaseUrl(), bin.slug)} />
    </AppShell>
  );
}
