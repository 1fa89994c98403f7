-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_bin" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "requestCount" INTEGER NOT NULL DEFAULT 0,
    "lastRequestAt" DATETIME,
    "responseStatus" INTEGER,
    "responseHeaders" TEXT NOT NULL DEFAULT '[]',
    "responseBody" TEXT NOT NULL DEFAULT '',
    "responseContentType" TEXT,
    "responseDelayMs" INTEGER NOT NULL DEFAULT 0,
    "maxRequests" INTEGER NOT NULL DEFAULT 1000,
    "retentionDays" INTEGER NOT NULL DEFAULT 7,
    "rateLimitPerMinute" INTEGER NOT NULL DEFAULT 600,
    "tooLargeCount" INTEGER NOT NULL DEFAULT 0,
    "rateLimitedCount" INTEGER NOT NULL DEFAULT 0,
    "prunedByCount" INTEGER NOT NULL DEFAULT 0,
    "prunedByAge" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "bin_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_bin" ("createdAt", "id", "lastRequestAt", "lastSeq", "name", "requestCount", "slug", "userId") SELECT "createdAt", "id", "lastRequestAt", "lastSeq", "name", "requestCount", "slug", "userId" FROM "bin";
DROP TABLE "bin";
ALTER TABLE "new_bin" RENAME TO "bin";
CREATE UNIQUE INDEX "bin_slug_key" ON "bin"("slug");
CREATE INDEX "bin_userId_createdAt_idx" ON "bin"("userId", "createdAt");
CREATE TABLE "new_captured_request" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "binId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "headers" TEXT NOT NULL,
    "body" BLOB NOT NULL,
    "bodySize" INTEGER NOT NULL,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "declaredSize" BIGINT,
    "contentType" TEXT,
    "ip" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "responseStatus" INTEGER NOT NULL DEFAULT 200,
    CONSTRAINT "captured_request_binId_fkey" FOREIGN KEY ("binId") REFERENCES "bin" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_captured_request" ("binId", "body", "bodySize", "contentType", "declaredSize", "headers", "id", "ip", "method", "path", "query", "receivedAt", "seq", "truncated") SELECT "binId", "body", "bodySize", "contentType", "declaredSize", "headers", "id", "ip", "method", "path", "query", "receivedAt", "seq", "truncated" FROM "captured_request";
DROP TABLE "captured_request";
ALTER TABLE "new_captured_request" RENAME TO "captured_request";
CREATE INDEX "captured_request_binId_receivedAt_idx" ON "captured_request"("binId", "receivedAt");
CREATE UNIQUE INDEX "captured_request_binId_seq_key" ON "captured_request"("binId", "seq");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
