// The process of `npm start` / `npm run dev`: one HTTP server on PORT for the app (Next.js), the
// tRPC WebSocket endpoint (/api/trpc-ws) and the capture endpoint, which bypasses Next
// (see src/server/http/create-app-server.ts).
import v8 from "node:v8";
import next from "next";
import { createAppContext, setAppContext, StartupError } from "~/server/app-context";
import { env, EnvError } from "~/server/env";
import { createAppServer } from "~/server/http/create-app-server";

// After each full collection V8 lets the heap grow to up to four times what survived before the
// next one. Under capture load nearly all of that growth is short-lived garbage that happened to
// outlive two scavenges, so the process sat at 420+ MB to keep about 60 MB of live data. 1.5x
// keeps it near 270 MB for the same throughput (measured: README, "Benchmarks").
v8.setFlagsFromString("--heap-growing-percent=50");

async function main() {
  let config;
  try {
    config = env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const dev = config.NODE_ENV !== "production";
  const app = await createAppContext(config);
  setAppContext(app);

  const nextApp = next({ dev, hostname: config.HOST, port: config.PORT });
  await nextApp.prepare();
  const handle = nextApp.getRequestHandler();
  // Next's own upgrades (hot reload in development) pass through untouched.
  const upgrade = nextApp.getUpgradeHandler();
  const appServer = createAppServer(app, (req, res) => handle(req, res), {
    upgradeFallback: (req, socket, head) => upgrade(req, socket, head),
  });
  const port = await appServer.listen(config.PORT, config.HOST);
  app.logger.info(
    { port, database: app.provider, bus: config.EVENT_BUS ?? (app.provider === "postgresql" ? "postgres" : "memory") },
    `WebhookDump listening on http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${port} (${dev ? "development" : "production"})`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info(`${signal}: finishing in-flight requests`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    const startedAt = performance.now();
    await appServer.close();
    const serverClosedMs = Math.round(performance.now() - startedAt);
    await app.close();
    app.logger.info({ serverClosedMs, stoppedMs: Math.round(performance.now() - startedAt) }, "stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  // Before the logger exists (configuration, migrations, the database unreachable): plain stderr.
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
});
