import type { Db } from "../db/create-db";
import { withTimeout } from "./with-timeout";

export type CheckResult = { ok: true } | { ok: false; error: string };

/** How long a probe waits for the database before calling it down. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/**
 * Whether the database answers a trivial query in time. A hung connection would otherwise hold a
 * load balancer's probe until its own timeout, which reads as "no answer" rather than "down".
 */
export async function checkHealth(db: Db, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS): Promise<CheckResult> {
  try {
    await withTimeout(db.$queryRawUnsafe("SELECT 1"), timeoutMs);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
