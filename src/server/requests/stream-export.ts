import { exportEntry, exportEnvelope, type ExportFormat } from "~/lib/request-export";
import type { RequestRecord } from "./requests-service";

/**
 * A bin export as a byte stream: the envelope's head, each request as it is read, the tail.
 * Pull-based, so a slow download slows the database reads instead of filling memory.
 */
export function streamExport(
  format: ExportFormat,
  meta: Parameters<typeof exportEnvelope>[1],
  requests: AsyncGenerator<RequestRecord>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const { head, tail } = exportEnvelope(format, meta);
  let started = false;
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(head));
        return;
      }
      const next = await requests.next();
      if (next.done) {
        controller.enqueue(encoder.encode(tail));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode((first ? "" : ",") + JSON.stringify(exportEntry(format, next.value, meta.bin.url))));
      first = false;
    },
    async cancel() {
      await requests.return(undefined);
    },
  });
}
