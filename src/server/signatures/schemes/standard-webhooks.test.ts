import { generateKeyPairSync, sign as signEd25519 } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { afterEach, describe, expect, it, vi } from "vitest";
import { flipByte, signatureInput } from "~/test/signature-input";
import { verifyStandardWebhooks } from "./standard-webhooks";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const config = { scheme: "standard-webhooks" as const, secret };
const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const t = 1_614_265_330;
const body = '{"test": 2432232314}';
const at = (seconds: number) => new Date(seconds * 1000);
const headers = (signature: string, family = "webhook", timestamp = t): [string, string][] => [
  [`${family}-id`, id],
  [`${family}-timestamp`, String(timestamp)],
  [`${family}-signature`, signature],
];

afterEach(() => vi.useRealTimers());

describe("standard-webhooks", () => {
  it("reproduces the spec's published vector, which the standardwebhooks SDK also produces", () => {
    const published = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    expect(new Webhook(secret).sign(id, at(t), body)).toBe(published);
    expect(verifyStandardWebhooks(signatureInput({ headers: headers(published), body, receivedAt: at(t + 3) }), config)).toMatchObject({ verdict: "valid", reason: "ok", timestampAgeSeconds: 3 });
    vi.useFakeTimers({ now: at(t + 3) });
    expect(() => new Webhook(secret).verify(body, Object.fromEntries(headers(published)))).not.toThrow();
  });

  it("accepts svix-* headers signed by the svix SDK, and a key pasted without whsec_", () => {
    const signature = new SvixWebhook(secret).sign(id, at(t), body);
    expect(verifyStandardWebhooks(signatureInput({ headers: headers(signature, "svix"), body, receivedAt: at(t) }), config).verdict).toBe("valid");
    expect(verifyStandardWebhooks(signatureInput({ headers: headers(signature), body, receivedAt: at(t) }), { ...config, secret: secret.slice(6) }).verdict).toBe("valid");
  });

  it("mismatch for a wrong key, a Stripe-style text key, and one changed byte", () => {
    const signature = new Webhook(secret).sign(id, at(t), body);
    const input = signatureInput({ headers: headers(signature), body, receivedAt: at(t) });
    expect(verifyStandardWebhooks(input, { ...config, secret: "whsec_" + Buffer.from("another key of 24 bytes!").toString("base64") }).reason).toBe("signature_mismatch");
    expect(verifyStandardWebhooks(signatureInput({ headers: headers(signature), body: flipByte(body), receivedAt: at(t) }), config).reason).toBe("signature_mismatch");
  });

  it("rejects correct signatures outside 5 minutes in both directions", () => {
    const signature = new Webhook(secret).sign(id, at(t), body);
    expect(verifyStandardWebhooks(signatureInput({ headers: headers(signature), body, receivedAt: at(t + 301) }), config).reason).toBe("timestamp_too_old");
    expect(verifyStandardWebhooks(signatureInput({ headers: headers(signature), body, receivedAt: at(t - 301) }), config).reason).toBe("timestamp_too_new");
    vi.useFakeTimers({ now: at(t - 301) });
    expect(() => new Webhook(secret).verify(body, Object.fromEntries(headers(signature)))).toThrow(/too new/i);
  });

  it("valid if any entry of the list matches; unknown versions skipped; repeated headers tried", () => {
    const signature = new Webhook(secret).sign(id, at(t), body);
    const list = `v2,abc v1,${Buffer.alloc(32).toString("base64")} ${signature}`;
    expect(verifyStandardWebhooks(signatureInput({ headers: headers(list), body, receivedAt: at(t) }), config).verdict).toBe("valid");
    expect(verifyStandardWebhooks(signatureInput({ headers: headers("v2,abc"), body, receivedAt: at(t) }), config).reason).toBe("no_supported_signature");
    const repeated = signatureInput({ headers: [...headers("v1,AAAA"), ["webhook-signature", signature]], body, receivedAt: at(t) });
    expect(verifyStandardWebhooks(repeated, config).verdict).toBe("valid");
  });

  it("missing headers and a timestamp that is not Unix seconds", () => {
    expect(verifyStandardWebhooks(signatureInput({ headers: [], body }), config).reason).toBe("missing_signature_header");
    expect(verifyStandardWebhooks(signatureInput({ headers: [["webhook-signature", "v1,x"]], body }), config).reason).toBe("missing_signature_header");
    const input = signatureInput({ headers: [["webhook-id", id], ["webhook-timestamp", "yesterday"], ["webhook-signature", "v1,x"]], body });
    expect(verifyStandardWebhooks(input, config).reason).toBe("malformed_signature_header");
  });

  it("v1a: Ed25519 with a whpk_ public key", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const raw = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url");
    const whpk = { ...config, secret: `whpk_${raw.toString("base64")}` };
    const signed = Buffer.from(`${id}.${t}.${body}`);
    const signature = `v1a,${signEd25519(null, signed, privateKey).toString("base64")}`;
    expect(verifyStandardWebhooks(signatureInput({ headers: headers(signature), body, receivedAt: at(t) }), whpk).verdict).toBe("valid");
    expect(verifyStandardWebhooks(signatureInput({ headers: headers(signature), body: flipByte(body), receivedAt: at(t) }), whpk).reason).toBe("signature_mismatch");
    expect(verifyStandardWebhooks(signatureInput({ headers: headers(signature), body, receivedAt: at(t) }), config).reason).toBe("no_supported_signature");
  });
});
