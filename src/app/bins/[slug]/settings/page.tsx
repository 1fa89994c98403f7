import { notFound } from "next/navigation";
import { getAppContext } from "~/server/app-context";
import { getBin } from "~/server/bins/bins-service";
import { AppError } from "~/server/errors";
import { AppShell } from "../../../_components/app-shell";
import { requireUser } from "../../../_lib/session";
import { BinSettingsForm } from "./bin-settings-form";

export const dynamic = "force-dynamic";
export const metadata = { title: "Bin settings · WebhookDump" };

export default async function BinSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const user = await requireUser();
  const { slug } = await params;
  const bin = await getBin(getAppContext().db, user.id, { slug }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <AppShell email={user.email}>
      <BinSettingsForm slug={bin.slug} />
    </AppShell>
  );
}
