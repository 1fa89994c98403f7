import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { flipByte, signatureInput } from "~/test/signature-input";
import { verifySlack } from "./slack";
import { verifyZoom } from "./zoom";

// Slack's documented slash-command example (api.slack.com, verifying requests from Slack).
const slackBody =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const slackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
const t = 1_531_420_618;
const at = (seconds: number) => new Date(seconds * 1000);
const slack = { scheme: "slack" as const, secret: slackSecret };
const published = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const slackHeaders = (signature: string): [string, string][] => [["X-Slack-Request-Timestamp", String(t)], ["X-Slack-Signature", signature]];

describe("slack", () => {
  it("reproduces Slack's published example at its capture time", () => {
    expect(verifySlack(signatureInput({ headers: slackHeaders(published), body: slackBody, receivedAt: at(t + 1) }), slack)).toMatchObject({ verdict: "valid", timestampAgeSeconds: 1 });
  });

  it("wrong secret, one changed byte, expired, unsupported version, malformed, missing, repeated", () => {
    const input = (signature: string, body: string | Uint8Array = slackBody, seconds = t) => signatureInput({ headers: slackHeaders(signature), body, receivedAt: at(seconds) });
    expect(verifySlack(input(published), { ...slack, secret: "x" }).reason).toBe("signature_mismatch");
    expect(verifySlack(input(published, flipByte(slackBody)), slack).reason).toBe("signature_mismatch");
    expect(verifySlack(input(published, slackBody, t + 301), slack).reason).toBe("timestamp_too_old");
    expect(verifySlack(input(published, slackBody, t + 301), { ...slack, toleranceSeconds: 3600 }).verdict).toBe("valid");
    expect(verifySlack(input(published.replace("v0=", "v1=")), slack).reason).toBe("no_supported_signature");
    expect(verifySlack(input(published.slice(3)), slack).reason).toBe("malformed_signature_header");
    expect(verifySlack(signatureInput({ headers: [], body: slackBody }), slack).reason).toBe("missing_signature_header");
    const repeated = signatureInput({ headers: [...slackHeaders("v0=00"), ["x-slack-signature", published]], body: slackBody, receivedAt: at(t) });
    expect(verifySlack(repeated, slack).verdict).toBe("valid");
  });
});

describe("zoom", () => {
  it("same construction under x-zm-* headers, 300 s by default", () => {
    const body = '{"event":"meeting.started","payload":{}}';
    const signature = "v0=" + createHmac("sha256", "token").update(`v0:${t}:${body}`).digest("hex");
    const headers: [string, string][] = [["x-zm-request-timestamp", String(t)], ["x-zm-signature", signature]];
    const zoom = { scheme: "zoom" as const, secret: "token" };
    expect(verifyZoom(signatureInput({ headers, body, receivedAt: at(t) }), zoom).verdict).toBe("valid");
    expect(verifyZoom(signatureInput({ headers, body, receivedAt: at(t + 301) }), zoom).reason).toBe("timestamp_too_old");
    expect(verifyZoom(signatureInput({ headers, body: flipByte(body), receivedAt: at(t) }), zoom).reason).toBe("signature_mismatch");
    expect(verifyZoom(signatureInput({ headers: headers.slice(1), body }), zoom).reason).toBe("missing_signature_header");
  });
});
