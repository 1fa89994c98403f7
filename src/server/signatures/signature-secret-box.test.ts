import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { createTestApp } from "~/test/test-app";
import { updateBin, createBin } from "../bins/bins-service";
import { deriveSignatureKey, openSecret, sealSecret } from "./signature-secret-box";

describe("signature secret box", () => {
  const key = deriveSignatureKey("a".repeat(40));

  it("seals so that only the same key and the same bin open it", () => {
    const sealed = sealSecret(key, "bin1", "whsec_abc");
    expect(sealed).not.toContain("whsec_abc");
    expect(sealed).not.toBe(sealSecret(key, "bin1", "whsec_abc"));
    expect(openSecret(key, "bin1", sealed)).toBe("whsec_abc");
    expect(openSecret(deriveSignatureKey("b".repeat(40)), "bin1", sealed)).toBeNull();
    expect(openSecret(key, "bin2", sealed)).toBeNull();
    expect(openSecret(key, "bin1", "v1:" + Buffer.from("short").toString("base64"))).toBeNull();
    expect(openSecret(key, "bin1", "garbage")).toBeNull();
  });

  it("after BETTER_AUTH_SECRET changes, verdicts say the secret could not be decrypted until it is entered again", async () => {
    const first = await createTestApp();
    const user = await first.app.db.user.create({ data: { id: "u1", name: "u", email: "u@example.test", emailVerified: false } });
    const bin = await createBin(first.app.db, user.id, { name: "b" });
    await updateBin(first.app.db, user.id, bin.id, { signature: { scheme: "github", secret: "before" } }, undefined, first.app.signatures.key);
    await first.app.close();
    const second = await createTestApp({ BETTER_AUTH_SECRET: "another-secret-another-secret-another-1" }, { dir: first.dir });
    try {
      const request = { headers: [["X-Hub-Signature-256", "sha256=00"]] as [string, string][], body: new Uint8Array(), receivedAt: new Date(), path: "/", query: "" };
      const opened = await second.app.signatures.forBin(bin.id);
      expect(opened).not.toBeNull();
      const verdict = second.app.signatures.judge(request, opened!);
      expect(verdict).toMatchObject({ scheme: "github", verdict: "invalid" });
      expect(verdict.detail).toContain("could not be decrypted");
      // Keeping the stored secret is impossible now: the owner must type it again.
      await expect(updateBin(second.app.db, user.id, bin.id, { signature: { scheme: "github" } }, undefined, second.app.signatures.key)).rejects.toThrow(/signature\.secret/);
      await updateBin(second.app.db, user.id, bin.id, { signature: { scheme: "github", secret: "after" } }, undefined, second.app.signatures.key);
      const reopened = await second.app.signatures.forBin(bin.id);
      expect(second.app.signatures.judge(request, reopened!).detail).not.toContain("decrypted");
    } finally {
      await second.close();
      fs.rmSync(first.dir, { recursive: true, force: true });
    }
  });
});
