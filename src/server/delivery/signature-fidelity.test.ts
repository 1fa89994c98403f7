// A signed capture replayed through buildOutgoingRequest + sendRequest still verifies with the
// providers' own SDKs on the receiving side: the bytes that were signed are the bytes that arrive.
import http from "node:http";
import type net from "node:net";
import { sign as signGitHub, verify as verifyGitHub } from "@octokit/webhooks-methods";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOutgoingRequest, type StoredRequestForSend } from "~/lib/outgoing-request";
import { sendRequest } from "./egress";

const GITHUB_SECRET = "It's a Secret to Everybody";
const STRIPE_SECRET = "whsec_test_secret_for_replay";
// Offline: the client is only used for its webhook helpers, which make no API call.
const stripe = new Stripe("sk_test_offline");

// Spacing, key order and non-ASCII that a parse-and-stringify round trip would change.
const GITHUB_PAYLOAD = '{"action":"opened",  "zen":"Keep it logically awesome — ünïcödé ✓",\n "number": 1.0, "pull_request":{"title":"a\\u00e9"}}\n';
const STRIPE_PAYLOAD = '{\n  "id": "evt_test_replay",\n  "object": "event",\n  "type": "charge.succeeded",\n  "data": {"object": {"amount": 2000, "description": "Café ☕"}}\n}';

interface Verified {
  rawHeaders: string[];
  body: Buffer;
}

let server: http.Server;
let origin: string;
const received: Verified[] = [];

beforeAll(async () => {
  // The receiver a user is debugging, verifying exactly as each provider's documentation says.
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      received.push({ rawHeaders: req.rawHeaders, body });
      let verdict: string;
      if (req.url?.startsWith("/github")) {
        const signature = req.headers["x-hub-signature-256"];
        const ok = typeof signature === "string" && (await verifyGitHub(GITHUB_SECRET, body.toString("utf8"), signature));
        verdict = ok ? "github verified" : "github signature mismatch";
      } else {
        try {
          const event = stripe.webhooks.constructEvent(body, req.headers["stripe-signature"] ?? "", STRIPE_SECRET);
          verdict = `stripe verified ${event.id}`;
        } catch (error) {
          verdict = `stripe signature mismatch: ${(error as Error).message}`;
        }
      }
      res.writeHead(verdict.includes("verified") ? 200 : 400, { "content-type": "text/plain" });
      res.end(verdict);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const policy = { allowedNetworks: ["127.0.0.1/32"] };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function githubCapture(): Promise<StoredRequestForSend> {
  const body = new TextEncoder().encode(GITHUB_PAYLOAD);
  return {
    method: "POST",
    path: "/github",
    query: "",
    headers: [
      ["Host", "dump.example.com"],
      ["X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"],
      ["User-Agent", "GitHub-Hookshot/044aadd"],
      ["content-type", "application/json"],
      ["X-Hub-Signature-256", await signGitHub(GITHUB_SECRET, GITHUB_PAYLOAD)],
      ["X-GitHub-Event", "pull_request"],
      ["x-custom", "one"],
      ["Content-Length", String(body.length)],
      ["X-Custom", "two"],
      ["Connection", "close"],
    ],
    body,
    truncated: false,
  };
}

function stripeCapture(): StoredRequestForSend {
  const body = new TextEncoder().encode(STRIPE_PAYLOAD);
  return {
    method: "POST",
    path: "/stripe",
    query: "source=replay&a='1'",
    headers: [
      ["user-agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
      ["Accept", "*/*; q=0.5, application/xml"],
      ["Cache-Control", "no-cache"],
      ["Stripe-Signature", stripe.webhooks.generateTestHeaderString({ payload: STRIPE_PAYLOAD, secret: STRIPE_SECRET })],
      ["Host", "dump.example.com"],
      ["Content-Type", "application/json; charset=utf-8"],
      ["Accept", "text/plain"],
      ["Transfer-Encoding", "chunked"],
    ],
    body,
    truncated: false,
  };
}

describe("signed captures replayed byte-exact verify with the official SDKs", () => {
  it("GitHub (X-Hub-Signature-256, @octokit/webhooks-methods)", async () => {
    const capture = await githubCapture();
    const result = await sendRequest(buildOutgoingRequest(capture, { url: origin }), { policy });
    expect(text(result.body)).toBe("github verified");
    expect(result.status).toBe(200);
    const arrived = received.at(-1);
    expect(arrived?.body.equals(Buffer.from(capture.body))).toBe(true);
    expect(arrived?.rawHeaders).toEqual([
      "Host", origin.slice("http://".length),
      "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "User-Agent", "GitHub-Hookshot/044aadd",
      "content-type", "application/json",
      "X-Hub-Signature-256", capture.headers[4]?.[1],
      "X-GitHub-Event", "pull_request",
      "x-custom", "one",
      "Content-Length", String(capture.body.length),
      "X-Custom", "two",
      "Connection", "close",
    ]);
  });

  it("Stripe (Stripe-Signature, stripe.webhooks.constructEvent)", async () => {
    const capture = stripeCapture();
    const result = await sendRequest(buildOutgoingRequest(capture, { url: `${origin}/`, host: "original" }), { policy });
    expect(text(result.body)).toBe("stripe verified evt_test_replay");
    const arrived = received.at(-1);
    expect(arrived?.body.equals(Buffer.from(capture.body))).toBe(true);
    expect(arrived?.rawHeaders).toEqual([
      "user-agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      "Accept", "*/*; q=0.5, application/xml",
      "Cache-Control", "no-cache",
      "Stripe-Signature", capture.headers[3]?.[1],
      "Host", "dump.example.com",
      "Content-Type", "application/json; charset=utf-8",
      "Accept", "text/plain",
      "Content-Length", String(capture.body.length),
      "Connection", "close",
    ]);
  });

  it("a re-encoded body (what smee sends) fails both verifiers: the check above is real", async () => {
    const reencode = (capture: StoredRequestForSend) =>
      new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(capture.body))));
    const github = await githubCapture();
    const githubResult = await sendRequest(buildOutgoingRequest(github, { url: origin, body: reencode(github) }), { policy });
    expect(githubResult.status).toBe(400);
    expect(text(githubResult.body)).toBe("github signature mismatch");
    const stripeRequest = stripeCapture();
    const stripeResult = await sendRequest(buildOutgoingRequest(stripeRequest, { url: origin, body: reencode(stripeRequest) }), {
      policy,
    });
    expect(stripeResult.status).toBe(400);
    expect(text(stripeResult.body)).toMatch(/^stripe signature mismatch/);
  });
});
