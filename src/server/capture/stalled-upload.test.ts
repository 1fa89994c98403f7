// Senders that stall or die mid-body, against the production server (capture fast path): the
// request ends with 408 after BODY_IDLE_TIMEOUT_MS of silence, headers must arrive in time, and
// what arrived is stored flagged incomplete, counted on the bin, visible over REST and live.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { CaptureSummary } from "~/server/events/event-bus";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";

const IDLE_MS = 600;
const DECLARED = 5 * 1024 * 1024;

const ZRecord = z.object({
  id: z.string(),
  incomplete: z.boolean(),
  truncated: z.boolean(),
  bodySize: z.number(),
  declaredSize: z.number().nullable(),
  responseStatus: z.number(),
  bodyBase64: z.string(),
});
const ZPage = z.object({ requests: z.array(z.object({ id: z.string(), incomplete: z.boolean() })) });
const ZBin = z.object({ id: z.string(), slug: z.string(), url: z.string(), counters: z.object({ incomplete: z.number(), tooLarge: z.number() }) });

let server: TestServer;
let cookie: string;

beforeAll(async () => {
  server = await startTestServer({ BODY_IDLE_TIMEOUT_MS: String(IDLE_MS) });
  cookie = (await signUp(server.url)).cookie;
});
afterAll(() => server.close());

async function rest(method: string, path: string, json?: unknown) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { cookie, origin: server.url, ...(json === undefined ? {} : { "content-type": "application/json" }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as unknown;
}

async function newBin() {
  return ZBin.parse(await rest("POST", "/bins", { name: "stalls" }));
}

/** Resolves with the next capture stored into the bin (the live event a subscriber would get). */
function nextCapture(binId: string): Promise<CaptureSummary> {
  return new Promise((resolve) => {
    const off = server.app.bus.subscribeBin(binId, (summaries) => {
      const first = summaries[0];
      if (!first) return;
      off();
      resolve(first);
    });
  });
}

/** Opens a socket and writes `head` (+ `bodyStart`); resolves with what the server said and when it closed. */
function stall(head: string, bodyStart = "") {
  const startedAt = performance.now();
  const { port } = new URL(server.url);
  const socket = net.connect(Number(port), "127.0.0.1", () => socket.write(head + bodyStart));
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<{ text: string; ms: number }>((resolve) => {
    socket.on("close", () => resolve({ text: Buffer.concat(chunks).toString(), ms: performance.now() - startedAt }));
    socket.on("error", () => undefined);
  });
  return { socket, closed };
}

describe("a body that stops arriving", () => {
  it(`is ended with 408 after ${IDLE_MS} ms of silence, the connection closed, and the 3 bytes stored flagged incomplete`, async () => {
    const bin = await newBin();
    const stored = nextCapture(bin.id);
    const path = new URL(bin.url).pathname;
    const { closed } = stall(`POST ${path}/stalled HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${DECLARED}\r\n\r\n`, "{\"a");
    const { text, ms } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text.toLowerCase()).toContain("connection: close");
    expect(text).toContain('"code":"REQUEST_TIMEOUT"');
    expect(ms).toBeGreaterThanOrEqual(IDLE_MS - 50);
    expect(ms).toBeLessThan(IDLE_MS + 2_000);

    const summary = await stored;
    expect(summary.incomplete).toBe(true);
    expect(summary.bodySize).toBe(3);

    const record = ZRecord.parse(await rest("GET", `/requests/${summary.id}`));
    expect(record).toMatchObject({ incomplete: true, truncated: false, bodySize: 3, declaredSize: DECLARED, responseStatus: 408 });
    expect(Buffer.from(record.bodyBase64, "base64").toString()).toBe('{"a');

    const page = ZPage.parse(await rest("GET", `/bins/${bin.id}/requests`));
    expect(page.requests.find((r) => r.id === summary.id)?.incomplete).toBe(true);
    expect(ZBin.parse(await rest("GET", `/bins/${bin.id}`)).counters.incomplete).toBe(1);
  });

  it("is stored flagged incomplete, with the bytes received, when the sender hangs up mid-body", async () => {
    const bin = await newBin();
    const stored = nextCapture(bin.id);
    const path = new URL(bin.url).pathname;
    const { socket } = stall(`PUT ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n`, "0123456789");
    // Hang up once the server has the ten bytes (it answers nothing before the body is complete).
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    const summary = await stored;
    const record = ZRecord.parse(await rest("GET", `/requests/${summary.id}`));
    expect(record).toMatchObject({ incomplete: true, bodySize: 10, declaredSize: 100 });
    expect(Buffer.from(record.bodyBase64, "base64").toString()).toBe("0123456789");
    expect(ZBin.parse(await rest("GET", `/bins/${bin.id}`)).counters.incomplete).toBe(1);
  });

  it("a body that trickles in slower than the limit in total, but never pauses that long, is stored whole", async () => {
    const bin = await newBin();
    const stored = nextCapture(bin.id);
    const path = new URL(bin.url).pathname;
    const { socket, closed } = stall(`POST ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 6\r\n\r\n`, "ab");
    for (const part of ["cd", "ef"]) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 2));
      socket.write(part);
    }
    const { text } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    const summary = await stored;
    expect(summary).toMatchObject({ incomplete: false, bodySize: 6 });
  });

  it("does not arm the idle timer after the body arrived: a bin's 1.5 s delay is answered normally", async () => {
    const bin = await newBin();
    await rest("PATCH", `/bins/${bin.id}`, { response: { status: 201, headers: [], body: "late", contentType: "text/plain", delayMs: 1_500 } });
    const response = await fetch(bin.url, { method: "POST", body: "x".repeat(100) });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe("late");
  });
});

describe("headers that never finish", () => {
  it("are answered 408 by Node's headersTimeout (set to 30 s on the app server)", async () => {
    expect(server.server.server.headersTimeout).toBe(30_000);
    expect(server.server.server.requestTimeout).toBe(300_000);
  });
});
