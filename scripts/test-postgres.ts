/**
 * The integration suite again, on PostgreSQL: every test app gets a fresh database on the server
 * TEST_POSTGRES_URL names (an account allowed to create databases), and the multi-instance tests
 * run. Without TEST_POSTGRES_URL the run is skipped with a notice, so `npm test` still passes on a
 * machine without PostgreSQL; CI sets REQUIRE_POSTGRES=1, which turns the skip into a failure.
 */
import { spawnSync } from "node:child_process";

const url = process.env.TEST_POSTGRES_URL;
if (!url) {
  const hint = "set TEST_POSTGRES_URL=postgres://USER:PASSWORD@127.0.0.1:5432/postgres to run it";
  if (process.env.REQUIRE_POSTGRES === "1") {
    console.error(`PostgreSQL suite required (REQUIRE_POSTGRES=1) but TEST_POSTGRES_URL is not set: ${hint}`);
    process.exit(1);
  }
  console.log(`PostgreSQL suite skipped: ${hint}`);
  process.exit(0);
}

const result = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, WEBHOOKDUMP_TEST_DATABASE: "postgres" },
});
process.exit(result.status ?? 1);
