import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signatureInput } from "~/test/signature-input";
import { verifyHmac } from "./hmac";

const binary = new Uint8Array(256).map((_, index) => index);
const base = { scheme: "hmac" as const, secret: "s3cret", header: "X-Signature", algorithm: "sha256" as const, encoding: "hex" as const, prefix: "" };

describe("hmac", () => {
  it("hashes the stored bytes, so a non-UTF-8 body (0x00..0xFF) verifies", () => {
    const signature = createHmac("sha256", "s3cret").update(binary).digest("hex");
    expect(verifyHmac(signatureInput({ headers: [["x-signature", signature]], body: binary }), base).verdict).toBe("valid");
    // What a decoding implementation would have signed: the U+FFFD-replaced text.
    const decoded = createHmac("sha256", "s3cret").update(Buffer.from(binary).toString("utf8")).digest("hex");
    expect(verifyHmac(signatureInput({ headers: [["x-signature", decoded]], body: binary }), base).reason).toBe("signature_mismatch");
  });

  it("every algorithm and encoding, with a prefix", () => {
    for (const algorithm of ["sha1", "sha256", "sha512"] as const) {
      for (const encoding of ["hex", "base64"] as const) {
        const signature = "v1=" + createHmac(algorithm, "s3cret").update(binary).digest(encoding);
        const config = { ...base, algorithm, encoding, prefix: "v1=" };
        expect(verifyHmac(signatureInput({ headers: [["X-Signature", signature]], body: binary }), config).verdict).toBe("valid");
      }
    }
  });

  it("wrong secret, changed byte, missing prefix, missing header, repeated header", () => {
    const signature = "v1=" + createHmac("sha256", "s3cret").update(binary).digest("hex");
    const config = { ...base, prefix: "v1=" };
    expect(verifyHmac(signatureInput({ headers: [["X-Signature", signature]], body: binary }), { ...config, secret: "x" }).reason).toBe("signature_mismatch");
    const changed = binary.slice();
    changed[7] = 0;
    expect(verifyHmac(signatureInput({ headers: [["X-Signature", signature]], body: changed }), config).reason).toBe("signature_mismatch");
    expect(verifyHmac(signatureInput({ headers: [["X-Signature", signature.slice(3)]], body: binary }), config).reason).toBe("malformed_signature_header");
    expect(verifyHmac(signatureInput({ headers: [], body: binary }), config).reason).toBe("missing_signature_header");
    expect(verifyHmac(signatureInput({ headers: [["X-Signature", "v1=00"], ["X-Signature", signature]], body: binary }), config).verdict).toBe("valid");
  });
});
