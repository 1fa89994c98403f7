-- CreateTable
CREATE TABLE "forward_target" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "forward_target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery" (
    "id" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "binId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempt" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "binId" TEXT NOT NULL,
    "deliveryId" TEXT,
    "targetId" TEXT,
    "trigger" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "ip" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "status" INTEGER,
    "headers" TEXT NOT NULL DEFAULT '[]',
    "body" BYTEA NOT NULL,
    "bodyTruncated" BOOLEAN NOT NULL DEFAULT false,
    "modified" BOOLEAN NOT NULL DEFAULT false,
    "errorCode" TEXT,
    "errorMessage" TEXT,

    CONSTRAINT "delivery_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "forward_target_binId_position_idx" ON "forward_target"("binId", "position");

-- CreateIndex
CREATE INDEX "delivery_targetId_state_seq_idx" ON "delivery"("targetId", "state", "seq");

-- CreateIndex
CREATE INDEX "delivery_attempt_requestId_startedAt_idx" ON "delivery_attempt"("requestId", "startedAt");

-- CreateIndex
CREATE INDEX "delivery_attempt_binId_startedAt_idx" ON "delivery_attempt"("binId", "startedAt");

-- AddForeignKey
ALTER TABLE "forward_target" ADD CONSTRAINT "forward_target_binId_fkey" FOREIGN KEY ("binId") REFERENCES "bin"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_targetId_fkey" FOREIGN KEY ("targetId") REFERENCES "forward_target"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "captured_request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempt" ADD CONSTRAINT "delivery_attempt_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "captured_request"("id") ON DELETE CASCADE ON UPDATE CASCADE;
