import net from "node:net";

/** One request as it arrived on the wire: the head as Latin-1 text and the body bytes. */
export interface RawRequest {
  head: string;
  requestLine: string;
  /** Header lines in order, as written by the sender. */
  headerLines: string[];
  body: Buffer;
}

export interface RawHttpTarget {
  host: string;
  port: number;
  /** `http://host:port` (IPv6 in brackets). */
  origin: string;
  /** TCP connections accepted so far: a refused address must leave this at 0. */
  connections: number;
  requests: RawRequest[];
  close(): Promise<void>;
}

/**
 * A raw TCP server speaking just enough HTTP/1.1 to see exactly what a client wrote: no parser
 * between the wire and the test. `respond` writes the answer itself (or nothing, to hang).
 */
export async function startRawHttpTarget(
  host: string,
  respond: (request: RawRequest, socket: net.Socket) => void = (_request, socket) =>
    socket.end("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"),
  port = 0,
): Promise<RawHttpTarget> {
  const sockets = new Set<net.Socket>();
  const target: Omit<RawHttpTarget, "host" | "port" | "origin" | "close"> = { connections: 0, requests: [] };
  const server = net.createServer((socket) => {
    target.connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffered = Buffer.alloc(0);
    let answered = false;
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (answered) return;
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString("latin1");
      const [requestLine = "", ...headerLines] = head.split("\r\n");
      const lengthLine = headerLines.find((line) => /^content-length:/i.test(line));
      const length = lengthLine ? Number(lengthLine.slice(lengthLine.indexOf(":") + 1).trim()) : 0;
      if (buffered.length < end + 4 + length) return;
      answered = true;
      const request = { head, requestLine, headerLines, body: Buffer.from(buffered.subarray(end + 4, end + 4 + length)) };
      target.requests.push(request);
      respond(request, socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return Object.assign(target, {
    host,
    port: address.port,
    origin: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function unusedLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
