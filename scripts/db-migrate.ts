// `npm run db:migrate`: applies pending migrations to DATABASE_URL, SQLite or PostgreSQL (the server
// also does this on start; several instances starting at once apply each migration once).
import { migrateDatabase } from "~/server/db/migrate-database";
import { env } from "~/server/env";

const { applied } = await migrateDatabase(env().DATABASE_URL);
console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
