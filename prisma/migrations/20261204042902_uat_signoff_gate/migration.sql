-- CreateEnum
CREATE TYPE "UatPriority" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "UatEdgeCase" AS ENUM ('null_values', 'special_characters', 'unexpected_codes', 'duplicates', 'large_volume');

-- CreateEnum
CREATE TYPE "UatResult" AS ENUM ('pass', 'fail', 'blocked');

-- CreateEnum
CREATE TYPE "UatEnvironment" AS ENUM ('sandbox', 'test', 'production');

-- CreateEnum
CREATE TYPE "DefectStatus" AS ENUM ('open', 'fixed', 'verified', 'wont_fix');

-- CreateEnum
CREATE TYPE "SignoffDecision" AS ENUM ('signed', 'refused');

-- CreateEnum
CREATE TYPE "GoNoGoDecision" AS ENUM ('go', 'go_with_conditions', 'no_go');

-- CreateEnum
CREATE TYPE "PanelRole" AS ENUM ('project_accountable', 'clinical_lead', 'it', 'compliance');

-- CreateEnum
CREATE TYPE "Vote" AS ENUM ('go', 'no_go', 'abstain');

-- CreateEnum
CREATE TYPE "SnapshotKind" AS ENUM ('scheduled', 'manual', 'go_no_go');

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "reauthenticatedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "UatScenario" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "interfaceId" TEXT,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "preconditions" TEXT,
    "steps" TEXT NOT NULL,
    "expectedResult" TEXT NOT NULL,
    "edgeCases" "UatEdgeCase"[],
    "priority" "UatPriority" NOT NULL DEFAULT 'medium',
    "authorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UatScenario_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UatScenarioMappingRow" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "interfaceId" TEXT NOT NULL,
    "lineageId" TEXT NOT NULL,

    CONSTRAINT "UatScenarioMappingRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UatRun" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "result" "UatResult" NOT NULL,
    "environment" "UatEnvironment" NOT NULL,
    "testerId" TEXT,
    "notes" TEXT,
    "evidence" TEXT,
    "evidenceUrl" TEXT,
    "executedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UatRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UatDefect" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "severity" INTEGER NOT NULL,
    "status" "DefectStatus" NOT NULL DEFAULT 'open',
    "wontFixReason" TEXT,
    "ownerId" TEXT,
    "scenarioId" TEXT,
    "runId" TEXT,
    "createdById" TEXT,
    "fixedAt" TIMESTAMP(3),
    "verifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UatDefect_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UatSignoff" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "interfaceId" TEXT,
    "decision" "SignoffDecision" NOT NULL,
    "statement" TEXT NOT NULL,
    "refusalReason" TEXT,
    "content" JSONB NOT NULL,
    "contentHash" TEXT NOT NULL,
    "signerId" TEXT NOT NULL,
    "signerName" TEXT NOT NULL,
    "stepUpAt" TIMESTAMP(3) NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UatSignoff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UatSignoffScenario" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "signoffId" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,

    CONSTRAINT "UatSignoffScenario_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UatSignoffStale" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "signoffId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "staleAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UatSignoffStale_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GateOverride" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "grantedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,

    CONSTRAINT "GateOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GateExemption" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "checkKey" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "expiresOn" DATE NOT NULL,
    "grantedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,
    "expiryNotifiedAt" TIMESTAMP(3),

    CONSTRAINT "GateExemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GoNoGoMeeting" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "waveId" TEXT,
    "heldOn" DATE NOT NULL,
    "decision" "GoNoGoDecision" NOT NULL,
    "conditions" TEXT,
    "notes" TEXT,
    "snapshot" JSONB NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GoNoGoMeeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GoNoGoVote" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "panelRole" "PanelRole" NOT NULL,
    "membershipId" TEXT,
    "vote" "Vote" NOT NULL,
    "comment" TEXT,

    CONSTRAINT "GoNoGoVote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReadinessSnapshot" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "waveId" TEXT,
    "kind" "SnapshotKind" NOT NULL,
    "daysBefore" INTEGER,
    "takenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "scorePct" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "checks" JSONB NOT NULL,

    CONSTRAINT "ReadinessSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UatScenario_organizationId_projectId_interfaceId_idx" ON "UatScenario"("organizationId", "projectId", "interfaceId");

-- CreateIndex
CREATE UNIQUE INDEX "UatScenario_projectId_number_key" ON "UatScenario"("projectId", "number");

-- CreateIndex
CREATE INDEX "UatScenarioMappingRow_organizationId_interfaceId_lineageId_idx" ON "UatScenarioMappingRow"("organizationId", "interfaceId", "lineageId");

-- CreateIndex
CREATE UNIQUE INDEX "UatScenarioMappingRow_scenarioId_lineageId_key" ON "UatScenarioMappingRow"("scenarioId", "lineageId");

-- CreateIndex
CREATE INDEX "UatRun_organizationId_projectId_idx" ON "UatRun"("organizationId", "projectId");

-- CreateIndex
CREATE INDEX "UatRun_scenarioId_executedAt_idx" ON "UatRun"("scenarioId", "executedAt");

-- CreateIndex
CREATE INDEX "UatDefect_organizationId_projectId_status_idx" ON "UatDefect"("organizationId", "projectId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "UatDefect_projectId_number_key" ON "UatDefect"("projectId", "number");

-- CreateIndex
CREATE INDEX "UatSignoff_organizationId_projectId_signedAt_idx" ON "UatSignoff"("organizationId", "projectId", "signedAt");

-- CreateIndex
CREATE INDEX "UatSignoffScenario_organizationId_scenarioId_idx" ON "UatSignoffScenario"("organizationId", "scenarioId");

-- CreateIndex
CREATE UNIQUE INDEX "UatSignoffScenario_signoffId_scenarioId_key" ON "UatSignoffScenario"("signoffId", "scenarioId");

-- CreateIndex
CREATE UNIQUE INDEX "UatSignoffStale_signoffId_key" ON "UatSignoffStale"("signoffId");

-- CreateIndex
CREATE INDEX "UatSignoffStale_organizationId_idx" ON "UatSignoffStale"("organizationId");

-- CreateIndex
CREATE INDEX "GateOverride_organizationId_projectId_idx" ON "GateOverride"("organizationId", "projectId");

-- CreateIndex
CREATE INDEX "GateExemption_organizationId_projectId_idx" ON "GateExemption"("organizationId", "projectId");

-- CreateIndex
CREATE INDEX "GateExemption_expiresOn_idx" ON "GateExemption"("expiresOn");

-- CreateIndex
CREATE INDEX "GoNoGoMeeting_organizationId_projectId_idx" ON "GoNoGoMeeting"("organizationId", "projectId");

-- CreateIndex
CREATE INDEX "GoNoGoVote_organizationId_idx" ON "GoNoGoVote"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "GoNoGoVote_meetingId_panelRole_key" ON "GoNoGoVote"("meetingId", "panelRole");

-- CreateIndex
CREATE INDEX "ReadinessSnapshot_organizationId_projectId_takenAt_idx" ON "ReadinessSnapshot"("organizationId", "projectId", "takenAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReadinessSnapshot_waveId_daysBefore_key" ON "ReadinessSnapshot"("waveId", "daysBefore");

-- AddForeignKey
ALTER TABLE "UatScenario" ADD CONSTRAINT "UatScenario_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatScenario" ADD CONSTRAINT "UatScenario_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatScenario" ADD CONSTRAINT "UatScenario_interfaceId_fkey" FOREIGN KEY ("interfaceId") REFERENCES "Interface"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatScenario" ADD CONSTRAINT "UatScenario_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatScenarioMappingRow" ADD CONSTRAINT "UatScenarioMappingRow_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatScenarioMappingRow" ADD CONSTRAINT "UatScenarioMappingRow_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "UatScenario"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatRun" ADD CONSTRAINT "UatRun_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatRun" ADD CONSTRAINT "UatRun_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatRun" ADD CONSTRAINT "UatRun_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "UatScenario"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatRun" ADD CONSTRAINT "UatRun_testerId_fkey" FOREIGN KEY ("testerId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatDefect" ADD CONSTRAINT "UatDefect_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatDefect" ADD CONSTRAINT "UatDefect_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatDefect" ADD CONSTRAINT "UatDefect_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatDefect" ADD CONSTRAINT "UatDefect_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatDefect" ADD CONSTRAINT "UatDefect_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "UatScenario"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatDefect" ADD CONSTRAINT "UatDefect_runId_fkey" FOREIGN KEY ("runId") REFERENCES "UatRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatSignoff" ADD CONSTRAINT "UatSignoff_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatSignoff" ADD CONSTRAINT "UatSignoff_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatSignoff" ADD CONSTRAINT "UatSignoff_signerId_fkey" FOREIGN KEY ("signerId") REFERENCES "Membership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatSignoffScenario" ADD CONSTRAINT "UatSignoffScenario_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatSignoffScenario" ADD CONSTRAINT "UatSignoffScenario_signoffId_fkey" FOREIGN KEY ("signoffId") REFERENCES "UatSignoff"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatSignoffScenario" ADD CONSTRAINT "UatSignoffScenario_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "UatScenario"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatSignoffStale" ADD CONSTRAINT "UatSignoffStale_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UatSignoffStale" ADD CONSTRAINT "UatSignoffStale_signoffId_fkey" FOREIGN KEY ("signoffId") REFERENCES "UatSignoff"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GateOverride" ADD CONSTRAINT "GateOverride_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GateOverride" ADD CONSTRAINT "GateOverride_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GateOverride" ADD CONSTRAINT "GateOverride_grantedById_fkey" FOREIGN KEY ("grantedById") REFERENCES "Membership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GateExemption" ADD CONSTRAINT "GateExemption_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GateExemption" ADD CONSTRAINT "GateExemption_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GateExemption" ADD CONSTRAINT "GateExemption_grantedById_fkey" FOREIGN KEY ("grantedById") REFERENCES "Membership"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoNoGoMeeting" ADD CONSTRAINT "GoNoGoMeeting_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoNoGoMeeting" ADD CONSTRAINT "GoNoGoMeeting_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoNoGoMeeting" ADD CONSTRAINT "GoNoGoMeeting_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoNoGoVote" ADD CONSTRAINT "GoNoGoVote_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoNoGoVote" ADD CONSTRAINT "GoNoGoVote_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "GoNoGoMeeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GoNoGoVote" ADD CONSTRAINT "GoNoGoVote_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadinessSnapshot" ADD CONSTRAINT "ReadinessSnapshot_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReadinessSnapshot" ADD CONSTRAINT "ReadinessSnapshot_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A clinical sign-off is immutable (ADR 026): the rows of UatSignoff, the scenarios it covers
-- (UatSignoffScenario) and the record of it going stale (UatSignoffStale) are never updated
-- or deleted, by the app or by anyone else. Staleness is a new row, never a change of the
-- sign-off. A consequence: a scenario, project or organisation holding a sign-off cannot be
-- deleted (like the audit trail, the record outlives them).
-- Triggers are invisible to Prisma's schema: `migrate diff` reports no drift for them.
CREATE FUNCTION "uat_signoff_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is immutable: a sign-off is never changed or deleted (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "UatSignoff_immutable"
  BEFORE UPDATE OR DELETE ON "UatSignoff"
  FOR EACH ROW EXECUTE FUNCTION "uat_signoff_immutable"();

CREATE TRIGGER "UatSignoffScenario_immutable"
  BEFORE UPDATE OR DELETE ON "UatSignoffScenario"
  FOR EACH ROW EXECUTE FUNCTION "uat_signoff_immutable"();

CREATE TRIGGER "UatSignoffStale_immutable"
  BEFORE UPDATE OR DELETE ON "UatSignoffStale"
  FOR EACH ROW EXECUTE FUNCTION "uat_signoff_immutable"();

-- UAT runs are history: a run is never edited (a new run is recorded instead). Only the
-- foreign keys Postgres sets to NULL when a tester leaves may change.
CREATE FUNCTION "uat_run_history"() RETURNS trigger AS $$
BEGIN
  IF NEW."result" IS DISTINCT FROM OLD."result"
    OR NEW."environment" IS DISTINCT FROM OLD."environment"
    OR NEW."notes" IS DISTINCT FROM OLD."notes"
    OR NEW."evidence" IS DISTINCT FROM OLD."evidence"
    OR NEW."evidenceUrl" IS DISTINCT FROM OLD."evidenceUrl"
    OR NEW."executedAt" IS DISTINCT FROM OLD."executedAt"
    OR NEW."scenarioId" IS DISTINCT FROM OLD."scenarioId"
    OR (NEW."testerId" IS DISTINCT FROM OLD."testerId" AND NEW."testerId" IS NOT NULL)
  THEN
    RAISE EXCEPTION 'UatRun % is history: record a new run instead', OLD."id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "UatRun_history"
  BEFORE UPDATE ON "UatRun"
  FOR EACH ROW EXECUTE FUNCTION "uat_run_history"();
