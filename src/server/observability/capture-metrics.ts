import type { CaptureAnswer } from "../capture/capture-response";
import type { CaptureOutcome, Metrics } from "./metrics";

/** What a capture answer counts as in webhookdump_captures_total. */
export function captureOutcome(answer: CaptureAnswer): CaptureOutcome {
  if (answer.kind === "rate-limited") return "rate_limited";
  if (answer.kind === "unknown-bin" || answer.result.status === "unknown-bin") return "unknown_bin";
  if (answer.result.incomplete) return "incomplete";
  return answer.result.truncated ? "too_large" : "stored";
}

/** Counts one answered capture; `startedAt` is its arrival (performance.now()). */
export type RecordCapture = (answer: CaptureAnswer, startedAt: number) => void;

/**
 * The one way both capture adapters count: by outcome, and for stored captures the time from
 * arrival to the answer being ready. Adapters call it before a bin's configured delay, so the
 * histogram measures us, not the user's setting.
 */
export function createCaptureRecorder(metrics: Metrics): RecordCapture {
  // Bound children skip the label lookup per capture, and publish every outcome at 0 from the
  // start, so rate() and alerts work before the first refusal.
  const counters: Record<CaptureOutcome, { inc(): void }> = {
    stored: metrics.captures.labels("stored"),
    too_large: metrics.captures.labels("too_large"),
    incomplete: metrics.captures.labels("incomplete"),
    rate_limited: metrics.captures.labels("rate_limited"),
    unknown_bin: metrics.captures.labels("unknown_bin"),
  };
  const duration = metrics.captureDuration;
  return (answer, startedAt) => {
    const outcome = captureOutcome(answer);
    counters[outcome].inc();
    if (outcome === "stored") duration.observe((performance.now() - startedAt) / 1_000);
  };
}
