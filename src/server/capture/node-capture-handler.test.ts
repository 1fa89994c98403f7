import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import net from "node:net";
import { readNodeBody, type NodeBody } from "./node-capture-handler";

interface ReadResult {
  body: Uint8Array;
  truncated: boolean;
}

let server: http.Server | undefined;

afterEach(async () => {
  const current = server;
  server = undefined;
  if (!current) return;
  current.closeAllConnections();
  await new Promise<void>((resolve) => current.close(() => resolve()));
});

/**
 * Starts a real server on port 0 whose handler calls readNodeBody(req, max), sends `body` to it
 * in the given chunks, and resolves with what readNodeBody returned. After reading, the handler
 * drains whatever readNodeBody left unread so the client can finish sending, then answers.
 */
async function readThroughServer(max: number, parts: Buffer[], options: { chunked?: boolean } = {}): Promise<ReadResult> {
  let result: Promise<ReadResult> | undefined;
  const created = http.createServer((req, res) => {
    result = readNodeBody(req, max);
    result.then(
      () => {
        if (req.readableEnded) {
          res.end("done");
          return;
        }
        req.on("end", () => res.end("done"));
        req.resume();
      },
      () => res.destroy(),
    );
  });
  server = created;
  await new Promise<void>((resolve) => created.listen(0, "127.0.0.1", resolve));
  const { port } = created.address() as AddressInfo;

  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/b/test-bin",
      headers: options.chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(total) },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    for (const part of parts) req.write(part);
    req.end();
  });
  expect(status).toBe(200);
  if (!result) throw new Error("the server never received the request");
  return result;
}

/** Distinct bytes so an off-by-one or reordering shows up as a content mismatch. */
function pattern(length: number, seed = 0): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff));
}

describe("readNodeBody", () => {
  it("returns every byte of a body under the limit, not truncated", async () => {
    const body = pattern(1000);
    const { body: read, truncated } = await readThroughServer(4096, [body]);
    expect(truncated).toBe(false);
    expect(Buffer.from(read).equals(body)).toBe(true);
  });

  it("reassembles a body that arrives in several chunks", async () => {
    const parts = [pattern(10, 1), pattern(3000, 2), pattern(1, 3), pattern(70_000, 4)];
    const { body, truncated } = await readThroughServer(1024 * 1024, parts, { chunked: true });
    expect(truncated).toBe(false);
    expect(Buffer.from(body).equals(Buffer.concat(parts))).toBe(true);
  });

  it("keeps a body of exactly `max` bytes whole", async () => {
    const body = pattern(4096);
    const { body: read, truncated } = await readThroughServer(4096, [body]);
    expect(truncated).toBe(false);
    expect(read.byteLength).toBe(4096);
    expect(Buffer.from(read).equals(body)).toBe(true);
  });

  it("returns exactly `max` bytes and truncated for a body one byte over", async () => {
    const body = pattern(4097);
    const { body: read, truncated } = await readThroughServer(4096, [body]);
    expect(truncated).toBe(true);
    expect(read.byteLength).toBe(4096);
    expect(Buffer.from(read).equals(body.subarray(0, 4096))).toBe(true);
  });

  it("returns exactly the first `max` bytes of a much larger body", async () => {
    const body = pattern(256 * 1024);
    const max = 10_000;
    const { body: read, truncated } = await readThroughServer(max, [body]);
    expect(truncated).toBe(true);
    expect(read.byteLength).toBe(max);
    expect(Buffer.from(read).equals(body.subarray(0, max))).toBe(true);
  });

  it("cuts at `max` when the limit falls inside a later chunk", async () => {
    const parts = [pattern(100, 1), pattern(100, 2), pattern(100, 3)];
    const { body, truncated } = await readThroughServer(150, parts, { chunked: true });
    expect(truncated).toBe(true);
    expect(body.byteLength).toBe(150);
    expect(Buffer.from(body).equals(Buffer.concat(parts).subarray(0, 150))).toBe(true);
  });

  it("with max 0, reports a non-empty body as truncated with no bytes", async () => {
    const { body, truncated } = await readThroughServer(0, [Buffer.from("x")]);
    expect(truncated).toBe(true);
    expect(body.byteLength).toBe(0);
  });

  it("with max 0, reads an empty body as empty and not truncated", async () => {
    const { body, truncated } = await readThroughServer(0, []);
    expect(truncated).toBe(false);
    expect(body.byteLength).toBe(0);
  });

  it("reads an empty body as empty", async () => {
    const { body, truncated } = await readThroughServer(1024, []);
    expect(truncated).toBe(false);
    expect(body.byteLength).toBe(0);
  });
});

describe("readNodeBody when the sender hangs up or stalls", () => {
  /** A server whose handler reads the body `when` told to; resolves what the read returned. */
  async function serverReading(when: "at-once" | "after-hang-up", idleMs = 0) {
    let outcome!: (value: NodeBody) => void;
    const settled = new Promise<NodeBody>((resolve) => (outcome = resolve));
    const created = http.createServer((req) => {
      const read = () => readNodeBody(req, 1024, idleMs).then(outcome);
      if (when === "at-once") void read();
      // As when the bin lookup is still running while the sender goes away.
      else req.socket.once("close", () => setImmediate(read));
    });
    await new Promise<void>((resolve) => created.listen(0, "127.0.0.1", resolve));
    server = created;
    const { port } = created.address() as AddressInfo;
    const socket = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    // Ten of the hundred bytes it announces, then gone (or silent).
    socket.write("POST /b/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
    if (idleMs === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      socket.destroy();
    }
    const result = await settled;
    socket.destroy();
    return result;
  }

  it("keeps the bytes that arrived, marked incomplete (hung-up), when the sender hangs up mid-body", async () => {
    const read = await serverReading("at-once");
    expect(read.incomplete).toBe("hung-up");
    expect(Buffer.from(read.body).toString()).toBe("0123456789");
    expect(read.truncated).toBe(false);
  });

  it("reports hung-up when the sender was gone before the body was read", async () => {
    const read = await serverReading("after-hang-up");
    expect(read.incomplete).toBe("hung-up");
  });

  it("gives up on a sender that stops sending for idleMs, keeping what arrived (idle-timeout)", async () => {
    const startedAt = performance.now();
    const read = await serverReading("at-once", 300);
    const waited = performance.now() - startedAt;
    expect(read.incomplete).toBe("idle-timeout");
    expect(Buffer.from(read.body).toString()).toBe("0123456789");
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(3_000);
  });
});
