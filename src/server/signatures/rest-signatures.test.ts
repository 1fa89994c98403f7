// Signature verification through the REST API over real HTTP: settings on the bin (write-only
// secret, 400s naming the field), verdicts on records and list summaries computed when read.
import { createTRPCClient, httpLink } from "@trpc/client";
import Stripe from "stripe";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppRouter } from "~/server/trpc/app-router";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { listRequestsWithSignatures } from "./list-requests-with-signatures";

const stripe = new Stripe("sk_test_unused");
const SECRET = "whsec_rest_test_secret_9f3a";
const ZVerdict = z.object({ scheme: z.string(), verdict: z.enum(["valid", "invalid"]), reason: z.string(), detail: z.string().min(10) }).strict();
const ZPage = z.object({ requests: z.array(z.object({ id: z.string(), seq: z.number(), signature: ZVerdict.nullable() })), nextCursor: z.number().nullable() });

let server: TestServer;
let owner: { cookie: string };
let seen: string[] = [];

async function api(method: string, path: string, options: { cookie: string; json?: unknown }) {
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: { cookie: options.cookie, ...(options.json !== undefined ? { "content-type": "application/json" } : {}) },
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  const text = await response.text();
  seen.push(text);
  return { status: response.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function newBin() {
  const created = await api("POST", "/bins", { cookie: owner.cookie, json: { name: "sig" } });
  expect(created.status).toBe(201);
  return z.object({ id: z.string(), slug: z.string() }).parse(created.json);
}

async function capture(slug: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${server.url}/b/${slug}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  expect(response.status).toBe(200);
  return z.object({ id: z.string() }).parse(await response.json()).id;
}

beforeAll(async () => {
  server = await startTestServer();
  owner = { cookie: (await signUp(server.url)).cookie };
});
afterAll(() => server.close());

describe("signature verification over REST", () => {
  it("setting the Stripe secret after the fact turns old requests valid; the secret never comes back", async () => {
    seen = [];
    const bin = await newBin();
    const body = '{\n  "id": "evt_rest",\n  "object": "event"\n}';
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) });
    const good = await capture(bin.slug, body, { "stripe-signature": header });
    const forged = await capture(bin.slug, body.replace("evt_rest", "evt_evil"), { "stripe-signature": header });

    const before = await api("GET", `/requests/${good}`, owner);
    expect(before.json?.signature).toBeNull();
    expect(ZPage.parse((await api("GET", `/bins/${bin.id}/requests`, owner)).json).requests.map((r) => r.signature)).toEqual([null, null]);

    const patched = await api("PATCH", `/bins/${bin.id}`, { ...owner, json: { signature: { scheme: "stripe", secret: SECRET } } });
    expect(patched.status).toBe(200);
    expect(patched.json?.signature).toEqual({ scheme: "stripe", secretLast4: "9f3a" });

    const record = await api("GET", `/requests/${good}`, owner);
    expect(ZVerdict.parse(record.json?.signature)).toMatchObject({ scheme: "stripe", verdict: "valid", reason: "ok" });
    const bad = await api("GET", `/requests/${forged}`, owner);
    expect(ZVerdict.parse(bad.json?.signature)).toMatchObject({ verdict: "invalid", reason: "signature_mismatch" });

    const page = ZPage.parse((await api("GET", `/bins/${bin.id}/requests`, owner)).json);
    expect(page.requests.map((r) => [r.id, r.signature?.verdict])).toEqual([[forged, "invalid"], [good, "valid"]]);
    const valid = ZPage.parse((await api("GET", `/bins/${bin.id}/requests?signature=valid`, owner)).json);
    expect(valid.requests.map((r) => r.id)).toEqual([good]);
    const invalid = ZPage.parse((await api("GET", `/bins/${bin.id}/requests?signature=invalid`, owner)).json);
    expect(invalid.requests.map((r) => r.id)).toEqual([forged]);

    // Options change without re-typing the secret; a wrong secret re-judges old requests.
    const tolerance = await api("PATCH", `/bins/${bin.id}`, { ...owner, json: { signature: { scheme: "stripe", toleranceSeconds: 600 } } });
    expect(tolerance.json?.signature).toEqual({ scheme: "stripe", toleranceSeconds: 600, secretLast4: "9f3a" });
    expect(ZVerdict.parse((await api("GET", `/requests/${good}`, owner)).json?.signature).verdict).toBe("valid");
    await api("PATCH", `/bins/${bin.id}`, { ...owner, json: { signature: { scheme: "stripe", secret: "whsec_wrong" } } });
    expect(ZVerdict.parse((await api("GET", `/requests/${good}`, owner)).json?.signature).reason).toBe("signature_mismatch");

    await api("GET", `/bins/${bin.id}`, owner);
    await api("GET", `/bins`, owner);
    for (const text of seen) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("whsec_wrong");
      expect(text).not.toContain("sealedSecret");
    }

    const off = await api("PATCH", `/bins/${bin.id}`, { ...owner, json: { signature: null } });
    expect(off.json?.signature).toBeNull();
    expect((await api("GET", `/requests/${good}`, owner)).json?.signature).toBeNull();
  });

  it("the secret is stored sealed: the database row does not contain it", async () => {
    const bin = await newBin();
    await api("PATCH", `/bins/${bin.id}`, { ...owner, json: { signature: { scheme: "github", secret: "plain-text-secret-42" } } });
    const row = await server.app.db.bin.findUniqueOrThrow({ where: { id: bin.id }, select: { signatureConfig: true } });
    expect(row.signatureConfig).toContain('"scheme":"github"');
    expect(row.signatureConfig).not.toContain("plain-text-secret-42");
  });

  it("a foreign user gets 404 for the bin and its requests", async () => {
    const bin = await newBin();
    const id = await capture(bin.slug, "{}", {});
    const stranger = await signUp(server.url);
    expect((await api("PATCH", `/bins/${bin.id}`, { cookie: stranger.cookie, json: { signature: { scheme: "github", secret: "x" } } })).status).toBe(404);
    expect((await api("GET", `/requests/${id}`, { cookie: stranger.cookie })).status).toBe(404);
    expect((await api("GET", `/bins/${bin.id}/requests?signature=valid`, { cookie: stranger.cookie })).status).toBe(404);
  });

  it("bad configs get 400s naming the field", async () => {
    const bin = await newBin();
    const patch = (signature: unknown) => api("PATCH", `/bins/${bin.id}`, { ...owner, json: { signature } });
    const cases: [unknown, string][] = [
      [{ scheme: "nope", secret: "x" }, "signature.scheme"],
      [{ scheme: "github" }, "signature.secret"],
      [{ scheme: "github", secret: "" }, "signature.secret"],
      [{ scheme: "discord", secret: "not-hex" }, "signature.secret"],
      [{ scheme: "standard-webhooks", secret: "whsec_not base64!" }, "signature.secret"],
      [{ scheme: "hmac", secret: "x" }, "signature.header"],
      [{ scheme: "hmac", secret: "x", header: "X-Sig", algorithm: "md5" }, "signature.algorithm"],
      [{ scheme: "stripe", secret: "x", toleranceSeconds: -1 }, "signature.toleranceSeconds"],
      [{ scheme: "twilio", secret: "x", signedUrl: "not a url" }, "signature.signedUrl"],
      [{ scheme: "github", secret: "x", extra: 1 }, "signature"],
    ];
    for (const [signature, field] of cases) {
      const response = await patch(signature);
      expect(response.status, JSON.stringify(signature)).toBe(400);
      expect(response.text, JSON.stringify(signature)).toContain(field);
    }
    // Keeping the stored secret works for the same scheme only.
    expect((await patch({ scheme: "github", secret: "gh-secret" })).status).toBe(200);
    expect((await patch({ scheme: "github" })).status).toBe(200);
    const switched = await patch({ scheme: "stripe" });
    expect(switched.status).toBe(400);
    expect(switched.text).toContain("signature.secret");
    const filter = await api("GET", `/bins/${bin.id}/requests?signature=maybe`, owner);
    expect(filter.status).toBe(400);
    expect(filter.text).toContain("signature");
  });

  it("tRPC: bins.update keeps the secret write-only, byId gives the inspector's full account, list filters", async () => {
    const user = await signUp(server.url);
    const trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${server.url}/api/trpc`, transformer: superjson, headers: () => ({ cookie: user.cookie }) })] });
    const bin = await trpc.bins.create.mutate({ name: "trpc" });
    const body = '{"zen":"Keep it logically awesome."}';
    const secret = "octo-secret-trpc";
    const { createHmac } = await import("node:crypto");
    const good = await capture(bin.slug, body, { "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` });
    const bad = await capture(bin.slug, body, { "x-hub-signature-256": `sha256=${"0".repeat(64)}` });
    const updated = await trpc.bins.update.mutate({ id: bin.id, patch: { signature: { scheme: "github", secret } } });
    expect(updated.signature).toEqual({ scheme: "github", secretLast4: "trpc" });
    expect(JSON.stringify(await trpc.bins.list.query())).not.toContain(secret);
    const record = await trpc.requests.byId.query({ id: good });
    expect(record.signature).toMatchObject({ scheme: "github", verdict: "valid", reason: "ok", recipe: expect.stringContaining("HMAC-SHA256") as unknown });
    const invalid = await trpc.requests.byId.query({ id: bad });
    expect(invalid.signature?.expectedPrefix).toHaveLength(8);
    expect((await trpc.requests.list.query({ binId: bin.id, signature: "invalid" })).requests.map((r) => r.id)).toEqual([bad]);
    expect(await trpc.requests.signature.query({ id: good })).toEqual({ scheme: "github", verdict: "valid", reason: "ok", detail: expect.any(String) as unknown });
  });

  it("a filtered page judges at most the scan bound and hands back a cursor to continue", async () => {
    const user = await signUp(server.url);
    const created = await api("POST", "/bins", { cookie: user.cookie, json: { name: "scan" } });
    const bin = z.object({ id: z.string(), slug: z.string() }).parse(created.json);
    await api("PATCH", `/bins/${bin.id}`, { cookie: user.cookie, json: { signature: { scheme: "hmac", secret: "k", header: "X-Sig" } } });
    const { createHmac } = await import("node:crypto");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const body = `{"n":${i}}`;
      // Even captures signed right, odd ones wrong.
      ids.push(await capture(bin.slug, body, { "x-sig": i % 2 === 0 ? createHmac("sha256", "k").update(body).digest("hex") : "00" }));
    }
    const deps = { db: server.app.db, signatures: server.app.signatures };
    const first = await listRequestsWithSignatures(deps, user.userId, bin.id, { limit: 50, cursor: null }, "valid", 2);
    expect(first.requests.map((r) => r.id)).toEqual([ids[4]]);
    expect(first.nextCursor).toBe(4);
    const second = await listRequestsWithSignatures(deps, user.userId, bin.id, { limit: 50, cursor: first.nextCursor }, "valid", 2);
    expect(second.requests.map((r) => r.id)).toEqual([ids[2]]);
    const rest = await listRequestsWithSignatures(deps, user.userId, bin.id, { limit: 50, cursor: second.nextCursor }, "valid", 2);
    expect(rest.requests.map((r) => r.id)).toEqual([ids[0]]);
    expect(rest.nextCursor).toBeNull();
  });

  it("a truncated body's mismatch says the body was truncated, not that the secret is wrong", async () => {
    const bin = await newBin();
    await api("PATCH", `/bins/${bin.id}`, { ...owner, json: { signature: { scheme: "github", secret: "s" } } });
    const opened = await server.app.signatures.forBin(bin.id);
    expect(opened).not.toBeNull();
    if (!opened) return;
    const request = { headers: [["X-Hub-Signature-256", `sha256=${"0".repeat(64)}`]] as [string, string][], body: new Uint8Array(10), receivedAt: new Date(), path: "/", query: "" };
    expect(server.app.signatures.judge({ ...request, truncated: true }, opened).detail).toContain("truncated");
    expect(server.app.signatures.judge(request, opened).detail).not.toContain("truncated");
  });
});
