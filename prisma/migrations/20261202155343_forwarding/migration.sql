-- CreateTable
CREATE TABLE "forward_target" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "binId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "pathMode" TEXT NOT NULL DEFAULT 'append',
    "host" TEXT NOT NULL DEFAULT 'target',
    "headers" TEXT NOT NULL DEFAULT '[]',
    "removeHeaders" TEXT NOT NULL DEFAULT '[]',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "methods" TEXT,
    "pathPrefix" TEXT,
    "concurrency" INTEGER NOT NULL DEFAULT 1,
    "timeoutMs" INTEGER NOT NULL DEFAULT 30000,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    CONSTRAINT "forward_target_binId_fkey" FOREIGN KEY ("binId") REFERENCES "bin" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "delivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "targetId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "binId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "delivery_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "forward_target" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "delivery_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "captured_request" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "delivery_attempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestId" TEXT NOT NULL,
    "binId" TEXT NOT NULL,
    "deliveryId" TEXT,
    "targetId" TEXT,
    "trigger" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "ip" TEXT,
    "startedAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "status" INTEGER,
    "headers" TEXT NOT NULL DEFAULT '[]',
    "body" BLOB NOT NULL,
    "bodyTruncated" BOOLEAN NOT NULL DEFAULT false,
    "modified" BOOLEAN NOT NULL DEFAULT false,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    CONSTRAINT "delivery_attempt_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "captured_request" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "forward_target_binId_position_idx" ON "forward_target"("binId", "position");

-- CreateIndex
CREATE INDEX "delivery_targetId_state_seq_idx" ON "delivery"("targetId", "state", "seq");

-- CreateIndex
CREATE INDEX "delivery_attempt_requestId_startedAt_idx" ON "delivery_attempt"("requestId", "startedAt");

-- CreateIndex
CREATE INDEX "delivery_attempt_binId_startedAt_idx" ON "delivery_attempt"("binId", "startedAt");
