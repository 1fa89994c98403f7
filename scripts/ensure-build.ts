// `npm start` runs this first: a fresh clone (or changed sources) gets a production build, an
// unchanged tree starts at once.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const BUILD_ID = ".next/BUILD_ID";
const SOURCES = ["src", "public", "next.config.ts", "postcss.config.mjs", "package-lock.json", "tsconfig.json"];

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

const builtAt = fs.existsSync(BUILD_ID) ? fs.statSync(BUILD_ID).mtimeMs : 0;
const changedAt = Math.max(...SOURCES.map(newestMtime));
if (builtAt === 0 || changedAt > builtAt) {
  console.log(builtAt === 0 ? "No production build yet: building…" : "Sources changed since the last build: rebuilding…");
  execFileSync("npx", ["next", "build"], { stdio: "inherit" });
}
