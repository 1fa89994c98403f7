-- Written by hand in place of the table copy the differ proposes: SQLite adds a NOT NULL column
-- with a constant default in place, without rewriting every captured body (db:check confirms the
-- result matches the schema).
-- AlterTable
ALTER TABLE "bin" ADD COLUMN "incompleteCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "captured_request" ADD COLUMN "incomplete" BOOLEAN NOT NULL DEFAULT false;
