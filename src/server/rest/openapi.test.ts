// GET /api/v1/openapi.json, and real answers of the main endpoints checked against the schemas it
// serves (read back from the served JSON, not from our zod schemas, so the document is what is tested).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { captureRaw, mintToken, restClient } from "../delivery/delivery-test-helpers";

let server: TestServer;
let rest: ReturnType<typeof restClient>;
let document: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }>; parameters?: { name: string }[] }>> };

beforeAll(async () => {
  server = await startTestServer();
  const { cookie } = await signUp(server.url);
  rest = restClient(server.url, await mintToken(server.url, cookie));
  const response = await fetch(`${server.url}/api/v1/openapi.json`);
  expect(response.status).toBe(200);
  document = (await response.json()) as typeof document;
});

afterAll(async () => {
  await server.close();
});

/** Checks a real answer against the response schema the document gives for it. */
function expectConforms(path: string, method: string, status: number, answer: { status: number; json: unknown }) {
  expect(answer.status, `${method} ${path}`).toBe(status);
  const schema = document.paths[path]?.[method]?.responses[String(status)]?.content?.["application/json"]?.schema;
  expect(schema, `${method} ${path} ${status} is documented`).toBeDefined();
  const result = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(answer.json);
  expect(result.success ? "conforms" : JSON.stringify(result.error.issues), `${method} ${path} ${status}`).toBe("conforms");
}

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document served without credentials, describing this issue's endpoints", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/bins/{id}/requests/next", "/requests/{id}/attempts", "/requests/{id}/replays", "/bins/{id}/requests"]));
    expect(document.paths["/bins/{id}/requests/next"]?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(["after", "timeout", "method", "path", "q"]));
    expect(Object.keys(document.paths["/bins/{id}/requests/next"]?.get?.responses ?? {})).toEqual(expect.arrayContaining(["200", "204", "400"]));
  });

  it("describes what the main endpoints really answer", async () => {
    const created = await rest("POST", "/bins", { name: "described", slug: `described-${Date.now()}` });
    expectConforms("/bins", "post", 201, created);
    const bin = created.json as { id: string; slug: string };
    expectConforms("/bins", "get", 200, await rest("GET", "/bins"));
    expectConforms("/bins/{id}", "get", 200, await rest("GET", `/bins/${bin.id}`));
    const id = await captureRaw(server.url, `/b/${bin.slug}/hook?a=1`, { headers: [["X-A", "1"], ["X-A", "2"]], body: Buffer.from([0, 1, 255]) });
    expectConforms("/bins/{id}/requests", "get", 200, await rest("GET", `/bins/${bin.id}/requests?limit=5`));
    expectConforms("/requests/{id}", "get", 200, await rest("GET", `/requests/${id}`));
    expectConforms("/bins/{id}/requests/next", "get", 200, await rest("GET", `/bins/${bin.id}/requests/next?after=0&timeout=1`));
    const attempt = await rest("POST", `/requests/${id}/attempts`, {
      url: "http://localhost:3000/hook?a=1",
      startedAt: new Date().toISOString(),
      durationMs: 3,
      status: 200,
      headers: [["Content-Length", "0"]],
      bodyBase64: "",
      bodyTruncated: false,
      error: null,
    });
    expectConforms("/requests/{id}/attempts", "post", 201, attempt);
    expectConforms("/requests/{id}/attempts", "get", 200, await rest("GET", `/requests/${id}/attempts`));
    expectConforms("/requests/{id}/attempts", "post", 400, await rest("POST", `/requests/${id}/attempts`, { url: "nope" }));
    expectConforms("/bins/{id}/requests/next", "get", 400, await rest("GET", `/bins/${bin.id}/requests/next?timeout=100`));
    expectConforms("/requests/{id}", "get", 404, await rest("GET", "/requests/missing"));
  });

  it("would catch an answer that does not match (a wrong type fails the check)", () => {
    const schema = document.paths["/requests/{id}"]?.get?.responses["200"]?.content?.["application/json"]?.schema;
    const check = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    expect(check.safeParse({ id: 1 }).success).toBe(false);
  });
});
