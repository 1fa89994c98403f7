import type { Db } from "../db/create-db";

/** Whether the database answers a trivial query. */
export async function checkHealth(db: Db): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
