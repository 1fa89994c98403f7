import { describe, expect, it } from "vitest";
import { multipartBoundary, parseMultipart } from "./multipart";

describe("parseMultipart", () => {
  it("splits a browser-made form into parts with their headers and exact bytes", async () => {
    const file = new Uint8Array([0, 1, 2, 13, 10, 45, 45, 255, 13, 10]);
    const form = new FormData();
    form.append("name", "Ada <script>");
    form.append("name", "second value");
    form.append("upload", new Blob([file], { type: "application/octet-stream" }), "data \"q\".bin");
    const request = new Request("http://x/", { method: "POST", body: form });
    const contentType = request.headers.get("content-type");
    const body = new Uint8Array(await request.arrayBuffer());
    const boundary = multipartBoundary(contentType);
    expect(boundary).toBeTruthy();
    const parts = parseMultipart(body, boundary ?? "");
    expect(parts?.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ["name", null, null],
      ["name", null, null],
      // Browsers percent-encode quotes in file names; the name is shown as sent.
      ["upload", "data %22q%22.bin", "application/octet-stream"],
    ]);
    expect(new TextDecoder().decode(parts?.[0]?.body)).toBe("Ada <script>");
    expect(parts?.[2]?.body).toEqual(file);
    expect(parts?.[2]?.headers[0]?.[0]).toBe("Content-Disposition");
  });

  it("reads quoted boundaries and rejects bodies that are not multipart", () => {
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe("a b");
    expect(multipartBoundary("multipart/mixed;boundary=xyz;charset=utf-8")).toBe("xyz");
    expect(multipartBoundary("application/json")).toBeNull();
    expect(parseMultipart(new TextEncoder().encode("hello"), "xyz")).toBeNull();
    expect(parseMultipart(new TextEncoder().encode("--xyz\r\n\r\nunterminated"), "xyz")).toBeNull();
  });
});
