-- AlterTable
ALTER TABLE "bin" ADD COLUMN "signatureConfig" TEXT;
