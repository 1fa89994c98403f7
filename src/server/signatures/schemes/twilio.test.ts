import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { flipByte, signatureInput } from "~/test/signature-input";
import { verifyTwilio } from "./twilio";

const token = "12345";
const config = { scheme: "twilio" as const, secret: token };
const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
const params = { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" };
const form = new URLSearchParams(params).toString();
const formHeaders = (signature: string): [string, string][] => [["Content-Type", "application/x-www-form-urlencoded"], ["X-Twilio-Signature", signature]];

describe("twilio", () => {
  it("reproduces twilio-node's published form vector, and the SDK agrees", () => {
    const published = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    expect(twilio.getExpectedTwilioSignature(token, url, params)).toBe(published);
    expect(verifyTwilio(signatureInput({ headers: formHeaders(published), body: form, url }), config).verdict).toBe("valid");
  });

  it("the URL is the one Twilio called: behind a proxy only signedUrl makes it valid; default ports are tried", () => {
    const signature = twilio.getExpectedTwilioSignature(token, url, params);
    const proxied = signatureInput({ headers: formHeaders(signature), body: form, url: "http://127.0.0.1:3000/myapp.php?foo=1&bar=2" });
    expect(verifyTwilio(proxied, config).reason).toBe("signature_mismatch");
    expect(verifyTwilio(proxied, { ...config, signedUrl: url }).verdict).toBe("valid");
    const withPort = signatureInput({ headers: formHeaders(signature), body: form, url: "https://mycompany.com:443/myapp.php?foo=1&bar=2" });
    expect(verifyTwilio(withPort, config).verdict).toBe("valid");
  });

  it("repeated parameter names: values sorted and de-duplicated as twilio-node does", () => {
    const many = { To: "+18005551212", Media: ["b", "a", "b"] };
    const body = "To=%2B18005551212&Media=b&Media=a&Media=b";
    const signature = twilio.getExpectedTwilioSignature(token, url, many);
    expect(verifyTwilio(signatureInput({ headers: formHeaders(signature), body, url }), config).verdict).toBe("valid");
  });

  it("bodySHA256 variant: the published JSON vector, and a changed body is body_hash_mismatch", () => {
    const jsonUrl = `${url}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`;
    const body = '{"property": "value", "boolean": true}';
    const published = "a9nBmqA0ju/hNViExpshrM61xv4=";
    const headers: [string, string][] = [["Content-Type", "application/json"], ["X-Twilio-Signature", published]];
    expect(twilio.validateRequestWithBody(token, published, jsonUrl, body)).toBe(true);
    expect(verifyTwilio(signatureInput({ headers, body, url: jsonUrl }), config).verdict).toBe("valid");
    expect(verifyTwilio(signatureInput({ headers, body: flipByte(body), url: jsonUrl }), config).reason).toBe("body_hash_mismatch");
    // twilio-node's "only the hash in the query" vector.
    const onlyHash = "https://mycompany.com/myapp.php?bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
    const onlyHashHeaders: [string, string][] = [["Content-Type", "application/json"], ["X-Twilio-Signature", "y77kIzt2vzLz71DgmJGsen2scGs="]];
    expect(verifyTwilio(signatureInput({ headers: onlyHashHeaders, body, url: onlyHash }), config).verdict).toBe("valid");
  });

  it("wrong token, changed parameter, missing header, repeated header", () => {
    const signature = twilio.getExpectedTwilioSignature(token, url, params);
    expect(verifyTwilio(signatureInput({ headers: formHeaders(signature), body: form, url }), { ...config, secret: "54321" }).reason).toBe("signature_mismatch");
    expect(verifyTwilio(signatureInput({ headers: formHeaders(signature), body: form.replace("1234", "1235"), url }), config).reason).toBe("signature_mismatch");
    expect(verifyTwilio(signatureInput({ headers: [], body: form, url }), config).reason).toBe("missing_signature_header");
    const repeated = signatureInput({ headers: [...formHeaders("AAAA"), ["X-Twilio-Signature", signature]], body: form, url });
    expect(verifyTwilio(repeated, config).verdict).toBe("valid");
  });

  it("SharedKey: with X-Twilio-Webhooks-Signature-Settings algorithm=HMAC_SHA256 the same data is signed with SHA-256", async () => {
    const { createHmac } = await import("node:crypto");
    const data = url + Object.keys(params).sort().map((name) => name + params[name as keyof typeof params]).join("");
    const signature = createHmac("sha256", "shared-key").update(data).digest("base64");
    const headers: [string, string][] = [...formHeaders(signature), ["X-Twilio-Webhooks-Signature-Settings", "key=KEY1,algorithm=HMAC_SHA256"]];
    expect(verifyTwilio(signatureInput({ headers, body: form, url }), { ...config, secret: "shared-key" }).verdict).toBe("valid");
    expect(verifyTwilio(signatureInput({ headers: formHeaders(signature), body: form, url }), { ...config, secret: "shared-key" }).reason).toBe("signature_mismatch");
  });
});
