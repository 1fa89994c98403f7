// Bundles cli/src into one self-contained file (no runtime dependencies), using the esbuild of the
// repository root: the CLI is built from a clone, where the root's node_modules are installed.
import { chmodSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = path.resolve(cliDir, "..");
const require = createRequire(path.join(root, "package.json"));
let esbuild;
try {
  esbuild = require("esbuild");
} catch {
  console.error("esbuild not found: run `npm install` at the repository root first, then build the CLI.");
  process.exit(1);
}
const outfile = path.join(cliDir, "dist", "webhookdump.mjs");
await esbuild.build({
  entryPoints: [path.join(cliDir, "src", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  alias: { "~": path.join(root, "src") },
  tsconfig: path.join(cliDir, "tsconfig.json"),
  // Some bundled CommonJS packages call require() for node builtins.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: "none",
  logLevel: "warning",
});
chmodSync(outfile, 0o755);
console.log(`built ${path.relative(process.cwd(), outfile)}`);
