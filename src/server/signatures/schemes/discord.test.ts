import { verifyKey } from "discord-interactions";
import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { flipByte, signatureInput } from "~/test/signature-input";
import { verifyDiscord } from "./discord";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const publicHex = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url").toString("hex");
const config = { scheme: "discord" as const, secret: publicHex };
const body = '{"type":1,"id":"123"}';
const timestamp = "1764000000";
const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
const headers = (sig = signature): [string, string][] => [["X-Signature-Ed25519", sig], ["X-Signature-Timestamp", timestamp]];

describe("discord", () => {
  it("accepts what discord-interactions accepts, with the public key as the secret", async () => {
    expect(await verifyKey(body, signature, timestamp, publicHex)).toBe(true);
    expect(verifyDiscord(signatureInput({ headers: headers(), body }), config).verdict).toBe("valid");
  });

  it("another key, changed byte, malformed, missing, repeated, optional window", async () => {
    const other = Buffer.from(generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }).x ?? "", "base64url").toString("hex");
    expect(verifyDiscord(signatureInput({ headers: headers(), body }), { ...config, secret: other }).reason).toBe("signature_mismatch");
    expect(await verifyKey(flipByte(body), signature, timestamp, publicHex)).toBe(false);
    expect(verifyDiscord(signatureInput({ headers: headers(), body: flipByte(body) }), config).reason).toBe("signature_mismatch");
    expect(verifyDiscord(signatureInput({ headers: headers("abc"), body }), config).reason).toBe("malformed_signature_header");
    expect(verifyDiscord(signatureInput({ headers: [], body }), config).reason).toBe("missing_signature_header");
    expect(verifyDiscord(signatureInput({ headers: [...headers("0".repeat(128)), ["x-signature-ed25519", signature]], body }), config).verdict).toBe("valid");
    const late = signatureInput({ headers: headers(), body, receivedAt: new Date((Number(timestamp) + 3600) * 1000) });
    expect(verifyDiscord(late, config).verdict).toBe("valid");
    expect(verifyDiscord(late, { ...config, toleranceSeconds: 60 }).reason).toBe("timestamp_too_old");
  });
});
