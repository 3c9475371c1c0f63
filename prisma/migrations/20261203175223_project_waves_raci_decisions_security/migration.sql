-- CreateEnum
CREATE TYPE "WaveKind" AS ENUM ('pilot', 'expansion');

-- CreateEnum
CREATE TYPE "WaveStatus" AS ENUM ('planned', 'live');

-- CreateEnum
CREATE TYPE "RaciActivityKind" AS ENUM ('step', 'interface', 'custom');

-- CreateEnum
CREATE TYPE "RaciCategory" AS ENUM ('planning', 'design', 'testing', 'deployment', 'operations', 'security', 'other');

-- CreateEnum
CREATE TYPE "RaciLetter" AS ENUM ('R', 'A', 'C', 'I');

-- CreateEnum
CREATE TYPE "DecisionStatus" AS ENUM ('proposed', 'accepted', 'superseded', 'rejected');

-- CreateEnum
CREATE TYPE "SecurityItemKind" AS ENUM ('tls', 'encryption_at_rest', 'access_control', 'audit_logging', 'oauth_smart', 'baa', 'risk_review');

-- CreateEnum
CREATE TYPE "SecurityItemStatus" AS ENUM ('open', 'in_progress', 'done', 'not_applicable');

-- CreateTable
CREATE TABLE "ProjectWave" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "kind" "WaveKind" NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "units" TEXT[],
    "goLive" DATE,
    "status" "WaveStatus" NOT NULL DEFAULT 'planned',
    "wentLiveOn" DATE,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProjectWave_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectWaveMember" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "waveId" TEXT NOT NULL,
    "membershipId" TEXT NOT NULL,

    CONSTRAINT "ProjectWaveMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RaciActivity" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "kind" "RaciActivityKind" NOT NULL,
    "stepId" TEXT,
    "interfaceId" TEXT,
    "title" TEXT,
    "category" "RaciCategory" NOT NULL,
    "dueDate" DATE,
    "position" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RaciActivity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RaciAssignment" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "membershipId" TEXT,
    "function" "MemberFunction",
    "letter" "RaciLetter" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RaciAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectDecision" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "rationale" TEXT,
    "alternatives" TEXT,
    "ownerId" TEXT,
    "decidedOn" DATE,
    "status" "DecisionStatus" NOT NULL DEFAULT 'proposed',
    "supersedesId" TEXT,
    "activityId" TEXT,
    "interfaceId" TEXT,
    "createdById" TEXT,
    "acceptedById" TEXT,
    "acceptedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProjectDecision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SecurityAssessment" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "attestedById" TEXT,
    "attestedAt" TIMESTAMP(3),
    "attestationNote" TEXT,
    "reopenedAt" TIMESTAMP(3),
    "reopenReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SecurityAssessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SecurityItem" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "assessmentId" TEXT NOT NULL,
    "kind" "SecurityItemKind" NOT NULL,
    "vendorKey" TEXT NOT NULL DEFAULT '',
    "vendor" TEXT,
    "status" "SecurityItemStatus" NOT NULL DEFAULT 'open',
    "evidence" TEXT,
    "evidenceUrl" TEXT,
    "completedById" TEXT,
    "completedAt" TIMESTAMP(3),
    "reopenedAt" TIMESTAMP(3),
    "outOfScope" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SecurityItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarFeed" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "membershipId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "CalendarFeed_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProjectWave_organizationId_projectId_idx" ON "ProjectWave"("organizationId", "projectId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectWave_projectId_name_key" ON "ProjectWave"("projectId", "name");

-- CreateIndex
CREATE INDEX "ProjectWaveMember_organizationId_membershipId_idx" ON "ProjectWaveMember"("organizationId", "membershipId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectWaveMember_waveId_membershipId_key" ON "ProjectWaveMember"("waveId", "membershipId");

-- CreateIndex
CREATE UNIQUE INDEX "RaciActivity_stepId_key" ON "RaciActivity"("stepId");

-- CreateIndex
CREATE INDEX "RaciActivity_organizationId_projectId_idx" ON "RaciActivity"("organizationId", "projectId");

-- CreateIndex
CREATE UNIQUE INDEX "RaciActivity_projectId_interfaceId_key" ON "RaciActivity"("projectId", "interfaceId");

-- CreateIndex
CREATE INDEX "RaciAssignment_organizationId_membershipId_idx" ON "RaciAssignment"("organizationId", "membershipId");

-- CreateIndex
CREATE INDEX "RaciAssignment_projectId_idx" ON "RaciAssignment"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "RaciAssignment_activityId_membershipId_key" ON "RaciAssignment"("activityId", "membershipId");

-- CreateIndex
CREATE UNIQUE INDEX "RaciAssignment_activityId_function_key" ON "RaciAssignment"("activityId", "function");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectDecision_supersedesId_key" ON "ProjectDecision"("supersedesId");

-- CreateIndex
CREATE INDEX "ProjectDecision_organizationId_projectId_idx" ON "ProjectDecision"("organizationId", "projectId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectDecision_projectId_number_key" ON "ProjectDecision"("projectId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "SecurityAssessment_projectId_key" ON "SecurityAssessment"("projectId");

-- CreateIndex
CREATE INDEX "SecurityAssessment_organizationId_idx" ON "SecurityAssessment"("organizationId");

-- CreateIndex
CREATE INDEX "SecurityItem_organizationId_projectId_idx" ON "SecurityItem"("organizationId", "projectId");

-- CreateIndex
CREATE UNIQUE INDEX "SecurityItem_projectId_kind_vendorKey_key" ON "SecurityItem"("projectId", "kind", "vendorKey");

-- CreateIndex
CREATE UNIQUE INDEX "CalendarFeed_tokenHash_key" ON "CalendarFeed"("tokenHash");

-- CreateIndex
CREATE INDEX "CalendarFeed_organizationId_membershipId_idx" ON "CalendarFeed"("organizationId", "membershipId");

-- AddForeignKey
ALTER TABLE "ProjectWave" ADD CONSTRAINT "ProjectWave_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectWave" ADD CONSTRAINT "ProjectWave_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectWaveMember" ADD CONSTRAINT "ProjectWaveMember_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectWaveMember" ADD CONSTRAINT "ProjectWaveMember_waveId_fkey" FOREIGN KEY ("waveId") REFERENCES "ProjectWave"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectWaveMember" ADD CONSTRAINT "ProjectWaveMember_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RaciActivity" ADD CONSTRAINT "RaciActivity_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RaciActivity" ADD CONSTRAINT "RaciActivity_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RaciActivity" ADD CONSTRAINT "RaciActivity_stepId_fkey" FOREIGN KEY ("stepId") REFERENCES "ProjectStep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RaciActivity" ADD CONSTRAINT "RaciActivity_interfaceId_fkey" FOREIGN KEY ("interfaceId") REFERENCES "Interface"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RaciAssignment" ADD CONSTRAINT "RaciAssignment_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RaciAssignment" ADD CONSTRAINT "RaciAssignment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RaciAssignment" ADD CONSTRAINT "RaciAssignment_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "RaciActivity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RaciAssignment" ADD CONSTRAINT "RaciAssignment_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDecision" ADD CONSTRAINT "ProjectDecision_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDecision" ADD CONSTRAINT "ProjectDecision_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDecision" ADD CONSTRAINT "ProjectDecision_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDecision" ADD CONSTRAINT "ProjectDecision_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDecision" ADD CONSTRAINT "ProjectDecision_acceptedById_fkey" FOREIGN KEY ("acceptedById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDecision" ADD CONSTRAINT "ProjectDecision_supersedesId_fkey" FOREIGN KEY ("supersedesId") REFERENCES "ProjectDecision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDecision" ADD CONSTRAINT "ProjectDecision_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "RaciActivity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDecision" ADD CONSTRAINT "ProjectDecision_interfaceId_fkey" FOREIGN KEY ("interfaceId") REFERENCES "Interface"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityAssessment" ADD CONSTRAINT "SecurityAssessment_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityAssessment" ADD CONSTRAINT "SecurityAssessment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityAssessment" ADD CONSTRAINT "SecurityAssessment_attestedById_fkey" FOREIGN KEY ("attestedById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityItem" ADD CONSTRAINT "SecurityItem_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityItem" ADD CONSTRAINT "SecurityItem_assessmentId_fkey" FOREIGN KEY ("assessmentId") REFERENCES "SecurityAssessment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SecurityItem" ADD CONSTRAINT "SecurityItem_completedById_fkey" FOREIGN KEY ("completedById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CalendarFeed" ADD CONSTRAINT "CalendarFeed_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

