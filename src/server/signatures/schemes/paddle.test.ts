import { Paddle } from "@paddle/paddle-node-sdk";
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { flipByte, signatureInput } from "~/test/signature-input";
import { verifyPaddle } from "./paddle";

const config = { scheme: "paddle" as const, secret: "VALID_SECRET" };
const body = '{"data": ["1", "2"]}';
const t = 1_698_796_800;
const published = "ts=1698796800;h1=a300428748dce5c70e4da19bffd60769591ea969c99dea3105d0ec9612cf43f9";
const at = (seconds: number) => new Date(seconds * 1000);
const input = (signature: string, payload: string | Uint8Array = body, seconds = t) => signatureInput({ headers: [["Paddle-Signature", signature]], body: payload, receivedAt: at(seconds) });

afterEach(() => vi.useRealTimers());

describe("paddle", () => {
  it("reproduces paddle-node-sdk's published vector, and the SDK agrees at the same time", async () => {
    expect(verifyPaddle(input(published, body, t + 2), config)).toMatchObject({ verdict: "valid", timestampAgeSeconds: 2 });
    vi.useFakeTimers({ now: at(t + 2) });
    expect(await new Paddle("unused").webhooks.isSignatureValid(body, "VALID_SECRET", published)).toBe(true);
    expect(await new Paddle("unused").webhooks.isSignatureValid('{"data":  ["1", "2"]}', "VALID_SECRET", published)).toBe(false);
  });

  it("5 s window by default, only too old; wrong secret; changed byte; extra spaces; malformed; unsupported; missing", () => {
    expect(verifyPaddle(input(published, body, t + 6), config).reason).toBe("timestamp_too_old");
    expect(verifyPaddle(input(published, body, t + 6), { ...config, toleranceSeconds: 60 }).verdict).toBe("valid");
    expect(verifyPaddle(input(published, body, t - 600), config).verdict).toBe("valid");
    expect(verifyPaddle(input(published), { ...config, secret: "OTHER" }).reason).toBe("signature_mismatch");
    expect(verifyPaddle(input(published, flipByte(body)), config).reason).toBe("signature_mismatch");
    expect(verifyPaddle(input(published, '{"data":  ["1", "2"]}'), config).reason).toBe("signature_mismatch");
    expect(verifyPaddle(input("h1=abc"), config).reason).toBe("malformed_signature_header");
    expect(verifyPaddle(input(`ts=${t};h2=abc`), config).reason).toBe("no_supported_signature");
    expect(verifyPaddle(signatureInput({ headers: [], body }), config).reason).toBe("missing_signature_header");
  });

  it("any h1 may match (rotation), and a repeated header is tried", () => {
    const h1 = createHmac("sha256", "VALID_SECRET").update(`${t}:${body}`).digest("hex");
    expect(verifyPaddle(input(`ts=${t};h1=${"0".repeat(64)};h1=${h1}`), config).verdict).toBe("valid");
    const repeated = signatureInput({ headers: [["Paddle-Signature", `ts=${t};h1=00`], ["paddle-signature", published]], body, receivedAt: at(t) });
    expect(verifyPaddle(repeated, config).verdict).toBe("valid");
  });
});
