import { describe, expect, it } from "vitest";
import { ZHar } from "~/test/har-schema";
import { buildExport, exportEnvelope, requestToHarEntry, requestToJson, type ExportableRequest } from "./request-export";

const base = "https://hooks.example.com/b/stripe";
const meta = { bin: { id: "bin1", name: "Stripe", slug: "stripe", url: base }, exportedAt: new Date("2026-03-01T12:00:00Z"), creatorVersion: "1.2.3" };

function request(overrides: Partial<ExportableRequest> = {}): ExportableRequest {
  const body = new TextEncoder().encode('{"type":"invoice.paid"}');
  return {
    id: "req1",
    seq: 7,
    method: "POST",
    path: "/hooks",
    query: "a=1&a=2&q=x%20y",
    headers: [["Content-Type", "application/json"], ["X-Dup", "1"], ["x-dup", "2"]],
    body,
    bodySize: body.length,
    truncated: false,
    declaredSize: body.length,
    contentType: "application/json",
    ip: "203.0.113.9",
    receivedAt: new Date("2026-03-01T10:00:00.123Z"),
    responseStatus: 202,
    ...overrides,
  };
}

describe("HAR 1.2 export", () => {
  it("builds a valid log: request as captured (headers in order, duplicates kept, query decoded), response status as answered", () => {
    const har = ZHar.parse(JSON.parse(buildExport("har", [request()], meta)));
    expect(har.log.creator).toEqual({ name: "WebhookDump", version: "1.2.3" });
    const [entry] = har.log.entries;
    expect(entry?.startedDateTime).toBe("2026-03-01T10:00:00.123Z");
    expect(entry?.request.url).toBe(`${base}/hooks?a=1&a=2&q=x%20y`);
    expect(entry?.request.headers).toEqual([{ name: "Content-Type", value: "application/json" }, { name: "X-Dup", value: "1" }, { name: "x-dup", value: "2" }]);
    expect(entry?.request.queryString).toEqual([{ name: "a", value: "1" }, { name: "a", value: "2" }, { name: "q", value: "x y" }]);
    expect(entry?.request.postData).toEqual({ mimeType: "application/json", text: '{"type":"invoice.paid"}' });
    expect(entry?.request.bodySize).toBe(23);
    expect(entry?.response.status).toBe(202);
  });

  it("carries a body that is not UTF-8 as base64, byte for byte", () => {
    const bytes = new Uint8Array([0x00, 0xff, 0xfe, 0x41]);
    const entry = requestToHarEntry(request({ body: bytes, bodySize: 4, contentType: null }), base);
    expect(entry.request.postData).toEqual({ mimeType: "", text: "AP/+QQ==", encoding: "base64" });
  });

  it("leaves postData out when there is no body, and maps the root path to the bare capture URL", () => {
    const entry = requestToHarEntry(request({ method: "GET", path: "/", query: "", body: new Uint8Array(), bodySize: 0 }), base);
    expect(entry.request).not.toHaveProperty("postData");
    expect(entry.request.url).toBe(base);
    ZHar.parse({ log: { version: "1.2", creator: { name: "x", version: "1" }, entries: [entry] } });
  });

  it("is valid with no entries (an empty bin)", () => {
    expect(ZHar.parse(JSON.parse(buildExport("har", [], meta))).log.entries).toEqual([]);
  });
});

describe("JSON export", () => {
  it("is the REST record plus its URL; the envelope names the bin", () => {
    const json = requestToJson(request(), base);
    expect(json).toMatchObject({ id: "req1", seq: 7, url: `${base}/hooks?a=1&a=2&q=x%20y`, receivedAt: "2026-03-01T10:00:00.123Z", responseStatus: 202 });
    expect(Buffer.from(json.bodyBase64, "base64").toString()).toBe('{"type":"invoice.paid"}');
    const document = JSON.parse(buildExport("json", [request(), request({ id: "req2", seq: 8 })], meta)) as { bin: unknown; requests: { id: string }[] };
    expect(document.bin).toEqual(meta.bin);
    expect(document.requests.map((r) => r.id)).toEqual(["req1", "req2"]);
  });

  it("envelopes are head + tail around a comma-joined list, for streaming", () => {
    for (const format of ["json", "har"] as const) {
      const { head, tail } = exportEnvelope(format, meta);
      expect(() => JSON.parse(`${head}${tail}`) as unknown).not.toThrow();
    }
  });
});
