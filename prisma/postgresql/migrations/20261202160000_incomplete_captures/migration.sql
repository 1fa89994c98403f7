-- AlterTable
ALTER TABLE "bin" ADD COLUMN     "incompleteCount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "captured_request" ADD COLUMN     "incomplete" BOOLEAN NOT NULL DEFAULT false;
