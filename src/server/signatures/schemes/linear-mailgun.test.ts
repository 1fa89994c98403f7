import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { flipByte, signatureInput } from "~/test/signature-input";
import { verifyLinear } from "./linear";
import { verifyMailgun } from "./mailgun";

describe("linear", () => {
  const config = { scheme: "linear" as const, secret: "lin_wh_secret" };
  const ms = 1_764_000_000_000;
  const body = JSON.stringify({ action: "create", type: "Issue", webhookTimestamp: ms });
  const signature = createHmac("sha256", "lin_wh_secret").update(body).digest("hex");
  const input = (options: { body?: string | Uint8Array; at?: number; headers?: [string, string][] } = {}) =>
    signatureInput({ headers: options.headers ?? [["Linear-Signature", signature]], body: options.body ?? body, receivedAt: new Date(options.at ?? ms + 1000) });

  it("valid within 60 s of the body's webhookTimestamp, both directions checked", () => {
    expect(verifyLinear(input(), config)).toMatchObject({ verdict: "valid", timestampAgeSeconds: 1 });
    expect(verifyLinear(input({ at: ms + 61_000 }), config).reason).toBe("timestamp_too_old");
    expect(verifyLinear(input({ at: ms - 61_000 }), config).reason).toBe("timestamp_too_new");
    expect(verifyLinear(input({ at: ms + 61_000 }), { ...config, toleranceSeconds: 120 }).verdict).toBe("valid");
  });

  it("wrong secret, changed byte, missing, repeated", () => {
    expect(verifyLinear(input(), { ...config, secret: "x" }).reason).toBe("signature_mismatch");
    expect(verifyLinear(input({ body: flipByte(body, 5) }), config).reason).toBe("signature_mismatch");
    expect(verifyLinear(input({ headers: [] }), config).reason).toBe("missing_signature_header");
    expect(verifyLinear(input({ headers: [["Linear-Signature", "00"], ["linear-signature", signature]] }), config).verdict).toBe("valid");
  });
});

describe("mailgun", () => {
  const key = "key-mailgun-signing";
  const config = { scheme: "mailgun" as const, secret: key };
  const timestamp = "1764000000";
  const token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";
  const signature = createHmac("sha256", key).update(timestamp + token).digest("hex");
  const json = (eventData: object, sig = signature) => JSON.stringify({ signature: { timestamp, token, signature: sig }, "event-data": eventData });

  it("JSON webhooks and form posts verify; the event data is not signed, which the verdict says", () => {
    const valid = verifyMailgun(signatureInput({ headers: [], body: json({ event: "delivered" }) }), config);
    expect(valid.verdict).toBe("valid");
    expect(valid.detail).toContain("not the event data");
    expect(verifyMailgun(signatureInput({ headers: [], body: json({ event: "tampered" }) }), config).verdict).toBe("valid");
    const form = new URLSearchParams({ timestamp, token, signature, recipient: "a@example.test" }).toString();
    expect(verifyMailgun(signatureInput({ headers: [], body: form }), config).verdict).toBe("valid");
  });

  it("wrong key, changed signature, no signature, missing token, optional window", () => {
    expect(verifyMailgun(signatureInput({ headers: [], body: json({}) }), { ...config, secret: "x" }).reason).toBe("signature_mismatch");
    expect(verifyMailgun(signatureInput({ headers: [], body: json({}, "0" + signature.slice(1)) }), config).reason).toBe("signature_mismatch");
    expect(verifyMailgun(signatureInput({ headers: [], body: '{"event-data":{}}' }), config).reason).toBe("missing_signature_header");
    expect(verifyMailgun(signatureInput({ headers: [], body: JSON.stringify({ signature: { timestamp, signature } }) }), config).reason).toBe("malformed_signature_header");
    const late = signatureInput({ headers: [], body: json({}), receivedAt: new Date((Number(timestamp) + 3600) * 1000) });
    expect(verifyMailgun(late, config).verdict).toBe("valid");
    expect(verifyMailgun(late, { ...config, toleranceSeconds: 600 }).reason).toBe("timestamp_too_old");
  });
});
