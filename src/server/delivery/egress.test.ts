// End to end over loopback only: every target is a server of this test on 127.0.0.0/8 or ::1.
// Blocked addresses are refused before any connect, which the targets' connection counters prove.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildOutgoingRequest, type OutgoingRequest } from "~/lib/outgoing-request";
import { startRawHttpTarget, unusedLoopbackPort, type RawHttpTarget } from "~/test/raw-http-target";
import { parseEnv } from "../env";
import { egressPolicyFromEnv, sendRequest, type EgressPolicy } from "./egress";

const LOOPBACK_ONE: EgressPolicy = { allowedNetworks: ["127.0.0.1/32"] };
const DEFAULT_POLICY: EgressPolicy = { allowedNetworks: [] };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function target(host = "127.0.0.1", respond?: Parameters<typeof startRawHttpTarget>[1], port = 0): Promise<RawHttpTarget> {
  const started = await startRawHttpTarget(host, respond, port);
  closers.push(started.close);
  return started;
}

function get(url: string, headers: [string, string][] = []): OutgoingRequest {
  return buildOutgoingRequest(
    { method: "GET", path: "/", query: "", headers, body: new Uint8Array(), truncated: false },
    { url, pathMode: "exact" },
  );
}

describe("what goes on the wire", () => {
  it("sends the stored method, path, raw query, headers (order, case, duplicates) and binary body exactly", async () => {
    const server = await target();
    const body = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));
    const request = buildOutgoingRequest(
      {
        method: "PATCH",
        path: "/hooks/x",
        query: "b=2&a=1&a='q'&e=%20+x",
        headers: [
          ["x-lower", "1"],
          ["Host", "dump.example"],
          ["X-Dup", "first"],
          ["X-UPPER", "2"],
          ["x-dup", "second"],
          ["Content-Type", "application/octet-stream"],
          ["Content-Length", "256"],
          ["Connection", "keep-alive"],
          ["X-Latin1", "caf\u00e9"],
        ],
        body,
        truncated: false,
      },
      { url: `${server.origin}/in?k=v` },
    );
    const result = await sendRequest(request, { policy: LOOPBACK_ONE });
    expect(result.error).toBeNull();
    expect(result.status).toBe(200);
    const [received] = server.requests;
    expect(received?.requestLine).toBe("PATCH /in/hooks/x?k=v&b=2&a=1&a='q'&e=%20+x HTTP/1.1");
    expect(received?.headerLines).toEqual([
      "x-lower: 1",
      `Host: 127.0.0.1:${server.port}`,
      "X-Dup: first",
      "X-UPPER: 2",
      "x-dup: second",
      "Content-Type: application/octet-stream",
      "Content-Length: 256",
      "X-Latin1: caf\u00e9",
      // Node's one addition: this connection ends after the exchange (hop-by-hop, not the message).
      "Connection: close",
    ]);
    expect(new Uint8Array(received?.body ?? [])).toEqual(body);
  });

  it("sends a bodyless GET without Content-Length or chunked framing", async () => {
    const server = await target();
    await sendRequest(get(`${server.origin}/x`, [["Accept", "*/*"]]), { policy: LOOPBACK_ONE });
    expect(server.requests[0]?.head).toBe(`GET /x HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAccept: */*\r\nConnection: close`);
  });

  it("sends the Host header it is given, not the target's", async () => {
    const server = await target();
    const request = buildOutgoingRequest(
      { method: "GET", path: "/", query: "", headers: [["Host", "original.example"]], body: new Uint8Array(), truncated: false },
      { url: server.origin, host: "original" },
    );
    await sendRequest(request, { policy: LOOPBACK_ONE });
    expect(server.requests[0]?.headerLines[0]).toBe("Host: original.example");
  });
});

describe("what comes back", () => {
  it("records status, raw response headers in order with duplicates, the body, the IP and the timing", async () => {
    const server = await target("127.0.0.1", (_request, socket) =>
      socket.end(
        Buffer.concat([
          Buffer.from("HTTP/1.1 201 Created\r\nX-B: 1\r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 4\r\n\r\n", "latin1"),
          Buffer.from([0, 255, 10, 13]),
        ]),
      ),
    );
    const before = Date.now();
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE });
    expect(result).toMatchObject({
      url: `${server.origin}/`,
      ip: "127.0.0.1",
      status: 201,
      bodyTruncated: false,
      error: null,
      headers: [
        ["X-B", "1"],
        ["set-cookie", "a=1"],
        ["Set-Cookie", "b=2"],
        ["Content-Length", "4"],
      ],
    });
    expect(result.body).toEqual(new Uint8Array([0, 255, 10, 13]));
    expect(result.startedAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.durationMs).toBeLessThan(5_000);
  });

  it("cuts a response body at the cap without reading the rest", async () => {
    let serverClosedEarly = false;
    const total = 64 * 1024 * 1024;
    const server = await target("127.0.0.1", (_request, socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${total}\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let written = 0;
      const pump = () => {
        while (written < total && !socket.destroyed) {
          written += chunk.length;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
      };
      socket.on("close", () => {
        serverClosedEarly = written < total;
      });
      pump();
    });
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE, maxResponseBytes: 1000 });
    expect(result.status).toBe(200);
    expect(result.error).toBeNull();
    expect(result.bodyTruncated).toBe(true);
    expect(result.body.length).toBe(1000);
    expect(result.body.every((byte) => byte === 0x61)).toBe(true);
    await expect.poll(() => serverClosedEarly).toBe(true);
  });

  it("keeps a body of exactly the cap whole", async () => {
    const server = await target("127.0.0.1", (_request, socket) => socket.end("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE, maxResponseBytes: 5 });
    expect(result).toMatchObject({ bodyTruncated: false, error: null });
    expect(new TextDecoder().decode(result.body)).toBe("hello");
  });

  it.each([301, 302, 303, 307, 308])("records a %i with its headers as a redirect, not followed", async (status) => {
    const elsewhere = await target("127.0.0.2");
    const server = await target("127.0.0.1", (_request, socket) =>
      socket.end(`HTTP/1.1 ${status} Moved\r\nLocation: ${elsewhere.origin}/next\r\nContent-Length: 5\r\n\r\nmoved`),
    );
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE });
    expect(result.status).toBe(status);
    expect(result.headers).toContainEqual(["Location", `${elsewhere.origin}/next`]);
    expect(new TextDecoder().decode(result.body)).toBe("moved");
    expect(result.error).toEqual({ code: "redirect", message: `${status} redirect to ${elsewhere.origin}/next not followed` });
    expect(elsewhere.connections).toBe(0);
  });

  it("does not follow a redirect even where the policy would allow it", async () => {
    const elsewhere = await target("127.0.0.1");
    const server = await target("127.0.0.1", (_request, socket) =>
      socket.end(`HTTP/1.1 302 Found\r\nLocation: ${elsewhere.origin}/\r\nContent-Length: 0\r\n\r\n`),
    );
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE });
    expect(result.error?.code).toBe("redirect");
    expect(elsewhere.connections).toBe(0);
  });

  it("names a redirect without a Location, and does not count 304 as one", async () => {
    const bare = await target("127.0.0.1", (_request, socket) => socket.end("HTTP/1.1 300 Multiple Choices\r\nContent-Length: 0\r\n\r\n"));
    expect((await sendRequest(get(bare.origin), { policy: LOOPBACK_ONE })).error).toEqual({
      code: "redirect",
      message: "300 redirect without a Location, not followed",
    });
    const notModified = await target("127.0.0.1", (_request, socket) => socket.end("HTTP/1.1 304 Not Modified\r\n\r\n"));
    expect(await sendRequest(get(notModified.origin), { policy: LOOPBACK_ONE })).toMatchObject({ status: 304, error: null });
  });

  it("records a 5xx as an answer, not an error", async () => {
    const server = await target("127.0.0.1", (_request, socket) => socket.end("HTTP/1.1 503 Busy\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n"));
    expect(await sendRequest(get(server.origin), { policy: LOOPBACK_ONE })).toMatchObject({
      status: 503,
      headers: [["Retry-After", "7"], ["Content-Length", "0"]],
      error: null,
    });
  });

  it("records a 101 and an answer to CONNECT without using the tunnel", async () => {
    const upgrade = await target("127.0.0.1", (_request, socket) =>
      socket.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
    );
    expect(await sendRequest(get(upgrade.origin), { policy: LOOPBACK_ONE })).toMatchObject({
      status: 101,
      headers: [["Upgrade", "websocket"], ["Connection", "Upgrade"]],
      error: null,
    });
    const proxy = await target("127.0.0.1", (_request, socket) => socket.write("HTTP/1.1 200 Connection established\r\n\r\n"));
    const connect = { ...get(proxy.origin), method: "CONNECT" };
    expect(await sendRequest(connect, { policy: LOOPBACK_ONE })).toMatchObject({ status: 200, error: null });
  });

  it("reports response headers beyond Node's limit as too_large", async () => {
    const server = await target("127.0.0.1", (_request, socket) =>
      socket.end(`HTTP/1.1 200 OK\r\nX-Huge: ${"a".repeat(100_000)}\r\nContent-Length: 0\r\n\r\n`),
    );
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE });
    expect(result.error?.code).toBe("too_large");
    expect(result.status).toBeNull();
  });
});

describe("blocked addresses are refused before any connection", () => {
  it("refuses 127.0.0.1 under the default policy", async () => {
    const server = await target("127.0.0.1");
    const result = await sendRequest(get(server.origin), { policy: DEFAULT_POLICY });
    expect(result).toMatchObject({ status: null, ip: "127.0.0.1", headers: [], bodyTruncated: false });
    expect(result.error?.code).toBe("blocked_address");
    expect(result.error?.message).toContain("loopback 127.0.0.0/8");
    expect(result.error?.message).toContain("FORWARD_ALLOWED_NETWORKS");
    expect(server.connections).toBe(0);
  });

  it("reaches 127.0.0.1 once FORWARD_ALLOWED_NETWORKS opens it", async () => {
    const server = await target("127.0.0.1");
    const policy = egressPolicyFromEnv(parseEnv({ FORWARD_ALLOWED_NETWORKS: "127.0.0.1/32" }));
    expect(await sendRequest(get(server.origin), { policy })).toMatchObject({ status: 200, error: null, ip: "127.0.0.1" });
    expect(server.connections).toBe(1);
    expect(egressPolicyFromEnv(parseEnv({}))).toEqual({ allowedNetworks: [] });
  });

  it("refuses 127.0.0.2, outside the allowed /32", async () => {
    const server = await target("127.0.0.2");
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE });
    expect(result.error?.code).toBe("blocked_address");
    expect(result.ip).toBe("127.0.0.2");
    expect(server.connections).toBe(0);
  });

  it("refuses [::1]", async () => {
    const server = await target("::1");
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE });
    expect(result.error).toEqual({ code: "blocked_address", message: expect.stringContaining("loopback ::1/128") });
    expect(result.ip).toBe("::1");
    expect(server.connections).toBe(0);
  });

  it.each([
    ["decimal", "2130706433"],
    ["hex", "0x7f.1"],
    ["octal", "017700000001"],
    ["IPv4-mapped IPv6", "[::ffff:127.0.0.1]"],
  ])("refuses 127.0.0.1 spelled in %s (%s)", async (_spelling, host) => {
    const server = await target("127.0.0.1");
    const result = await sendRequest(get(`http://${host}:${server.port}/`), { policy: DEFAULT_POLICY });
    expect(result.error?.code).toBe("blocked_address");
    expect(server.connections).toBe(0);
  });

  it("reaches the allowed address through an IPv4-mapped spelling", async () => {
    const server = await target("127.0.0.1");
    const result = await sendRequest(get(`http://[::ffff:127.0.0.1]:${server.port}/`), { policy: LOOPBACK_ONE });
    expect(result).toMatchObject({ status: 200, error: null });
    expect(server.connections).toBe(1);
  });

  it("refuses the name localhost, which resolves to loopback", async () => {
    const server = await target("127.0.0.1");
    const result = await sendRequest(get(`http://localhost:${server.port}/`), { policy: DEFAULT_POLICY });
    expect(result.error?.code).toBe("blocked_address");
    expect(result.error?.message).toMatch(/loopback/);
    expect(server.connections).toBe(0);
  });

  it("connects a name only to an address that passed the check (no second resolution)", async () => {
    const allowed = await target("127.0.0.1", (_request, socket) => socket.end("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    // Same port on the blocked address: connecting there first would be answered, not refused.
    const blocked = await target("127.0.0.2", undefined, allowed.port);
    let resolutions = 0;
    const result = await sendRequest(get(`http://hooks.test:${allowed.port}/`), {
      policy: LOOPBACK_ONE,
      resolve: async () => {
        resolutions += 1;
        return [
          { address: "127.0.0.2", family: 4 },
          { address: "127.0.0.1", family: 4 },
        ];
      },
    });
    expect(result).toMatchObject({ status: 200, error: null, ip: "127.0.0.1" });
    expect(resolutions).toBe(1);
    expect(blocked.connections).toBe(0);
    expect(allowed.requests[0]?.headerLines[0]).toBe(`Host: hooks.test:${allowed.port}`);
  });

  it("refuses a name whose every address is blocked, naming the first", async () => {
    const server = await target("127.0.0.2");
    const result = await sendRequest(get(`http://rebind.test:${server.port}/`), {
      policy: LOOPBACK_ONE,
      resolve: async () => [
        { address: "127.0.0.2", family: 4 },
        { address: "::1", family: 6 },
      ],
    });
    expect(result.error?.code).toBe("blocked_address");
    expect(result.ip).toBe("127.0.0.2");
    expect(server.connections).toBe(0);
  });

  it("checks nothing with a null policy (the CLI on the user's own machine)", async () => {
    const server = await target("127.0.0.2");
    expect(await sendRequest(get(server.origin), { policy: null })).toMatchObject({ status: 200, error: null, ip: "127.0.0.2" });
  });
});

describe("network failures", () => {
  it("reports a refused port as connection_refused", async () => {
    const port = await unusedLoopbackPort();
    const result = await sendRequest(get(`http://127.0.0.1:${port}/`), { policy: LOOPBACK_ONE });
    expect(result).toMatchObject({ status: null, error: { code: "connection_refused" } });
  });

  it("times out a target that accepts and never answers", async () => {
    const server = await target("127.0.0.1", () => undefined);
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE, totalTimeoutMs: 300 });
    expect(result.error).toEqual({ code: "timeout", message: "no response within 300 ms" });
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(result.durationMs).toBeLessThan(3_000);
    expect(server.connections).toBe(1);
  });

  it("times out a response that stops midway, keeping what came", async () => {
    const server = await target("127.0.0.1", (_request, socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf"));
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE, totalTimeoutMs: 300 });
    expect(result).toMatchObject({ status: 200, error: { code: "timeout", message: "response not complete within 300 ms" } });
    expect(new TextDecoder().decode(result.body)).toBe("half");
  });

  it("times out a connection that is never made (name resolution counts)", async () => {
    const result = await sendRequest(get("http://slow-dns.test/"), {
      policy: LOOPBACK_ONE,
      connectTimeoutMs: 200,
      resolve: () => new Promise(() => undefined),
    });
    expect(result.error).toEqual({ code: "timeout", message: "no connection to slow-dns.test within 200 ms" });
  });

  it("reports a name that does not resolve as dns", async () => {
    const result = await sendRequest(get("http://missing.test/"), {
      policy: LOOPBACK_ONE,
      resolve: () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND missing.test"), { code: "ENOTFOUND" })),
    });
    expect(result).toMatchObject({ status: null, ip: null, error: { code: "dns" } });
  });

  it("reports a connection closed midway as network, keeping the status", async () => {
    const server = await target("127.0.0.1", (_request, socket) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf");
      setImmediate(() => socket.destroy());
    });
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE });
    expect(result).toMatchObject({ status: 200, error: { code: "network" } });
  });

  it("reports a connection closed before any answer as network", async () => {
    const server = await target("127.0.0.1", (_request, socket) => socket.destroy());
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE });
    expect(result).toMatchObject({ status: null, error: { code: "network" } });
  });

  it("stops when the caller aborts", async () => {
    const server = await target("127.0.0.1", () => undefined);
    const controller = new AbortController();
    const pending = sendRequest(get(server.origin), { policy: LOOPBACK_ONE, signal: controller.signal });
    await expect.poll(() => server.requests.length).toBe(1);
    controller.abort();
    expect((await pending).error).toEqual({ code: "network", message: "aborted" });
    const alreadyAborted = AbortSignal.abort();
    expect((await sendRequest(get(server.origin), { policy: LOOPBACK_ONE, signal: alreadyAborted })).error?.message).toBe(
      "aborted before sending",
    );
  });

  it("refuses options out of range as a programming error", async () => {
    const request = get("http://127.0.0.1:1/");
    await expect(sendRequest(request, { policy: LOOPBACK_ONE, totalTimeoutMs: 60_001 })).rejects.toThrow(RangeError);
    await expect(sendRequest(request, { policy: LOOPBACK_ONE, connectTimeoutMs: 0 })).rejects.toThrow(RangeError);
    await expect(sendRequest(request, { policy: LOOPBACK_ONE, maxResponseBytes: -1 })).rejects.toThrow(RangeError);
  });
});

describe("TLS", () => {
  let certificate: { key: string; cert: string } | undefined;
  function selfSigned(): { key: string; cert: string } {
    if (certificate) return certificate;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-tls-"));
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile,
      "-out", certFile, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    ], { stdio: "ignore" });
    certificate = { key: fs.readFileSync(keyFile, "utf8"), cert: fs.readFileSync(certFile, "utf8") };
    fs.rmSync(dir, { recursive: true, force: true });
    return certificate;
  }

  async function httpsTarget(): Promise<{ origin: string; connections: () => number }> {
    let connections = 0;
    const server = https.createServer(selfSigned(), (_req, res) => res.end("secure"));
    server.on("connection", () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    return { origin: `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`, connections: () => connections };
  }

  it("refuses an untrusted certificate as tls", async () => {
    const server = await httpsTarget();
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE });
    expect(result).toMatchObject({ status: null, error: { code: "tls" } });
  });

  it("accepts it with insecure (the CLI's --insecure)", async () => {
    const server = await httpsTarget();
    const result = await sendRequest(get(server.origin), { policy: LOOPBACK_ONE, insecure: true });
    expect(result).toMatchObject({ status: 200, error: null });
    expect(new TextDecoder().decode(result.body)).toBe("secure");
  });

  it("reports https to a plain HTTP server as tls", async () => {
    const server = http.createServer((_req, res) => res.end("plain"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.address() as net.AddressInfo).port;
    const result = await sendRequest(get(`https://127.0.0.1:${port}/`), { policy: LOOPBACK_ONE });
    expect(result.error?.code).toBe("tls");
  });

  it("checks the address before any TLS handshake", async () => {
    const server = await httpsTarget();
    const result = await sendRequest(get(server.origin), { policy: DEFAULT_POLICY, insecure: true });
    expect(result.error?.code).toBe("blocked_address");
    expect(server.connections()).toBe(0);
  });
});
