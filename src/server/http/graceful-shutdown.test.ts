import http from "node:http";
import { describe, expect, it } from "vitest";
import { getRequest } from "../requests/requests-service";
import { startTestServer } from "~/test/test-app";
import { seedBin } from "~/test/seed";

describe("graceful shutdown", () => {
  it("stops accepting, lets an in-flight capture commit and answer, then closes", async () => {
    const server = await startTestServer();
    const { user } = await seedBin(server.app.db, "shutdown-bin");
    const { port } = new URL(server.url);

    // A capture whose body is still arriving when shutdown starts.
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/b/shutdown-bin/slow", headers: { "content-length": "10" } }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.write("first");
      req.on("socket", (socket) => {
        socket.on("connect", () => {
          // Shutdown begins while half of the body is still to come.
          setImmediate(() => {
            closing = server.server.close();
            setTimeout(() => req.end("-last"), 50);
          });
        });
      });
    });
    let closing: Promise<void> | undefined;

    const { status, body } = await answer;
    expect(status).toBe(200);
    const { id } = JSON.parse(body) as { id: string };
    const record = await getRequest(server.app.db, user.id, id);
    expect(Buffer.from(record.body).toString()).toBe("first-last");

    await closing;
    // No longer accepting.
    await expect(fetch(`${server.url}/b/shutdown-bin`, { method: "POST" })).rejects.toThrow();
    await server.close();
  });
});

describe("keep-alive behind a load balancer", () => {
  it("keeps idle connections open longer than nginx's and an ALB's 60 s, so they never reuse a socket we are closing", async () => {
    const server = await startTestServer();
    try {
      expect(server.server.server.keepAliveTimeout).toBeGreaterThan(60_000);
      // Node 18+ starts the headers clock at a request's first byte, not at the end of the previous
      // one, so a 30 s headersTimeout (issue 15) does not cut idle keep-alive connections short.
      expect(server.server.server.headersTimeout).toBe(30_000);
    } finally {
      await server.close();
    }
  });
});
