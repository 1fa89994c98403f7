import type { Db } from "../db/create-db";
import type { EventBus } from "../events/event-bus";
import { checkHealth, DEFAULT_CHECK_TIMEOUT_MS, type CheckResult } from "./check-health";
import { withTimeout } from "./with-timeout";

export type ReadinessComponent = "database" | "bus";

export type Readiness =
  | { status: "ready"; checks: Record<ReadinessComponent, CheckResult> }
  | { status: "unavailable"; failing: ReadinessComponent[]; checks: Record<ReadinessComponent, CheckResult> };

export interface ReadinessFailure {
  component: ReadinessComponent;
  /** The underlying error, for the server's log only. */
  cause: string;
}

async function checkBus(bus: EventBus, timeoutMs: number): Promise<CheckResult> {
  try {
    await withTimeout(bus.check(), timeoutMs);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

// The readiness answer is public (load balancers do not authenticate). Bus checks reject with
// messages we write for this purpose; database errors come from the driver and may name hosts,
// users or file paths, so only a timeout is reported as such and the rest stays in the log.
function publicDatabaseError(cause: string, timeoutMs: number): string {
  return cause === `timed out after ${timeoutMs} ms` ? cause : "the database did not answer SELECT 1";
}

const MAX_ERROR_CHARS = 200;

/**
 * Whether this instance can do its work: the database answers and the bus can carry events.
 * Both checks run at once, each bounded by `timeoutMs`, so the answer comes within that time
 * whatever hangs. `onFailure` receives the full error of each failing part (for the log).
 */
export async function checkReadiness(
  deps: { db: Db; bus: EventBus },
  options: { timeoutMs?: number; onFailure?: (failure: ReadinessFailure) => void } = {},
): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const [database, bus] = await Promise.all([checkHealth(deps.db, timeoutMs), checkBus(deps.bus, timeoutMs)]);
  const failing: ReadinessComponent[] = [];
  const checks: Record<ReadinessComponent, CheckResult> = { database, bus };
  if (!database.ok) {
    failing.push("database");
    options.onFailure?.({ component: "database", cause: database.error });
    checks.database = { ok: false, error: publicDatabaseError(database.error, timeoutMs) };
  }
  if (!bus.ok) {
    failing.push("bus");
    options.onFailure?.({ component: "bus", cause: bus.error });
    checks.bus = { ok: false, error: bus.error.slice(0, MAX_ERROR_CHARS) };
  }
  return failing.length === 0 ? { status: "ready", checks } : { status: "unavailable", failing, checks };
}
