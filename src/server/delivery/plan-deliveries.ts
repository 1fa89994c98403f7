import { v7 as uuidv7 } from "uuid";

/** What the capture transaction needs to know about a bin's enabled targets. */
export interface TargetFilter {
  id: string;
  /** Upper-case methods, or null for all. */
  methods: string[] | null;
  pathPrefix: string | null;
}

export interface DeliveryRow {
  id: string;
  targetId: string;
  requestId: string;
  binId: string;
  seq: number;
  state: "pending" | "failed";
  lastError: string | null;
  nextAttemptAt: Date;
}

/** How many times a request may pass through WebhookDump forwards before it is not sent again. */
export const MAX_FORWARD_HOPS = 3;

/**
 * The marker every auto-forwarded copy carries (RFC 9110 asks intermediaries to add a Via entry);
 * counting it on arrival is what stops bins that forward to themselves or in a circle.
 */
export const VIA_MARKER = "1.1 webhookdump";

/** How many WebhookDump forwards this request has already passed through. */
export function countForwardHops(headers: [string, string][]): number {
  let hops = 0;
  for (const [name, value] of headers) {
    if (name.length !== 3 || name.toLowerCase() !== "via") continue;
    for (const entry of value.split(",")) if (entry.trim().toLowerCase() === VIA_MARKER) hops++;
  }
  return hops;
}

export function targetMatches(target: TargetFilter, method: string, path: string): boolean {
  if (target.methods && !target.methods.includes(method.toUpperCase())) return false;
  if (target.pathPrefix && !path.startsWith(target.pathPrefix)) return false;
  return true;
}

/** The outbox rows for one round of stored captures: one per capture and matching enabled target. */
export function planDeliveries(
  rows: readonly { id: string; binId: string; seq: number; method: string; path: string; headers: string }[],
  targetsByBin: ReadonlyMap<string, readonly TargetFilter[]>,
  now: Date,
): DeliveryRow[] {
  const deliveries: DeliveryRow[] = [];
  for (const row of rows) {
    const targets = targetsByBin.get(row.binId);
    if (!targets || targets.length === 0) continue;
    let hops: number | undefined;
    for (const target of targets) {
      if (!targetMatches(target, row.method, row.path)) continue;
      hops ??= countForwardHops(JSON.parse(row.headers) as [string, string][]);
      const looped = hops >= MAX_FORWARD_HOPS;
      deliveries.push({
        id: uuidv7(),
        targetId: target.id,
        requestId: row.id,
        binId: row.binId,
        seq: row.seq,
        state: looped ? "failed" : "pending",
        lastError: looped ? `loop: this request already passed through ${hops} WebhookDump forwards; not sent again` : null,
        nextAttemptAt: now,
      });
    }
  }
  return deliveries;
}

export const ZTargetFilterRow = {
  parse(row: { id: string; methods: string | null; pathPrefix: string | null }): TargetFilter {
    return { id: row.id, methods: row.methods === null ? null : (JSON.parse(row.methods) as string[]), pathPrefix: row.pathPrefix };
  },
};
