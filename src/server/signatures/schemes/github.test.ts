import { sign, verify } from "@octokit/webhooks-methods";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { flipByte, signatureInput } from "~/test/signature-input";
import { verifyGithub } from "./github";

const config = { scheme: "github" as const, secret: "mysecret" };
const body = '{"foo":"bar"}';

describe("github", () => {
  it("reproduces GitHub's published example", () => {
    const input = signatureInput({
      headers: [["X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"]],
      body: "Hello, World!",
    });
    expect(verifyGithub(input, { scheme: "github", secret: "It's a Secret to Everybody" })).toMatchObject({ verdict: "valid", reason: "ok" });
  });

  it("accepts what @octokit/webhooks-methods signs, and octokit accepts the published test vector", async () => {
    const signature = await sign("mysecret", body);
    expect(signature).toBe("sha256=4864d2759938a15468b5df9ade20bf161da9b4f737ea61794142f3484236bda3");
    const result = verifyGithub(signatureInput({ headers: [["x-hub-signature-256", signature]], body }), config);
    expect(result).toMatchObject({ verdict: "valid", reason: "ok", received: signature, expectedPrefix: signature });
    expect(await verify("mysecret", body, signature)).toBe(true);
  });

  it("says mismatch for a wrong secret and for one changed byte, showing only a prefix of the expected", async () => {
    const signature = await sign("mysecret", body);
    const wrong = verifyGithub(signatureInput({ headers: [["X-Hub-Signature-256", signature]], body }), { scheme: "github", secret: "other" });
    expect(wrong).toMatchObject({ verdict: "invalid", reason: "signature_mismatch" });
    expect(wrong.expectedPrefix).toHaveLength(8);
    const changed = verifyGithub(signatureInput({ headers: [["X-Hub-Signature-256", signature]], body: flipByte(body) }), config);
    expect(changed.reason).toBe("signature_mismatch");
  });

  it("says which header is missing, and malformed without the sha256= prefix", () => {
    expect(verifyGithub(signatureInput({ headers: [], body }), config)).toMatchObject({ reason: "missing_signature_header" });
    const bare = createHmac("sha256", "mysecret").update(body).digest("hex");
    expect(verifyGithub(signatureInput({ headers: [["X-Hub-Signature-256", bare]], body }), config).reason).toBe("malformed_signature_header");
  });

  it("tries every value of a repeated header", async () => {
    const signature = await sign("mysecret", body);
    const input = signatureInput({ headers: [["X-Hub-Signature-256", "sha256=" + "0".repeat(64)], ["X-Hub-Signature-256", signature]], body });
    expect(verifyGithub(input, config).verdict).toBe("valid");
  });

  it("falls back to legacy SHA-1 only when it is the sole header", () => {
    const sha1 = "sha1=" + createHmac("sha1", "mysecret").update(body).digest("hex");
    const legacy = verifyGithub(signatureInput({ headers: [["X-Hub-Signature", sha1]], body }), config);
    expect(legacy).toMatchObject({ verdict: "valid" });
    expect(legacy.detail).toContain("legacy SHA-1");
    const both = verifyGithub(signatureInput({ headers: [["X-Hub-Signature", sha1], ["X-Hub-Signature-256", "sha256=" + "0".repeat(64)]], body }), config);
    expect(both.reason).toBe("signature_mismatch");
  });
});
