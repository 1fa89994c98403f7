import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** Debian's newest installed PostgreSQL, unless POSTGRES_BIN names a bin directory. */
function postgresBin(): string {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN;
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  return path.join(root, versions[0] ?? "15", "bin");
}
const BIN = postgresBin();

export interface PrivatePostgres {
  url: string;
  /** Hard stop (immediate shutdown, like a crash or a pulled plug). */
  stop(): void;
  start(): void;
  destroy(): void;
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temp dir, a free loopback port, trust auth on
 * 127.0.0.1 only), so stopping it disturbs nothing else. initdb refuses to run as root: as root the
 * cluster runs as the `postgres` user. Returns null, naming why, where PostgreSQL's binaries or that
 * user are missing.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres | { missing: string }> {
  if (!fs.existsSync(path.join(BIN, "initdb"))) return { missing: `no PostgreSQL binaries in ${BIN} (set POSTGRES_BIN)` };
  const asRoot = process.getuid?.() === 0;
  let uid: number | undefined;
  if (asRoot) {
    try {
      uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    } catch {
      return { missing: "running as root, and there is no postgres user to run initdb as" };
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webhookdump-pg-"));
  if (uid !== undefined) fs.chownSync(dir, uid, uid);
  const run = (command: string, args: string[]) =>
    execFileSync(asRoot ? "runuser" : path.join(BIN, command), asRoot ? ["-u", "postgres", "--", path.join(BIN, command), ...args] : args, { stdio: "pipe", cwd: dir });
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const port = await freeLoopbackPort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`;
  const start = () => run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"]);
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]),
    start,
    destroy() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
