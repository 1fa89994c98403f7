import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeDatabaseUrl } from "./create-db";

describe("describeDatabaseUrl", () => {
  it("names a PostgreSQL server and database without the credentials", () => {
    const text = describeDatabaseUrl("postgres://webhookdump:s3cret@db.internal:5433/hooks?sslmode=require");
    expect(text).toBe("PostgreSQL at db.internal:5433/hooks");
    expect(text).not.toContain("s3cret");
  });

  it("names a SQLite file by its absolute path", () => {
    expect(describeDatabaseUrl("file:./data/x.db")).toBe(`SQLite file ${path.resolve("data/x.db")}`);
  });
});
