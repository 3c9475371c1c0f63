-- CreateEnum
CREATE TYPE "ProjectStatus" AS ENUM ('planned', 'active', 'on_hold', 'done', 'cancelled');

-- CreateEnum
CREATE TYPE "ProjectPhaseKind" AS ENUM ('discovery', 'design', 'testing', 'deployment', 'maintenance');

-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('not_started', 'in_progress', 'done', 'skipped');

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "goal" TEXT NOT NULL,
    "benefits" TEXT,
    "approach" "IntegrationApproach" NOT NULL,
    "approachReason" TEXT,
    "ownerId" TEXT,
    "startDate" DATE NOT NULL,
    "targetGoLive" DATE NOT NULL,
    "status" "ProjectStatus" NOT NULL DEFAULT 'planned',
    "baselineSetAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectInterface" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "interfaceId" TEXT NOT NULL,

    CONSTRAINT "ProjectInterface_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectSystem" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "systemId" TEXT NOT NULL,

    CONSTRAINT "ProjectSystem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectPhase" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "kind" "ProjectPhaseKind" NOT NULL,
    "status" "PlanStatus" NOT NULL DEFAULT 'not_started',
    "ownerId" TEXT,
    "plannedStart" DATE,
    "plannedEnd" DATE,
    "baselineStart" DATE,
    "baselineEnd" DATE,
    "actualStart" DATE,
    "actualEnd" DATE,

    CONSTRAINT "ProjectPhase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectStep" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "standardKey" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "status" "PlanStatus" NOT NULL DEFAULT 'not_started',
    "skipReason" TEXT,
    "ownerId" TEXT,
    "plannedStart" DATE,
    "plannedEnd" DATE,
    "baselineStart" DATE,
    "baselineEnd" DATE,
    "actualStart" DATE,
    "actualEnd" DATE,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProjectStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Project_organizationId_status_idx" ON "Project"("organizationId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Project_organizationId_name_key" ON "Project"("organizationId", "name");

-- CreateIndex
CREATE INDEX "ProjectInterface_organizationId_interfaceId_idx" ON "ProjectInterface"("organizationId", "interfaceId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectInterface_projectId_interfaceId_key" ON "ProjectInterface"("projectId", "interfaceId");

-- CreateIndex
CREATE INDEX "ProjectSystem_organizationId_systemId_idx" ON "ProjectSystem"("organizationId", "systemId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectSystem_projectId_systemId_key" ON "ProjectSystem"("projectId", "systemId");

-- CreateIndex
CREATE INDEX "ProjectPhase_organizationId_idx" ON "ProjectPhase"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectPhase_projectId_kind_key" ON "ProjectPhase"("projectId", "kind");

-- CreateIndex
CREATE INDEX "ProjectStep_organizationId_ownerId_idx" ON "ProjectStep"("organizationId", "ownerId");

-- CreateIndex
CREATE INDEX "ProjectStep_phaseId_position_idx" ON "ProjectStep"("phaseId", "position");

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectInterface" ADD CONSTRAINT "ProjectInterface_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectInterface" ADD CONSTRAINT "ProjectInterface_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectInterface" ADD CONSTRAINT "ProjectInterface_interfaceId_fkey" FOREIGN KEY ("interfaceId") REFERENCES "Interface"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectSystem" ADD CONSTRAINT "ProjectSystem_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectSystem" ADD CONSTRAINT "ProjectSystem_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectSystem" ADD CONSTRAINT "ProjectSystem_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "System"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectPhase" ADD CONSTRAINT "ProjectPhase_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectPhase" ADD CONSTRAINT "ProjectPhase_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectPhase" ADD CONSTRAINT "ProjectPhase_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectStep" ADD CONSTRAINT "ProjectStep_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectStep" ADD CONSTRAINT "ProjectStep_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectStep" ADD CONSTRAINT "ProjectStep_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "ProjectPhase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectStep" ADD CONSTRAINT "ProjectStep_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

