import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as on the request line. */
  url: string;
  /** Header pairs in the order and case they arrived, duplicates kept. */
  headers: [string, string][];
  body: Buffer;
}

type Answer = { status: number; headers?: Record<string, string>; body?: string | Buffer };

/**
 * A webhook receiver on 127.0.0.1 for delivery tests: records every request, answers with
 * `respond` (200 "ok" by default, changeable at any time), and lets a test await the n-th arrival.
 * `port` reopens a target where an earlier one was (a target that went down and came back).
 */
export async function startLocalTarget(
  respond: (request: ReceivedRequest, index: number) => Answer = () => ({ status: 200, body: "ok" }),
  options: { port?: number } = {},
) {
  const received: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let answer = respond;
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? ""]);
      const request: ReceivedRequest = { method: req.method ?? "", url: req.url ?? "", headers, body: Buffer.concat(chunks) };
      const index = received.length;
      received.push(request);
      const { status, headers: responseHeaders, body } = answer(request, index);
      res.writeHead(status, responseHeaders);
      res.end(body ?? "");
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    connections: () => connections,
    setResponder(next: typeof respond) {
      answer = next;
    },
    until(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type LocalTarget = Awaited<ReturnType<typeof startLocalTarget>>;
