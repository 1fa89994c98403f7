/**
 * Offline stand-in for `prisma migrate dev --create-only` / `prisma migrate diff`.
 *
 * Prisma 7's CLI downloads a native schema engine before it can migrate, which this
 * environment cannot do. The same engine is published as WebAssembly
 * (@prisma/schema-engine-wasm, pinned in package.json) and produces the same SQL, as long
 * as it is handed a live, migration-aware driver adapter to describe databases with.
 *
 * How the diff is built:
 *   1. the existing migrations are replayed, in order, into a fresh in-memory database;
 *   2. the engine diffs that database (`schemaDatasource`, reached through the adapter)
 *      against the datamodel in the schema file (`schemaDatamodel`).
 * We replay the migrations ourselves instead of using the engine's `migrations` diff source:
 * that source sends each whole migration.sql through the adapter's `executeRaw`, which
 * better-sqlite3 rejects as soon as a file holds more than one statement ("The supplied SQL
 * string contains more than one statement"). `executeScript` is the adapter's API for that.
 *
 * Usage: npx tsx scripts/migration-diff.ts [--provider sqlite|postgresql] [--schema PATH] [--migrations DIR]
 *                                          [--check | --create NAME]
 *   (no mode)      print the SQL that would bring the migrations up to the schema
 *   --check        exit 1 and print the SQL if the migrations do not match the schema; without
 *                  --provider/--schema/--migrations, checks both providers and that their schemas
 *                  have the same models
 *   --provider     which of the repository's schema + migrations pairs to use (default sqlite)
 *   --create NAME  write <migrations>/<UTC timestamp>_<name>/migration.sql (+ migration_lock.toml)
 * Exit codes: 0 ok / no difference, 1 difference found by --check, 2 error.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { PGlite } from "@electric-sql/pglite";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPGlite } from "pglite-prisma-adapter";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as engineGlue from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { DiffParams, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

// An expected failure (bad input, bad migration, invalid schema): reported without a stack.
class CliError extends Error {}

// ---------------------------------------------------------------------------------------------
// Providers. Only the way to open an empty in-memory database differs per provider; replaying
// and diffing go through the generic driver-adapter API.
// ---------------------------------------------------------------------------------------------
type Provider = "sqlite" | "postgresql";

interface EmptyDatabase {
  factory: SqlMigrationAwareDriverAdapterFactory;
  stop(): Promise<void>;
}

async function openEmptyDatabase(provider: Provider): Promise<EmptyDatabase> {
  switch (provider) {
    case "sqlite":
      // ":memory:" gives a fresh database on every connect(); see pinnedFactory for why the
      // engine nevertheless sees the one we replayed into.
      return { factory: new PrismaBetterSqlite3({ url: ":memory:" }), stop: async () => {} };
    case "postgresql": {
      // An in-memory PostgreSQL (PGlite, WebAssembly): no server to install, the real PostgreSQL
      // parser and catalog behind the engine's introspection. Its adapter rather than
      // @prisma/adapter-pg because the engine's catalog queries return "char" columns, which
      // adapter-pg cannot read.
      const pglite = await PGlite.create();
      return {
        factory: new PrismaPGlite(pglite),
        stop: () => pglite.close(),
      };
    }
  }
}

function detectProvider(schema: string, schemaPath: string): Provider {
  const withoutComments = schema.replace(/\/\/.*$/gm, "");
  const block = /datasource\s+\w+\s*\{([^}]*)\}/.exec(withoutComments)?.[1];
  const provider = block === undefined ? undefined : /provider\s*=\s*"([^"]+)"/.exec(block)?.[1];
  if (provider === undefined) throw new CliError(`${schemaPath}: no datasource block with a provider`);
  if (provider === "sqlite") return "sqlite";
  if (provider === "postgresql" || provider === "postgres") return "postgresql";
  throw new CliError(`${schemaPath}: provider "${provider}" is not supported (sqlite, postgresql)`);
}

// Byte-for-byte what Prisma Migrate writes, so the real CLI accepts the directory later.
const lockFileContent = (provider: Provider): string =>
  `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;

// ---------------------------------------------------------------------------------------------
// Engine loading. The package's own entry (schema_engine.js) does `import * as wasm from
// "./schema_engine_bg.wasm"`, which Node 20 cannot do, so we perform the same wiring by hand:
// the wasm module imports its host functions from "./schema_engine_bg.js" (the glue), and the
// glue needs the instance's exports back through __wbg_set_wasm before __wbindgen_start.
// ---------------------------------------------------------------------------------------------
// Instantiated once per process: the glue holds a single module-level instance, and a second
// instantiation leaves it in a state that panics.
let loadedEngine: typeof engineGlue.SchemaEngine | undefined;

function loadEngine(): typeof engineGlue.SchemaEngine {
  if (loadedEngine) return loadedEngine;
  const gluePath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bytes = readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    "./schema_engine_bg.js": engineGlue,
  });
  engineGlue.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start !== "function") throw new Error("schema_engine_bg.wasm has no __wbindgen_start export");
  start();
  loadedEngine = engineGlue.SchemaEngine;
  return loadedEngine;
}

// The engine calls connect() whenever it wants "the database"; hand it the already-replayed
// connection every time, and keep it open until we are done (we dispose it ourselves).
function pinnedFactory(
  base: SqlMigrationAwareDriverAdapterFactory,
  db: SqlDriverAdapter,
): SqlMigrationAwareDriverAdapterFactory {
  const shared: SqlDriverAdapter = {
    provider: db.provider,
    adapterName: db.adapterName,
    queryRaw: (query) => db.queryRaw(query),
    executeRaw: (query) => db.executeRaw(query),
    executeScript: (script) => db.executeScript(script),
    startTransaction: (isolationLevel) => db.startTransaction(isolationLevel),
    dispose: async () => {},
  };
  const info = db.getConnectionInfo?.bind(db);
  if (info) shared.getConnectionInfo = info;
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => shared,
    connectToShadowDb: () => base.connectToShadowDb(),
  };
}

// ---------------------------------------------------------------------------------------------
// Migrations directory, read the way Prisma does: every subdirectory is a migration, ordered by
// name (localeCompare, as the CLI sorts), each with a migration.sql.
// ---------------------------------------------------------------------------------------------
interface Migration {
  name: string;
  sql: string;
}

function readMigrations(dir: string, provider: Provider): Migration[] {
  if (!existsSync(dir)) return [];
  const lockPath = path.join(dir, "migration_lock.toml");
  if (existsSync(lockPath)) {
    const locked = /provider\s*=\s*"([^"]+)"/.exec(readFileSync(lockPath, "utf8"))?.[1];
    if (locked !== undefined && locked !== provider)
      throw new CliError(
        `${lockPath} says provider "${locked}" but the schema uses "${provider}": ` +
          "a migration history cannot change provider (start a new one)",
      );
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!existsSync(file)) throw new CliError(`migration ${name} has no migration.sql (${file})`);
      return { name, sql: readFileSync(file, "utf8") };
    });
}

// Driver adapter errors carry the database's own message in `cause`; fall back to `message`.
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (typeof cause === "object" && cause !== null && "message" in cause && typeof cause.message === "string")
    return cause.message;
  return error.message;
}

// Engine errors end with a Rust span trace ("   0: schema_engine_wasm::...") that only helps
// engine developers, and refer to adapter failures as "External error id#N"; resolve those.
function engineErrorMessage(error: unknown, lookup: (id: number) => unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? `${error.code}: ` : "";
  const trimmed = raw.split(/\n\s+0: /)[0]?.trimEnd() ?? raw;
  return code + trimmed.replace(/External error id#(\d+)/g, (text, id: string) => {
    const record = lookup(Number(id));
    return record === undefined ? text : describeError(record);
  });
}

function forwardEngineLog(line: unknown): void {
  if (typeof line !== "string") return;
  try {
    const entry: unknown = JSON.parse(line);
    if (typeof entry !== "object" || entry === null || !("level" in entry)) return;
    if (entry.level !== "WARN" && entry.level !== "ERROR") return; // INFO/DEBUG are chatter
    process.stderr.write(`schema engine: ${line.trim()}\n`);
  } catch {
    process.stderr.write(`schema engine: ${line}`);
  }
}

// Prisma turns `--name` into a directory-safe slug (@sindresorhus/slugify, "_" separator,
// max 200 chars); this is the same rule for the names people actually type.
function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/&/g, " and ")
    .replace(/([A-Z]{2,})(\d+)/g, "$1 $2")
    .replace(/([a-z\d]+)([A-Z]{2,})/g, "$1 $2")
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-rt-z\d]+)/g, "$1 $2")
    .toLowerCase()
    .replace(/[^a-z\d]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
}

const displayPath = (file: string): string => {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
};

// Prisma's migration timestamp: UTC, YYYYMMDDHHMMSS.
const utcTimestamp = (): string => new Date().toISOString().replace(/\D/g, "").slice(0, 14);

// ---------------------------------------------------------------------------------------------

async function computeDiff(schemaPath: string, migrationsDir: string): Promise<{ sql: string; provider: Provider }> {
  const schema = readFileSync(schemaPath, "utf8");
  const provider = detectProvider(schema, schemaPath);
  const migrations = readMigrations(migrationsDir, provider);

  const empty = await openEmptyDatabase(provider);
  const base = empty.factory;
  const db = await base.connect();
  try {
    for (const migration of migrations) {
      try {
        await db.executeScript(migration.sql);
      } catch (error) {
        throw new CliError(`migration ${migration.name} failed to apply to an empty database: ${describeError(error)}`);
      }
    }

    const adapter = bindMigrationAwareSqlAdapterFactory(pinnedFactory(base, db));
    const SchemaEngine = loadEngine();
    const schemaName = displayPath(schemaPath); // the engine quotes it in validation errors
    const files = [{ path: schemaName, content: schema }];
    const params: DiffParams = {
      from: { tag: "schemaDatasource", files, configDir: path.dirname(schemaPath) },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: true, // makes the engine report exitCode 2 when the diff is non-empty
      filters: NO_FILTER,
    };
    const lookup = (id: number): unknown => adapter.errorRegistry.consumeError(id)?.error;
    try {
      const engine = await SchemaEngine.new({ datamodels: [[schemaName, schema]] }, forwardEngineLog, adapter);
      try {
        const result = await engine.diff(params);
        // An empty diff is still rendered as "-- This is an empty migration."; the exit code
        // is the reliable signal.
        return { sql: result.exitCode === 2 ? (result.stdout ?? "") : "", provider };
      } finally {
        engine.free();
      }
    } catch (error) {
      throw new CliError(engineErrorMessage(error, lookup));
    }
  } finally {
    await db.dispose();
    await empty.stop();
  }
}

const DEFAULT_PATHS = {
  sqlite: { schema: "prisma/schema.prisma", migrations: "prisma/migrations" },
  postgresql: { schema: "prisma/postgresql/schema.prisma", migrations: "prisma/postgresql/migrations" },
} as const;

// The model blocks of a schema by name, whitespace-normalised; comments inside count too, since
// the PostgreSQL file is meant to be a verbatim copy.
function modelBlocks(schema: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of schema.matchAll(/^(model|enum|view|type)\s+(\w+)\s*\{[\s\S]*?^\}/gm)) {
    blocks.set(`${match[1]} ${match[2]}`, match[0].replace(/\s+/g, " ").trim());
  }
  return blocks;
}

/** What differs between the models of two schemas, one line per model; empty when they agree. */
export function compareModels(sqliteSchema: string, postgresSchema: string): string[] {
  const a = modelBlocks(sqliteSchema);
  const b = modelBlocks(postgresSchema);
  const lines: string[] = [];
  for (const [name, block] of a) {
    const other = b.get(name);
    if (other === undefined) lines.push(`${name}: only in the sqlite schema`);
    else if (other !== block) lines.push(`${name}: differs`);
  }
  for (const name of b.keys()) if (!a.has(name)) lines.push(`${name}: only in the postgresql schema`);
  return lines;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      schema: { type: "string" },
      migrations: { type: "string" },
      provider: { type: "string" },
      check: { type: "boolean", default: false },
      create: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(
      "Usage: npx tsx scripts/migration-diff.ts [--provider sqlite|postgresql] [--schema PATH] [--migrations DIR] [--check | --create NAME]\n",
    );
    return 0;
  }
  if (values.check && values.create !== undefined) throw new CliError("--check and --create are exclusive");
  const name = values.create === undefined ? undefined : slugify(values.create);
  if (name === "") throw new CliError("--create needs a name with at least one letter or digit");

  if (values.provider !== undefined && values.provider !== "sqlite" && values.provider !== "postgresql")
    throw new CliError(`--provider must be sqlite or postgresql, not "${values.provider}"`);
  const explicit = values.schema !== undefined || values.migrations !== undefined;

  // `--check` alone checks the whole repository: each provider's migrations against its schema,
  // and the two schemas against each other.
  if (values.check && !explicit && values.provider === undefined) {
    let failed = false;
    for (const provider of ["sqlite", "postgresql"] as const) {
      const { schema, migrations } = DEFAULT_PATHS[provider];
      const { sql } = await computeDiff(path.join(REPO_ROOT, schema), path.join(REPO_ROOT, migrations));
      if (sql === "") process.stdout.write(`${provider}: migrations match schema\n`);
      else {
        failed = true;
        process.stdout.write(sql);
        process.stderr.write(`\n${provider}: migrations do not match ${schema}: create a migration with --provider ${provider} --create NAME\n`);
      }
    }
    const disagreements = compareModels(
      readFileSync(path.join(REPO_ROOT, DEFAULT_PATHS.sqlite.schema), "utf8"),
      readFileSync(path.join(REPO_ROOT, DEFAULT_PATHS.postgresql.schema), "utf8"),
    );
    if (disagreements.length === 0) process.stdout.write("sqlite and postgresql schemas have the same models\n");
    else {
      failed = true;
      process.stderr.write(
        `the schemas disagree (${DEFAULT_PATHS.sqlite.schema} vs ${DEFAULT_PATHS.postgresql.schema}):\n` +
          disagreements.map((line) => `  ${line}\n`).join(""),
      );
    }
    return failed ? 1 : 0;
  }

  // Defaults are anchored to the repository, explicit paths to the current directory.
  const defaults = DEFAULT_PATHS[values.provider ?? "sqlite"];
  const schemaPath = path.resolve(values.schema ?? path.join(REPO_ROOT, defaults.schema));
  const migrationsDir = path.resolve(values.migrations ?? path.join(REPO_ROOT, defaults.migrations));
  if (!existsSync(schemaPath)) throw new CliError(`schema not found: ${schemaPath}`);

  const { sql, provider } = await computeDiff(schemaPath, migrationsDir);

  if (values.check) {
    if (sql === "") {
      process.stdout.write("migrations match schema\n");
      return 0;
    }
    process.stdout.write(sql);
    process.stderr.write("\nmigrations do not match schema: create a migration with --create NAME\n");
    return 1;
  }

  if (name !== undefined) {
    if (sql === "") {
      process.stdout.write("no changes: migrations already match schema, nothing written\n");
      return 0;
    }
    const dir = path.join(migrationsDir, `${utcTimestamp()}_${name}`);
    if (existsSync(dir)) throw new CliError(`migration directory already exists: ${dir}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    // Prisma rewrites the lock file on every created migration; readMigrations checked the provider.
    writeFileSync(path.join(migrationsDir, "migration_lock.toml"), lockFileContent(provider));
    process.stdout.write(`created ${displayPath(path.join(dir, "migration.sql"))}\n`);
    return 0;
  }

  process.stdout.write(sql === "" ? "-- This is an empty migration.\n" : sql);
  return 0;
}

// exitCode rather than exit(): lets a piped stdout finish flushing on platforms where pipe
// writes are asynchronous.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const detail = error instanceof Error && !(error instanceof CliError) && process.env.DEBUG ? error.stack : undefined;
    process.stderr.write(`migration-diff: ${detail ?? (error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 2;
  },
);
