// The generated curl command, run by a real shell against a real capture server, must recreate the
// captured request: same method, path, query, headers and body bytes.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";
import { copyAsCurl } from "./copy-as-curl";
import type { ReplayableRequest } from "./replayable-request";
import { shellQuote } from "./shell-quote";

const run = promisify(execFile);

interface Stored {
  method: string;
  path: string;
  query: string;
  headers: [string, string][];
  bodyBase64: string;
  seq: number;
}

let server: TestServer;
let cookie: string;
let captureBase: string;
let workDir: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ cookie } = await signUp(server.url));
  const response = await fetch(`${server.url}/api/v1/bins`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: "replay" }),
  });
  const bin = (await response.json()) as { slug: string };
  captureBase = `${server.url}/b/${bin.slug}`;
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-curl-"));
});

afterAll(async () => {
  await server.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

async function stored(id: string): Promise<Stored> {
  const response = await fetch(`${server.url}/api/v1/requests/${id}`, { headers: { cookie } });
  expect(response.status).toBe(200);
  return (await response.json()) as Stored;
}

function replayable(record: Stored): ReplayableRequest {
  return {
    method: record.method,
    url: `${captureBase}${record.path === "/" ? "" : record.path}${record.query ? `?${record.query}` : ""}`,
    headers: record.headers,
    body: Buffer.from(record.bodyBase64, "base64"),
    bodyFileName: `request-${record.seq}.bin`,
  };
}

// curl adds these itself; the command cannot (and need not) reproduce the sender's values.
const CLIENT_OWN = new Set(["host", "content-length", "connection", "transfer-encoding", "user-agent", "accept"]);
const comparable = (headers: [string, string][]) => headers.filter(([name]) => !CLIENT_OWN.has(name.toLowerCase()));

/** Captures `init`, replays it with the generated curl command through sh, compares the two. */
async function roundTrip(subPath: string, init: { method: string; headers?: [string, string][]; body?: Buffer }) {
  const sent = await fetch(`${captureBase}${subPath}`, { method: init.method, headers: init.headers, body: init.body ? new Uint8Array(init.body) : undefined });
  expect(sent.status).toBe(200);
  const original = await stored(((await sent.json()) as { id: string }).id);

  const request = replayable(original);
  const { command, needsBodyFile } = copyAsCurl(request);
  if (needsBodyFile) fs.writeFileSync(path.join(workDir, request.bodyFileName), request.body);
  const { stdout } = await run("/bin/sh", ["-c", `${command} --silent --show-error`], { cwd: workDir });
  const replayed = await stored((JSON.parse(stdout) as { id: string }).id);

  expect(replayed.method).toBe(original.method);
  expect(replayed.path).toBe(original.path);
  expect(replayed.query).toBe(original.query);
  expect(comparable(replayed.headers).map(([n, v]) => [n.toLowerCase(), v])).toEqual(
    comparable(original.headers).map(([n, v]) => [n.toLowerCase(), v]),
  );
  expect(Buffer.from(replayed.bodyBase64, "base64").equals(Buffer.from(original.bodyBase64, "base64"))).toBe(true);
  return { command, needsBodyFile };
}

describe("copyAsCurl, replayed by a real curl against a capture server", () => {
  it("reproduces a JSON POST with query, repeated keys and signature headers", async () => {
    const { command, needsBodyFile } = await roundTrip("/hooks/stripe?a=1&a=2&empty=&x=%20y", {
      method: "POST",
      headers: [["content-type", "application/json"], ["stripe-signature", "t=1,v1=abc"], ["x-dup", "one"], ["x-dup", "two"]],
      body: Buffer.from(JSON.stringify({ amount: 12345678901234567890, note: "it's $HOME `id` \\n" })),
    });
    expect(needsBodyFile).toBe(false);
    expect(command).toContain("--data-binary '");
  });

  it("reproduces shell metacharacters, quotes, newlines and Unicode exactly", async () => {
    await roundTrip("/a'b/$(id)/[x]{y}?q='\"$PATH\"&r=`id`", {
      method: "PUT",
      headers: [["content-type", "text/plain; charset=utf-8"], ["x-quote", `it's "quoted" $HOME; rm -rf / & echo`]],
      body: Buffer.from("line 1\r\nline 2 'single' \"double\" \\ $VAR `cmd` !history\n\u202Eunicode é 漢字 🎉\n"),
    });
  });

  it("sends binary bodies byte for byte from the body file", async () => {
    const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const { command, needsBodyFile } = await roundTrip("/upload", {
      method: "POST",
      headers: [["content-type", "application/octet-stream"]],
      body,
    });
    expect(needsBodyFile).toBe(true);
    expect(command).toMatch(/--data-binary @request-\d+\.bin$/);
  });

  it("keeps a body without Content-Type without one, and a body starting with @ literal", async () => {
    await roundTrip("/no-type", { method: "POST", body: Buffer.from("@/etc/passwd") });
  });

  it("reproduces extension methods, empty header values and bodiless requests", async () => {
    await roundTrip("/x", { method: "PATCH", headers: [["x-empty", ""], ["x-after", "1"]] });
    await roundTrip("/", { method: "DELETE" });
  });
});

describe("shellQuote", () => {
  it("passes plain words through and single-quotes everything else", async () => {
    expect(shellQuote("https://example.com/a")).toBe("https://example.com/a");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    const nasty = "a'b\"c$d`e\\f\ng!h;i|j&k*l?m[n]o{p}q~r#s";
    const { stdout } = await run("/bin/sh", ["-c", `printf %s ${shellQuote(nasty)}`]);
    expect(stdout).toBe(nasty);
  });
});
