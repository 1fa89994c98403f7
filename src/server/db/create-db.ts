import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "~/generated/prisma/client";
import { sqlitePathFromUrl } from "./sqlite-path";

export type Db = PrismaClient;

/** A Prisma client for the database behind `url`, creating the SQLite file's directory. */
export function createDb(url: string): Db {
  const file = sqlitePathFromUrl(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  // Writers wait for the lock instead of failing at once when another connection commits.
  const adapter = new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 10_000 });
  return new PrismaClient({ adapter });
}
