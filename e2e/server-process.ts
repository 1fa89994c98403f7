import { spawn, type ChildProcess } from "node:child_process";

/** A separate production server process (the bundle `npm start` runs), for tests that stop and restart it. */
export async function startServer(port: number, databaseUrl: string): Promise<ChildProcess> {
  // node itself (not npx) so that SIGTERM reaches the server, not a wrapper that outlives it.
  const child = spawn(process.execPath, ["dist/ws-server.mjs"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-0001",
      AUTH_RATE_LIMIT: "off",
      // Info level: start-up is recognised by its "WebhookDump listening" line (the output is only kept, not shown).
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("WebhookDump listening")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return child;
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}
