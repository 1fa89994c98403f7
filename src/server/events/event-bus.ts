/** What subscribers learn about a capture: small on purpose; the body is fetched on demand. */
export interface CaptureSummary {
  id: string;
  binId: string;
  seq: number;
  method: string;
  path: string;
  query: string;
  bodySize: number;
  truncated: boolean;
  /** The body ended early: the sender stalled (idle timeout) or hung up mid-body. */
  incomplete: boolean;
  contentType: string | null;
  receivedAt: string;
  /** The status the sender was answered with. */
  responseStatus: number;
}

export interface CapturedEvent {
  userId: string;
  summary: CaptureSummary;
}

/**
 * Carries capture notifications from whoever stored a request to whoever watches it. Events are
 * hints: the database stays the source of truth, so subscribers catch up from it after a gap.
 * Captures committed together are published together: listeners get one array per bin (or user)
 * per commit round, in sequence order, the same array for every listener, so fan-out work is per
 * round rather than per request and per subscriber.
 */
export interface EventBus {
  publish(events: CapturedEvent[]): void;
  /** Every capture into one bin. Returns the unsubscribe function. */
  subscribeBin(binId: string, listener: (summaries: readonly CaptureSummary[]) => void): () => void;
  /** Every capture into any bin of one user (the bins list). Returns the unsubscribe function. */
  subscribeUser(userId: string, listener: (summaries: readonly CaptureSummary[]) => void): () => void;
  /** Resolves when the bus can carry events between instances; rejects naming what is wrong. */
  check(): Promise<void>;
  close(): Promise<void>;
}
