import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { flipByte, signatureInput } from "~/test/signature-input";
import { verifyStripe } from "./stripe";

const stripe = new Stripe("sk_test_unused");
const secret = "whsec_test_secret";
const config = { scheme: "stripe" as const, secret };
const body = '{\n  "id": "evt_1",\n  "object": "event"\n}';
const t = 1_764_000_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe("stripe", () => {
  it("accepts what the stripe SDK signs, judged at capture time (days later still valid)", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: t });
    const result = verifyStripe(signatureInput({ headers: [["Stripe-Signature", header]], body, receivedAt: at(t + 2) }), config);
    expect(result).toMatchObject({ verdict: "valid", reason: "ok", timestampAgeSeconds: 2 });
    // The SDK agrees when told the same capture time.
    expect(() => stripe.webhooks.constructEvent(body, header, secret, 300, undefined, (t + 2) * 1000)).not.toThrow();
  });

  it("mismatch for a wrong secret (the CLI's vs the dashboard's) and for one changed byte", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: t });
    const wrong = verifyStripe(signatureInput({ headers: [["Stripe-Signature", header]], body, receivedAt: at(t) }), { scheme: "stripe", secret: "whsec_other" });
    expect(wrong).toMatchObject({ verdict: "invalid", reason: "signature_mismatch" });
    expect(wrong.detail).toContain("Stripe CLI");
    const changed = verifyStripe(signatureInput({ headers: [["Stripe-Signature", header]], body: flipByte(body), receivedAt: at(t) }), config);
    expect(changed.reason).toBe("signature_mismatch");
  });

  it("a correct but old signature reads as too old; a future one is accepted, as stripe-node does", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: t });
    const old = verifyStripe(signatureInput({ headers: [["Stripe-Signature", header]], body, receivedAt: at(t + 301) }), config);
    expect(old).toMatchObject({ reason: "timestamp_too_old", timestampAgeSeconds: 301 });
    expect(() => stripe.webhooks.constructEvent(body, header, secret, 300, undefined, (t + 301) * 1000)).toThrow(/tolerance/);
    expect(verifyStripe(signatureInput({ headers: [["Stripe-Signature", header]], body, receivedAt: at(t + 301) }), { ...config, toleranceSeconds: 600 }).verdict).toBe("valid");
    expect(verifyStripe(signatureInput({ headers: [["Stripe-Signature", header]], body, receivedAt: at(t - 1000) }), config).verdict).toBe("valid");
  });

  it("any v1 may match (secret rolling); v0 only is unsupported; no t is malformed; no header is missing", () => {
    const good = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: t }).split("v1=")[1];
    const rolled = `t=${t}, v1=${"0".repeat(64)}, v1=${good}`;
    expect(verifyStripe(signatureInput({ headers: [["Stripe-Signature", rolled]], body, receivedAt: at(t) }), config).verdict).toBe("valid");
    expect(verifyStripe(signatureInput({ headers: [["Stripe-Signature", `t=${t},v0=${good}`]], body, receivedAt: at(t) }), config).reason).toBe("no_supported_signature");
    expect(verifyStripe(signatureInput({ headers: [["Stripe-Signature", `v1=${good}`]], body, receivedAt: at(t) }), config).reason).toBe("malformed_signature_header");
    expect(verifyStripe(signatureInput({ headers: [], body }), config).reason).toBe("missing_signature_header");
  });

  it("tries every value of a repeated Stripe-Signature header", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: t });
    const input = signatureInput({ headers: [["stripe-signature", `t=${t},v1=${"a".repeat(64)}`], ["Stripe-Signature", header]], body, receivedAt: at(t) });
    expect(verifyStripe(input, config).verdict).toBe("valid");
  });
});
