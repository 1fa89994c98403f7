import crypto from "node:crypto";
import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "./app-router";
import { BODY_PREVIEW_BYTES } from "./routers/requests-router";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";

describe("requests.byId body preview", () => {
  let server: TestServer;
  let client: ReturnType<typeof createTRPCClient<AppRouter>>;
  let cookie: string;
  let slug: string;

  beforeAll(async () => {
    server = await startTestServer();
    ({ cookie } = await signUp(server.url));
    client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/api/trpc`, transformer: superjson, headers: () => ({ cookie }) })] });
    slug = (await client.bins.create.mutate({ name: "Big bodies" })).slug;
  });
  afterAll(() => server.close());

  async function captureBody(body: Buffer) {
    const response = await fetch(`${server.url}/b/${slug}`, { method: "POST", body: new Uint8Array(body) });
    return ((await response.json()) as { id: string }).id;
  }

  it("sends a small body whole", async () => {
    const id = await captureBody(Buffer.from("small"));
    const record = await client.requests.byId.query({ id });
    expect(record.bodyComplete).toBe(true);
    expect(Buffer.from(record.bodyBase64, "base64").toString()).toBe("small");
  });

  it("sends only the first part of a multi-MiB body, and the body endpoint has every byte", async () => {
    const body = crypto.randomBytes(BODY_PREVIEW_BYTES * 2 + 17);
    const id = await captureBody(body);
    const record = await client.requests.byId.query({ id });
    expect(record.bodyComplete).toBe(false);
    expect(record.bodySize).toBe(body.length);
    expect(Buffer.from(record.bodyBase64, "base64").equals(body.subarray(0, BODY_PREVIEW_BYTES))).toBe(true);
    const full = Buffer.from(await (await fetch(`${server.url}/api/v1/requests/${id}/body`, { headers: { cookie } })).arrayBuffer());
    expect(full.equals(body)).toBe(true);
  });

  it("sends a body of exactly the preview size whole", async () => {
    const id = await captureBody(Buffer.alloc(BODY_PREVIEW_BYTES, 0x61));
    expect((await client.requests.byId.query({ id })).bodyComplete).toBe(true);
  });
});
