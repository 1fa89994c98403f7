import type { SendResult } from "../../src/server/delivery/egress";

const useColour = (stream: NodeJS.WriteStream) => stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== "dumb";

function paint(stream: NodeJS.WriteStream, code: number, text: string): string {
  return useColour(stream) ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const dim = (stream: NodeJS.WriteStream, text: string) => paint(stream, 2, text);
export const red = (stream: NodeJS.WriteStream, text: string) => paint(stream, 31, text);
export const yellow = (stream: NodeJS.WriteStream, text: string) => paint(stream, 33, text);

function statusColour(status: number | null): number {
  if (status === null || status >= 500) return 31;
  if (status >= 400) return 33;
  return 32;
}

/** The path and query the target was asked for: what `#42 POST /webhooks/stripe → 200 12 ms` shows. */
export function targetPath(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** `#42 POST /webhooks/stripe → 200 12 ms` (or `→ connection_refused …`). */
export function deliveryLine(stream: NodeJS.WriteStream, seq: number, method: string, result: SendResult, note = ""): string {
  const outcome = result.status !== null ? String(result.status) : (result.error?.code ?? "failed");
  const coloured = paint(stream, statusColour(result.status), outcome);
  return `#${seq} ${method} ${targetPath(result.url)} → ${coloured} ${Math.round(result.durationMs)} ms${note ? ` ${dim(stream, note)}` : ""}`;
}

export function deliveryJson(seq: number, requestId: string, method: string, result: SendResult, tries: number): string {
  return JSON.stringify({
    seq,
    requestId,
    method,
    url: result.url,
    status: result.status,
    durationMs: Math.round(result.durationMs),
    error: result.error,
    tries,
  });
}
