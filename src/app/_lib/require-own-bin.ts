import { notFound } from "next/navigation";
import { getAppContext } from "~/server/app-context";
import { getBin } from "~/server/bins/bins-service";
import { AppError } from "~/server/errors";
import { requireUser } from "./session";

/**
 * The signed-in user and their bin with this slug. Someone else's bin is indistinguishable from a
 * missing one: 404, never 403.
 */
export async function requireOwnBin(slug: string) {
  const user = await requireUser();
  const bin = await getBin((await getAppContext()).db, user.id, { slug }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return { user, bin };
}
