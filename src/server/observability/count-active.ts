import type { Gauge } from "prom-client";

/**
 * Passes `source` through while `gauge` counts it as active: up when the consumer starts
 * iterating, down when the stream ends for any reason (completed, failed, or returned early).
 */
export async function* countActive<T>(gauge: Gauge, source: AsyncIterable<T>): AsyncGenerator<T> {
  gauge.inc();
  try {
    yield* source;
  } finally {
    gauge.dec();
  }
}
