// The CLI as a user runs it: packed with `npm pack`, installed from the tarball into a temporary
// prefix, run as a child process against a real server and local target servers on 127.0.0.1.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureRaw, mintToken, restClient } from "~/server/delivery/delivery-test-helpers";
import { startLocalTarget, type LocalTarget, type ReceivedRequest } from "~/test/local-target";
import { signUp, startTestServer, type TestServer } from "~/test/test-app";

const cliDir = path.resolve(import.meta.dirname, "..");
let tmp: string;
let bin: string;
let server: TestServer;
let token: string;
let rest: ReturnType<typeof restClient>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-cli-"));
  // `npm pack` runs the package's prepack (the esbuild bundle); the tarball installs with no network.
  const packed = execFileSync("npm", ["pack", cliDir, "--pack-destination", tmp, "--silent"], { cwd: tmp, encoding: "utf8" }).trim().split("\n").at(-1) as string;
  const prefix = path.join(tmp, "prefix");
  execFileSync("npm", ["install", "-g", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", path.join(tmp, packed)], { stdio: "pipe" });
  bin = path.join(prefix, "bin", "webhookdump");
  server = await startTestServer();
  const { cookie } = await signUp(server.url);
  token = await mintToken(server.url, cookie);
  rest = restClient(server.url, token);
}, 120_000);

afterAll(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr has matched. */
  output(pattern: RegExp): Promise<void>;
  exit: Promise<number | null>;
}

/** Runs the installed CLI; by default logged in through the environment, with its own config dir. */
function run(args: string[], env: Record<string, string> = {}): Run {
  const childEnv: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH, HOME: tmp, XDG_CONFIG_HOME: path.join(tmp, "config"), WEBHOOKDUMP_URL: server.url, WEBHOOKDUMP_TOKEN: token, ...env };
  const child: ChildProcess = spawn(bin, args, { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const watchers: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const watcher of [...watchers]) {
      if (watcher.pattern.test(out) || watcher.pattern.test(err)) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve();
      }
    }
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    check();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
    check();
  });
  const exit = new Promise<number | null>((resolve) => child.on("close", (code: number | null) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    output: (pattern) =>
      new Promise<void>((resolve, reject) => {
        watchers.push({ pattern, resolve });
        check();
        void exit.then(() => setTimeout(() => reject(new Error(`exited before ${pattern}: ${out}\n${err}`)), 50));
      }),
    exit,
  };
}

async function newBin(name: string): Promise<{ id: string; slug: string }> {
  return (await rest("POST", "/bins", { name })).json as { id: string; slug: string };
}

const header = (request: ReceivedRequest, name: string) => request.headers.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
const numbers = (target: LocalTarget) => target.received.map((request) => Number(header(request, "X-N")[0]));

// Child processes on a shared 2-core machine: give each test room beyond the 20 s default.
describe("webhookdump CLI (installed from npm pack)", { timeout: 60_000 }, () => {
  it("prints its version and help, and rejects a bad command line with exit 2", async () => {
    const [version, help, bad, unknown, noToken] = [
      run(["--version"]),
      run(["forward", "--help"]),
      run(["forward", "some-bin", "--to", "ftp://x"]),
      run(["forward", "x", "--to", "http://127.0.0.1:1", "--frobnicate"]),
      run(["login", "--server", "http://127.0.0.1:1"]),
    ];
    expect(await version.exit).toBe(0);
    expect(version.stdout().trim()).toBe("0.1.0");
    expect(await help.exit).toBe(0);
    expect(help.stdout()).toContain("--from now|last|SEQ");
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toContain("--to must be http:// or https://");
    expect(await unknown.exit).toBe(2);
    expect(unknown.stderr()).toContain("frobnicate");
    // No --token and no terminal to ask on (stdin is not a TTY here).
    expect(await noToken.exit).toBe(2);
    expect(noToken.stderr()).toContain("stdin is not a terminal");
  });

  it("login checks the token and writes config.json with mode 0600; a wrong token exits 3 and saves nothing", async () => {
    const config = path.join(tmp, "login-config");
    const env = { XDG_CONFIG_HOME: config, WEBHOOKDUMP_URL: "", WEBHOOKDUMP_TOKEN: "" };
    const wrong = run(["login", "--server", server.url, "--token", "whd_wrong"], env);
    const noLogin = run(["bins"], { XDG_CONFIG_HOME: path.join(tmp, "empty"), WEBHOOKDUMP_URL: "", WEBHOOKDUMP_TOKEN: "" });
    expect(await wrong.exit).toBe(3);
    expect(await noLogin.exit).toBe(3);
    expect(noLogin.stderr()).toContain("not logged in");
    expect(fs.existsSync(path.join(config, "webhookdump", "config.json"))).toBe(false);
    const ok = run(["login", "--server", server.url, "--token", token], env);
    expect(await ok.exit).toBe(0);
    const file = path.join(config, "webhookdump", "config.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({ server: server.url, token });
    // The saved login is what later commands use.
    const created = run(["bins", "create", "from-login", "--slug", `login-${Date.now()}`], env);
    expect(await created.exit).toBe(0);
    expect(created.stdout()).toMatch(/\/b\/login-\d+\n$/);
    const listed = run(["bins"], env);
    expect(await listed.exit).toBe(0);
    expect(listed.stdout()).toContain("from-login");
  });

  it("forwards 200 captures once each, in order, byte-exact, and reports each as a cli attempt", async () => {
    const target = await startLocalTarget();
    const hooks = await newBin("forward-200");
    const forward = run(["forward", hooks.slug, "--to", `${target.url}/webhooks`, "--json"]);
    try {
      await forward.output(/forwarding/);
      const sent: { body: Buffer; at: number }[] = [];
      const ids: string[] = [];
      // 100 captures a second, as a busy webhook sender would (and as the benchmark measures).
      const startedAt = performance.now();
      for (let n = 0; n < 200; n += 1) {
        const due = startedAt + n * 10 - performance.now();
        if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
        const body = Buffer.from(Array.from({ length: 32 + (n % 7) * 100 }, (_, i) => (i * 31 + n) % 256));
        ids.push(
          await captureRaw(server.url, `/b/${hooks.slug}/stripe/${n}?b=2&a=1&n=${n}`, {
            headers: [["X-N", String(n)], ["X-Dup", "first"], ["Content-Type", "application/octet-stream"], ["X-Dup", "second"]],
            body,
          }),
        );
        sent.push({ body, at: performance.now() });
      }
      await target.until(200);
      await forward.output(/"seq":200,/);
      expect(target.received).toHaveLength(200);
      expect(numbers(target)).toEqual(Array.from({ length: 200 }, (_, n) => n));
      target.received.forEach((request, n) => {
        expect(request.method).toBe("POST");
        expect(request.url).toBe(`/webhooks/stripe/${n}?b=2&a=1&n=${n}`);
        expect(request.body.equals(sent[n]?.body as Buffer)).toBe(true);
        expect(header(request, "X-Dup")).toEqual(["first", "second"]);
        expect(request.headers.findIndex(([name]) => name === "X-N")).toBeLessThan(request.headers.findIndex(([name]) => name === "X-Dup"));
      });
      const lines = forward.stdout().trim().split("\n").map((line) => JSON.parse(line) as { seq: number; status: number });
      expect(lines.map((line) => line.seq)).toEqual(Array.from({ length: 200 }, (_, n) => n + 1));
      await expect
        .poll(async () => ((await rest("GET", `/requests/${ids[199]}/attempts`)).json as { attempts: unknown[] }).attempts)
        .toMatchObject([{ trigger: "cli", status: 200, url: `${target.url}/webhooks/stripe/199?b=2&a=1&n=199` }]);
    } finally {
      forward.child.kill("SIGINT");
      expect(await forward.exit).toBe(130);
      await target.close();
    }
  });

  it("killed mid-stream (SIGKILL), restarted: the 50 captures made while it was down arrive once each, in order", async () => {
    const target = await startLocalTarget();
    const hooks = await newBin("resume");
    const args = ["forward", hooks.slug, "--to", target.url];
    const first = run(args);
    await first.output(/forwarding/);
    for (let n = 0; n < 20; n += 1) await captureRaw(server.url, `/b/${hooks.slug}/e`, { headers: [["X-N", String(n)]], body: `event ${n}` });
    await target.until(5);
    first.child.kill("SIGKILL");
    await first.exit;
    for (let n = 20; n < 70; n += 1) await captureRaw(server.url, `/b/${hooks.slug}/e`, { headers: [["X-N", String(n)]], body: `event ${n}` });
    const second = run(args);
    try {
      await second.output(/forwarding/);
      await expect.poll(() => new Set(numbers(target)).size, { timeout: 15_000 }).toBe(70);
      await second.output(/#70 POST/);
      const got = numbers(target);
      // Each of the 50 exactly once and in order; before the kill, at-least-once: the delivery in
      // flight when it was killed (sent, position not yet saved) may come a second time.
      const late = got.filter((n) => n >= 20);
      expect(late).toEqual(Array.from({ length: 50 }, (_, i) => i + 20));
      expect(got.length - 70).toBeLessThanOrEqual(1);
      expect(got.findIndex((n) => n === 20)).toBeGreaterThan(got.lastIndexOf(19));
    } finally {
      second.child.kill("SIGINT");
      await second.exit;
      await target.close();
    }
  });

  it("holds deliveries while the target is down (closed port), then delivers them in order when it is back", async () => {
    const down = await startLocalTarget();
    const port = down.port;
    await down.close();
    const hooks = await newBin("target-down");
    // --retries 1: a refused connection holds the queue however many retries 5xx answers get.
    const forward = run(["forward", hooks.slug, "--to", `http://127.0.0.1:${port}/hooks`, "--retries", "1"]);
    let target: LocalTarget | null = null;
    try {
      await forward.output(/forwarding/);
      for (let n = 0; n < 5; n += 1) await captureRaw(server.url, `/b/${hooks.slug}/x`, { headers: [["X-N", String(n)]] });
      await forward.output(new RegExp(`waiting for 127\\.0\\.0\\.1:${port} \\(connection refused\\); #1 held`));
      const downSince = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect(forward.stdout()).toBe("");
      target = await startLocalTarget(undefined, { port });
      await target.until(5);
      await forward.output(/#5 POST \/hooks\/x → 200/);
      expect(numbers(target)).toEqual([0, 1, 2, 3, 4]);
      expect(Date.now() - downSince).toBeGreaterThanOrEqual(5_000);
      expect(forward.stdout()).toMatch(/^#1 POST \/hooks\/x → 200 \d+ ms$/m);
    } finally {
      forward.child.kill("SIGINT");
      await forward.exit;
      await target?.close();
    }
  });

  it("wait prints the first matching request captured after it started, and exits 5 on timeout", async () => {
    const hooks = await newBin("wait");
    const before = await captureRaw(server.url, `/b/${hooks.slug}/orders`, { method: "PUT", body: "paid before" });
    const waiting = run(["wait", hooks.slug, "--method", "put", "--path", "/orders", "--contains", "paid", "--timeout", "20s"]);
    await waiting.output(/waiting up to 20 s/);
    await captureRaw(server.url, `/b/${hooks.slug}/orders`, { method: "POST", body: "paid" });
    await captureRaw(server.url, `/b/${hooks.slug}/orders`, { method: "PUT", body: "pending" });
    const match = await captureRaw(server.url, `/b/${hooks.slug}/orders/9`, { method: "PUT", body: "paid" });
    expect(await waiting.exit).toBe(0);
    const printed = JSON.parse(waiting.stdout()) as { id: string; bodyBase64: string };
    expect(printed.id).toBe(match);
    expect(printed.id).not.toBe(before);
    expect(Buffer.from(printed.bodyBase64, "base64").toString()).toBe("paid");

    const started = Date.now();
    const timesOut = run(["wait", hooks.slug, "--timeout", "1s"]);
    expect(await timesOut.exit).toBe(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(timesOut.stdout()).toBe("");
    const unknownBin = run(["wait", "no-such-bin", "--timeout", "1s"]);
    expect(await unknownBin.exit).toBe(4);
  });

  it("replay sends one stored request from the laptop and records a cli attempt", async () => {
    const target = await startLocalTarget(() => ({ status: 202, body: "accepted" }));
    try {
      const hooks = await newBin("replay");
      const id = await captureRaw(server.url, `/b/${hooks.slug}/gh?x=1`, { headers: [["X-GitHub-Event", "push"]], body: Buffer.from([1, 2, 3, 0, 255]) });
      const replay = run(["replay", id, "--to", target.url, "-H", "X-Extra: yes"]);
      expect(await replay.exit).toBe(0);
      expect(replay.stdout()).toMatch(/^#1 POST \/gh\?x=1 → 202 \d+ ms/);
      expect(target.received[0]?.body.equals(Buffer.from([1, 2, 3, 0, 255]))).toBe(true);
      expect(header(target.received[0] as ReceivedRequest, "X-Extra")).toEqual(["yes"]);
      const { attempts } = (await rest("GET", `/requests/${id}/attempts`)).json as { attempts: { trigger: string; status: number; modified: boolean }[] };
      expect(attempts).toMatchObject([{ trigger: "cli", status: 202, modified: true }]);
      const refused = run(["replay", id, "--to", "http://127.0.0.1:9/"]);
      expect(await refused.exit).toBe(6);
    } finally {
      await target.close();
    }
  });

  it("reaches the server through HTTP_PROXY (a CONNECT tunnel), and directly when NO_PROXY names it", async () => {
    const tunnels: string[] = [];
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = net.connect(Number(port), host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    try {
      const viaProxy = run(["bins"], { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl });
      expect(await viaProxy.exit).toBe(0);
      expect(tunnels).toEqual([new URL(server.url).host]);
      const direct = run(["bins"], { HTTP_PROXY: proxyUrl, NO_PROXY: "127.0.0.1" });
      expect(await direct.exit).toBe(0);
      expect(tunnels).toHaveLength(1);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("Ctrl-C while a delivery is held exits 130 without passing it; the next start delivers it", async () => {
    const down = await startLocalTarget();
    const port = down.port;
    await down.close();
    const hooks = await newBin("ctrl-c");
    const args = ["forward", hooks.slug, "--to", `http://127.0.0.1:${port}`];
    const first = run(args);
    await first.output(/forwarding/);
    await captureRaw(server.url, `/b/${hooks.slug}/a`, { headers: [["X-N", "0"]] });
    await captureRaw(server.url, `/b/${hooks.slug}/b`, { headers: [["X-N", "1"]] });
    await first.output(/#1 held/);
    first.child.kill("SIGINT");
    expect(await first.exit).toBe(130);
    expect(first.stderr()).toContain("position #0 saved");
    const target = await startLocalTarget(undefined, { port });
    const second = run(args);
    try {
      await target.until(2);
      expect(numbers(target)).toEqual([0, 1]);
    } finally {
      second.child.kill("SIGINT");
      expect(await second.exit).toBe(130);
      await target.close();
    }
    expect(second.stderr()).toContain("position #2 saved");
  });

  it("tail prints each capture as it arrives", async () => {
    const hooks = await newBin("tail");
    const tail = run(["tail", hooks.slug, "--json"]);
    try {
      await tail.output(/following/);
      await captureRaw(server.url, `/b/${hooks.slug}/one?x=1`, { body: "1" });
      await captureRaw(server.url, `/b/${hooks.slug}/two`, { method: "PUT", body: "22" });
      await tail.output(/"seq":2/);
      const lines = tail.stdout().trim().split("\n").map((line) => JSON.parse(line) as { seq: number; method: string; path: string; query: string; bodySize: number });
      expect(lines).toMatchObject([
        { seq: 1, method: "POST", path: "/one", query: "x=1", bodySize: 1 },
        { seq: 2, method: "PUT", path: "/two", bodySize: 2 },
      ]);
    } finally {
      tail.child.kill("SIGINT");
      expect(await tail.exit).toBe(130);
    }
  });
});
