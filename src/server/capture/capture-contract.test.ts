// One contract for both capture adapters: the Node fast path that ws-server.ts uses and the fetch
// handler behind the Next.js route. Where fetch's Request cannot carry something (extension
// methods, raw header order, duplicate headers), the test says so and checks what it does instead.
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFetchCaptureHandler } from "./fetch-capture-handler";
import { getRequest, listRequests } from "../requests/requests-service";
import { createTestApp, startTestServer, type TestApp } from "~/test/test-app";
import { seedBin } from "~/test/seed";

const MAX_BODY = 64 * 1024;

interface Harness {
  testApp: TestApp;
  url: string;
  close(): Promise<void>;
}

async function nodeHarness(): Promise<Harness> {
  const server = await startTestServer({ MAX_BODY_BYTES: String(MAX_BODY) });
  return { testApp: server, url: server.url, close: () => server.close() };
}

async function fetchHarness(): Promise<Harness> {
  const testApp = await createTestApp({ MAX_BODY_BYTES: String(MAX_BODY) });
  const handler = createFetchCaptureHandler(testApp.app.capture, { maxBodyBytes: MAX_BODY, trustProxy: false });
  const server = http.createServer(getRequestListener(handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    testApp,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await testApp.close();
    },
  };
}

/** A raw HTTP/1.1 request, so tests control method, header order and framing exactly. */
function rawRequest(
  url: string,
  options: { method: string; path: string; headers?: [string, string][]; body?: Buffer | Buffer[] },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = http.request({ hostname, port, method: options.method, path: options.path, setHost: true });
    for (const [name, value] of options.headers ?? []) req.appendHeader(name, value);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    const parts = options.body === undefined ? [] : Array.isArray(options.body) ? options.body : [options.body];
    for (const part of parts) req.write(part);
    req.end();
  });
}

/** Bytes straight onto a socket: Node's HTTP client would regroup repeated header names. */
function wireRequest(url: string, head: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(Buffer.concat([Buffer.from(`${head}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
    });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]);
      resolve({ status, body: text.slice(text.indexOf("\r\n\r\n") + 4) });
    });
  });
}

const adapters = [
  { name: "node (ws-server)", start: nodeHarness, rawHeaders: true, extensionMethods: true },
  { name: "fetch (Next route)", start: fetchHarness, rawHeaders: false, extensionMethods: false },
] as const;

describe.each(adapters)("capture contract: $name adapter", (adapter) => {
  let h: Harness;
  let binId: string;
  let userId: string;
  const slug = "contract-bin";

  beforeAll(async () => {
    h = await adapter.start();
    const seeded = await seedBin(h.testApp.app.db, slug);
    binId = seeded.bin.id;
    userId = seeded.user.id;
  });
  afterAll(() => h.close());

  const stored = (id: string) => getRequest(h.testApp.app.db, userId, id);

  it("answers 200 with the request id in the body and a header, after the row is committed", async () => {
    const response = await fetch(`${h.url}/b/${slug}`, { method: "POST", body: "hi" });
    expect(response.status).toBe(200);
    const json = (await response.json()) as { ok: boolean; id: string };
    expect(json.ok).toBe(true);
    expect(response.headers.get("x-webhookdump-request-id")).toBe(json.id);
    const record = await stored(json.id);
    expect(Buffer.from(record.body).toString()).toBe("hi");
    expect(record.method).toBe("POST");
    expect(record.path).toBe("/");
  });

  it("stores binary bodies and invalid UTF-8 byte for byte", async () => {
    const body = Buffer.from([0x00, 0xff, 0xfe, 0xc3, 0x28, 0x0d, 0x0a, 0x00, 0x80]);
    const response = await fetch(`${h.url}/b/${slug}/bin`, { method: "PUT", body, headers: { "content-type": "application/octet-stream" } });
    const { id } = (await response.json()) as { id: string };
    const record = await stored(id);
    expect(Buffer.from(record.body).equals(body)).toBe(true);
    expect(record.bodySize).toBe(body.length);
    expect(record.contentType).toBe("application/octet-stream");
  });

  it("stores an empty body as empty", async () => {
    const response = await fetch(`${h.url}/b/${slug}`, { method: "DELETE" });
    const { id } = (await response.json()) as { id: string };
    const record = await stored(id);
    expect(record.bodySize).toBe(0);
    expect(record.body.byteLength).toBe(0);
  });

  it("reassembles chunked bodies sent without Content-Length", async () => {
    const parts = [Buffer.from("first,"), Buffer.from([0xde, 0xad, 0xbe, 0xef]), Buffer.from(",last")];
    const response = await rawRequest(h.url, { method: "POST", path: `/b/${slug}/chunked`, headers: [["Transfer-Encoding", "chunked"]], body: parts });
    expect(response.status).toBe(200);
    const { id } = JSON.parse(response.body) as { id: string };
    const record = await stored(id);
    expect(Buffer.from(record.body).equals(Buffer.concat(parts))).toBe(true);
    expect(record.declaredSize).toBeNull();
  });

  it("keeps the sub-path and the raw query string, order and repeated keys included", async () => {
    const response = await fetch(`${h.url}/b/${slug}/hooks/github/push?z=1&a=2&z=3&empty=&flag`, { method: "POST" });
    const { id } = (await response.json()) as { id: string };
    const record = await stored(id);
    expect(record.path).toBe("/hooks/github/push");
    expect(record.query).toBe("z=1&a=2&z=3&empty=&flag");
  });

  it("captures HEAD and OPTIONS (HEAD answers without a body, OPTIONS with CORS headers)", async () => {
    const head = await fetch(`${h.url}/b/${slug}/h`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const options = await fetch(`${h.url}/b/${slug}/o`, {
      method: "OPTIONS",
      headers: { origin: "https://sender.example", "access-control-request-method": "POST", "access-control-request-headers": "x-signature" },
    });
    expect(options.status).toBe(200);
    expect(options.headers.get("access-control-allow-origin")).toBe("*");
    expect(options.headers.get("access-control-allow-headers")).toBe("x-signature");
    const page = await listRequests(h.testApp.app.db, userId, binId, { limit: 2 });
    expect(page.requests.map((r) => r.method)).toEqual(["OPTIONS", "HEAD"]);
  });

  it("answers 404 JSON for an unknown slug and stores nothing", async () => {
    const before = await h.testApp.app.db.capturedRequest.count();
    const response = await fetch(`${h.url}/b/no-such-bin/x`, { method: "POST", body: "lost" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("BIN_NOT_FOUND");
    expect(await h.testApp.app.db.capturedRequest.count()).toBe(before);
  });

  it("truncates bodies over MAX_BODY_BYTES: stores the first bytes, flags it, answers 413", async () => {
    const body = Buffer.alloc(MAX_BODY * 3, 0x61);
    body[0] = 0x01;
    const response = await rawRequest(h.url, {
      method: "POST",
      path: `/b/${slug}/big`,
      headers: [["Content-Length", String(body.length)]],
      body,
    });
    expect(response.status).toBe(413);
    const json = JSON.parse(response.body) as { error: { code: string }; id: string };
    expect(json.error.code).toBe("PAYLOAD_TOO_LARGE");
    const record = await stored(json.id);
    expect(record.truncated).toBe(true);
    expect(record.bodySize).toBe(MAX_BODY);
    expect(Buffer.from(record.body).equals(body.subarray(0, MAX_BODY))).toBe(true);
    expect(record.declaredSize).toBe(body.length);
  });

  it("keeps a body of exactly MAX_BODY_BYTES whole", async () => {
    const body = Buffer.alloc(MAX_BODY, 0x62);
    const response = await fetch(`${h.url}/b/${slug}/exact`, { method: "POST", body });
    expect(response.status).toBe(200);
    const record = await stored(((await response.json()) as { id: string }).id);
    expect(record.truncated).toBe(false);
    expect(record.bodySize).toBe(MAX_BODY);
  });

  it("removes WebhookDump's own session cookies from the stored Cookie header, keeps the rest", async () => {
    const response = await fetch(`${h.url}/b/${slug}/c`, {
      method: "POST",
      headers: { cookie: "theme=dark; webhookdump.session_token=secret; __Secure-webhookdump.session_data=x; other=1" },
    });
    const record = await stored(((await response.json()) as { id: string }).id);
    const cookies = record.headers.filter(([name]) => name.toLowerCase() === "cookie").map(([, v]) => v);
    expect(cookies).toEqual(["theme=dark; other=1"]);
    expect(JSON.stringify(record.headers)).not.toContain("secret");
  });

  if (adapter.rawHeaders) {
    it("keeps headers in the order received, original case and duplicates", async () => {
      const response = await wireRequest(
        h.url,
        `POST /b/${slug}/headers HTTP/1.1\r\nHost: x\r\nX-Zeta: 1\r\nx-alpha: 2\r\nX-Zeta: 3\r\nStripe-Signature: t=1,v1=abc\r\n`,
        Buffer.from("{}"),
      );
      expect(response.status).toBe(200);
      const record = await stored((JSON.parse(response.body) as { id: string }).id);
      const sent = record.headers.filter(([name]) => /^(x-zeta|x-alpha|stripe-signature)$/i.test(name));
      expect(sent).toEqual([["X-Zeta", "1"], ["x-alpha", "2"], ["X-Zeta", "3"], ["Stripe-Signature", "t=1,v1=abc"]]);
      expect(record.ip).toBe("127.0.0.1");
    });
  } else {
    it("keeps every header value (fetch's Headers lower-case and merge duplicates)", async () => {
      const response = await rawRequest(h.url, {
        method: "POST",
        path: `/b/${slug}/headers`,
        headers: [["X-Zeta", "1"], ["x-alpha", "2"], ["X-Zeta", "3"]],
      });
      const record = await stored((JSON.parse(response.body) as { id: string }).id);
      expect(record.headers).toContainEqual(["x-zeta", "1, 3"]);
      expect(record.headers).toContainEqual(["x-alpha", "2"]);
    });
  }

  for (const method of ["PROPFIND", "PURGE", "LINK"]) {
    if (adapter.extensionMethods) {
      it(`captures the extension method ${method}`, async () => {
        const response = await rawRequest(h.url, { method, path: `/b/${slug}/dav`, body: Buffer.from("<propfind/>") });
        expect(response.status).toBe(200);
        const record = await stored((JSON.parse(response.body) as { id: string }).id);
        expect(record.method).toBe(method);
        expect(Buffer.from(record.body).toString()).toBe("<propfind/>");
      });
    }
  }

  it("numbers captures with strictly increasing sequence numbers under concurrency", async () => {
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => fetch(`${h.url}/b/${slug}/n/${i}`, { method: "POST", body: String(i) })),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const page = await listRequests(h.testApp.app.db, userId, binId, { limit: 200 });
    const seqs = page.requests.map((r) => r.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
    const bin = await h.testApp.app.db.bin.findUniqueOrThrow({ where: { id: binId } });
    expect(bin.requestCount).toBe(page.requests.length);
  });
});

describe("client IP", () => {
  it("uses the socket address and ignores X-Forwarded-For unless TRUST_PROXY is set", async () => {
    for (const trust of ["false", "true"]) {
      const server = await startTestServer({ TRUST_PROXY: trust });
      try {
        const { user } = await seedBin(server.app.db, "ip-bin");
        const response = await fetch(`${server.url}/b/ip-bin`, { method: "POST", headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.9" } });
        const record = await getRequest(server.app.db, user.id, ((await response.json()) as { id: string }).id);
        expect(record.ip).toBe(trust === "true" ? "203.0.113.9" : "127.0.0.1");
      } finally {
        await server.close();
      }
    }
  });
});
