// `npm start` runs this first: a fresh clone (or changed sources) gets a production build, an
// unchanged tree starts at once. Two outputs: Next's build in .next/ and the server entry point
// bundled to dist/ws-server.mjs (plain Node runs it: no TypeScript loader in production, which
// saves about 80 MB of resident memory).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const NEXT_BUILD_ID = ".next/BUILD_ID";
export const SERVER_BUNDLE = "dist/ws-server.mjs";
const APP_SOURCES = ["src", "public", "next.config.ts", "postcss.config.mjs", "package-lock.json", "tsconfig.json"];
const SERVER_SOURCES = ["ws-server.ts", "src/server", "src/generated", "package-lock.json"];

// Tests are not part of the build: editing one must not trigger a rebuild.
const isTestFile = (entry: string) => entry.endsWith(".test.ts") || entry.split(path.sep).includes("test");

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry) || isTestFile(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(entry)
    .reduce((newest, child) => Math.max(newest, newestMtime(path.join(entry, child))), stat.mtimeMs);
}

const builtAt = (file: string) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
const stale = (output: string, sources: string[]) => builtAt(output) === 0 || Math.max(...sources.map(newestMtime)) > builtAt(output);

if (stale(NEXT_BUILD_ID, APP_SOURCES)) {
  console.log(builtAt(NEXT_BUILD_ID) === 0 ? "No production build yet: building…" : "Sources changed since the last build: rebuilding…");
  execFileSync("npx", ["next", "build"], { stdio: "inherit" });
}
if (stale(SERVER_BUNDLE, SERVER_SOURCES)) {
  await build({
    entryPoints: ["ws-server.ts"],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    alias: { "~": "./src" },
    sourcemap: true,
    logLevel: "warning",
  });
  console.log(`Bundled the server to ${SERVER_BUNDLE}`);
}
