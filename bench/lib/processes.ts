// Child processes of the benchmark: the servers under test and the load/subscriber processes.
// Every child is the real `node` process (never an npx/tsx wrapper), so its pid is the one whose
// memory is measured and the one a signal reaches; all of them are killed when the run ends.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");

/** File descriptors wanted by processes holding thousands of sockets. */
const WANTED_FD_LIMIT = 65_536;

const children = new Set<ChildProcess>();

export interface NodeChild {
  child: ChildProcess;
  pid: number;
  /** Everything the child printed so far (bounded), for error messages. */
  output(): string;
  /** Resolves when the output contains `text`; rejects if the child exits or the time runs out. */
  waitFor(text: string | RegExp, timeoutMs: number): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Open an IPC channel (process.send / "message"). */
  ipc?: boolean;
  /** Raise the open-file limit (`ulimit -n`) before node starts: for 10,000 sockets. */
  manyFiles?: boolean;
  /** Extra node flags, e.g. --max-old-space-size. */
  nodeFlags?: string[];
  /** Load TypeScript through tsx (default true); false for plain JavaScript entry points. */
  tsx?: boolean;
  /** Working directory (default: the repository root). */
  cwd?: string;
}

/** Runs `node [--import tsx] <script> ...args` from the repository root. */
export function spawnNode(script: string, args: string[] = [], options: SpawnOptions = {}): NodeChild {
  const nodeArgs = [...(options.nodeFlags ?? []), ...(options.tsx === false ? [] : ["--import", "tsx"]), script, ...args];
  const stdio: ("ignore" | "pipe" | "ipc")[] = ["ignore", "pipe", "pipe"];
  if (options.ipc) stdio.push("ipc");
  const env = { ...process.env, ...options.env };
  // `exec` keeps the pid: the shell only raises the limit and becomes node.
  const child = options.manyFiles
    ? spawn(
        "bash",
        [
          "-c",
          `ulimit -n ${WANTED_FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"`,
          "bash",
          process.execPath,
          ...nodeArgs,
        ],
        { cwd: options.cwd ?? REPO_ROOT, env, stdio },
      )
    : spawn(process.execPath, nodeArgs, { cwd: options.cwd ?? REPO_ROOT, env, stdio });
  children.add(child);
  child.once("exit", () => children.delete(child));

  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 64_000) output = output.slice(-32_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const pid = child.pid;

  return {
    child,
    pid,
    output: () => output,
    waitFor(text, timeoutMs) {
      return new Promise((resolve, reject) => {
        const found = () => (typeof text === "string" ? output.includes(text) : text.test(output));
        if (found()) return resolve(output);
        const timer = setTimeout(() => finish(new Error(`${script}: no "${String(text)}" after ${timeoutMs} ms:\n${output}`)), timeoutMs);
        const onData = () => {
          if (found()) finish(null);
        };
        const onExit = (code: number | null) => finish(new Error(`${script} exited with ${code}:\n${output}`));
        const finish = (error: Error | null) => {
          clearTimeout(timer);
          child.stdout?.off("data", onData);
          child.stderr?.off("data", onData);
          child.off("exit", onExit);
          if (error) reject(error);
          else resolve(output);
        };
        child.stdout?.on("data", onData);
        child.stderr?.on("data", onData);
        child.once("exit", onExit);
      });
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Kills every child still running (by its own pid): used on errors and on the time limit. */
export function killAllChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

/** Sends one IPC message and waits for the first reply of the given type. */
export function request<T extends { type: string }>(
  node: NodeChild,
  message: object,
  replyType: T["type"],
  timeoutMs: number,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${replyType}" reply within ${timeoutMs} ms:\n${node.output()}`)), timeoutMs);
    const onMessage = (reply: { type: string; message?: string }) => {
      if (reply.type === "error") done(new Error(reply.message ?? "child reported an error"));
      else if (reply.type === replyType) done(null, reply as T);
    };
    const onExit = (code: number | null) => done(new Error(`child exited with ${code}:\n${node.output()}`));
    const done = (error: Error | null, reply?: T) => {
      clearTimeout(timer);
      node.child.off("message", onMessage);
      node.child.off("exit", onExit);
      if (error) reject(error);
      else resolve(reply as T);
    };
    node.child.on("message", onMessage);
    node.child.once("exit", onExit);
    node.child.send(message);
  });
}

/** Resident memory (VmRSS) of a process in MiB, from /proc. */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/** Samples a process's RSS at an interval until stopped: max and mean. */
export function sampleRss(pid: number, everyMs = 200) {
  const samples: number[] = [];
  const take = () => {
    try {
      samples.push(rssMb(pid));
    } catch {
      // The process is gone; the samples taken so far stand.
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      const max = samples.length ? Math.max(...samples) : Number.NaN;
      const mean = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : Number.NaN;
      return { maxMb: max, meanMb: mean, samples: samples.length };
    },
  };
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
