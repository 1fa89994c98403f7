// `npm run db:migrate`: applies pending migrations to DATABASE_URL (the server also does this on start).
import { migrateSqlite } from "~/server/db/migrate-database";
import { env } from "~/server/env";

const { applied } = migrateSqlite(env().DATABASE_URL);
console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
