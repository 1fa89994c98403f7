import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { flipByte, signatureInput } from "~/test/signature-input";
import { verifyShopify } from "./shopify";
import { verifySquare } from "./square";

describe("shopify", () => {
  const config = { scheme: "shopify" as const, secret: "test_secret_key" };
  const body = '{"foo": "bar"}';
  const published = "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=";

  it("reproduces shopify-api's published fixture, under either header name", () => {
    expect(verifyShopify(signatureInput({ headers: [["X-Shopify-Hmac-Sha256", published]], body }), config).verdict).toBe("valid");
    expect(verifyShopify(signatureInput({ headers: [["shopify-hmac-sha256", published]], body }), config).verdict).toBe("valid");
  });

  it("wrong secret, changed byte, hex instead of base64, missing, repeated", () => {
    expect(verifyShopify(signatureInput({ headers: [["X-Shopify-Hmac-Sha256", published]], body }), { ...config, secret: "x" }).reason).toBe("signature_mismatch");
    expect(verifyShopify(signatureInput({ headers: [["X-Shopify-Hmac-Sha256", published]], body: flipByte(body) }), config).reason).toBe("signature_mismatch");
    const hex = createHmac("sha256", "test_secret_key").update(body).digest("hex");
    expect(verifyShopify(signatureInput({ headers: [["X-Shopify-Hmac-Sha256", hex]], body }), config).reason).toBe("signature_mismatch");
    expect(verifyShopify(signatureInput({ headers: [], body }), config).reason).toBe("missing_signature_header");
    expect(verifyShopify(signatureInput({ headers: [["X-Shopify-Hmac-Sha256", "AAAA"], ["X-Shopify-Hmac-Sha256", published]], body }), config).verdict).toBe("valid");
  });
});

describe("square", () => {
  const header = "x-square-hmacsha256-signature";

  it("reproduces square-nodejs-sdk's published vectors (URL + body)", () => {
    const first = signatureInput({
      headers: [[header, "GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4="]],
      body: '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}',
      url: "https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9",
    });
    expect(verifySquare(first, { scheme: "square", secret: "Ibxx_5AKakO-3qeNVR61Dw" }).verdict).toBe("valid");
    const second = signatureInput({ headers: [[header, "Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U="]], body: '{"data":{"type":"webhooks","id":">id<"}}', url: "https://webhook.site/webhooks" });
    expect(verifySquare(second, { scheme: "square", secret: "signature-key" }).verdict).toBe("valid");
  });

  it("behind a proxy only signedUrl makes it valid; wrong key, changed byte, missing, repeated", () => {
    const body = '{"data":{"type":"webhooks","id":">id<"}}';
    const signature = "Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=";
    const config = { scheme: "square" as const, secret: "signature-key" };
    const proxied = signatureInput({ headers: [[header, signature]], body, url: "http://127.0.0.1:3000/webhooks" });
    expect(verifySquare(proxied, config).reason).toBe("signature_mismatch");
    expect(verifySquare(proxied, { ...config, signedUrl: "https://webhook.site/webhooks" }).verdict).toBe("valid");
    const url = "https://webhook.site/webhooks";
    expect(verifySquare(signatureInput({ headers: [[header, signature]], body, url }), { ...config, secret: "x" }).reason).toBe("signature_mismatch");
    expect(verifySquare(signatureInput({ headers: [[header, signature]], body: flipByte(body), url }), config).reason).toBe("signature_mismatch");
    expect(verifySquare(signatureInput({ headers: [], body, url }), config).reason).toBe("missing_signature_header");
    expect(verifySquare(signatureInput({ headers: [[header, "AAAA"], [header, signature]], body, url }), config).verdict).toBe("valid");
  });
});
