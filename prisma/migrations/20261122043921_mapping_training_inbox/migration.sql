-- CreateEnum
CREATE TYPE "MappingVersionStatus" AS ENUM ('draft', 'approved');

-- CreateEnum
CREATE TYPE "Requirement" AS ENUM ('required', 'optional', 'conditional');

-- CreateEnum
CREATE TYPE "TransformType" AS ENUM ('copy', 'format_date', 'concatenate', 'split', 'lookup', 'constant', 'custom');

-- CreateEnum
CREATE TYPE "ReviewState" AS ENUM ('draft', 'in_review', 'changes_requested', 'approved');

-- CreateEnum
CREATE TYPE "CodeEquivalence" AS ENUM ('equal', 'wider', 'narrower', 'unmatched');

-- CreateEnum
CREATE TYPE "AssignmentReason" AS ENUM ('rule', 'manual', 'refresher_expiry', 'refresher_change');

-- CreateEnum
CREATE TYPE "AssignmentStatus" AS ENUM ('open', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "ReminderKind" AS ENUM ('due_7', 'due_1', 'overdue_1', 'overdue_2', 'overdue_3', 'escalation', 'refresher_due');

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "managerId" TEXT;

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "highRiskRoles" "Role"[] DEFAULT ARRAY[]::"Role"[],
ADD COLUMN     "quietHoursEnd" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "quietHoursStart" INTEGER NOT NULL DEFAULT 20;

-- CreateTable
CREATE TABLE "MappingVersion" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "interfaceId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" "MappingVersionStatus" NOT NULL DEFAULT 'draft',
    "basedOnId" TEXT,
    "notes" TEXT,
    "createdById" TEXT,
    "approvedById" TEXT,
    "approvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MappingVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MappingRow" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "lineageId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "sourceField" TEXT NOT NULL,
    "sourcePath" TEXT NOT NULL,
    "targetField" TEXT NOT NULL,
    "targetPath" TEXT NOT NULL,
    "dataType" TEXT NOT NULL,
    "requirement" "Requirement" NOT NULL DEFAULT 'optional',
    "allowedValues" TEXT,
    "usageFrequency" TEXT,
    "transformType" "TransformType" NOT NULL DEFAULT 'copy',
    "transformRule" TEXT,
    "qualityRule" TEXT,
    "notes" TEXT,
    "reviewState" "ReviewState" NOT NULL DEFAULT 'draft',
    "authorId" TEXT,
    "reviewedById" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "reviewComment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MappingRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CodeMap" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "rowId" TEXT,
    "sourceSystem" TEXT NOT NULL,
    "localCode" TEXT NOT NULL,
    "localDisplay" TEXT,
    "targetSystem" TEXT NOT NULL,
    "targetCode" TEXT,
    "targetDisplay" TEXT,
    "equivalence" "CodeEquivalence" NOT NULL DEFAULT 'unmatched',
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CodeMap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingModule" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "contentUrl" TEXT,
    "sandboxUrl" TEXT,
    "estimatedMinutes" INTEGER NOT NULL DEFAULT 30,
    "refresherMonths" INTEGER,
    "requiredForGoLive" BOOLEAN NOT NULL DEFAULT false,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingModule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingChecklistItem" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "verifierRole" "Role",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingChecklistItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingModuleSystem" (
    "organizationId" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "systemId" TEXT NOT NULL,

    CONSTRAINT "TrainingModuleSystem_pkey" PRIMARY KEY ("moduleId","systemId")
);

-- CreateTable
CREATE TABLE "TrainingRule" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "roles" "Role"[] DEFAULT ARRAY[]::"Role"[],
    "functions" "MemberFunction"[] DEFAULT ARRAY[]::"MemberFunction"[],
    "units" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "dueInDays" INTEGER NOT NULL DEFAULT 14,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingAssignment" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "membershipId" TEXT NOT NULL,
    "ruleId" TEXT,
    "reason" "AssignmentReason" NOT NULL DEFAULT 'rule',
    "reasonDetail" TEXT,
    "status" "AssignmentStatus" NOT NULL DEFAULT 'open',
    "dueAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingItemCheck" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checkedById" TEXT,
    "verifiedAt" TIMESTAMP(3),
    "verifiedById" TEXT,

    CONSTRAINT "TrainingItemCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingReminder" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "assignmentId" TEXT NOT NULL,
    "kind" "ReminderKind" NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "digestDate" TEXT,
    "emailId" TEXT,

    CONSTRAINT "TrainingReminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "membershipId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT,
    "link" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "readAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MappingVersion_organizationId_status_idx" ON "MappingVersion"("organizationId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "MappingVersion_organizationId_interfaceId_number_key" ON "MappingVersion"("organizationId", "interfaceId", "number");

-- CreateIndex
CREATE INDEX "MappingRow_organizationId_versionId_position_idx" ON "MappingRow"("organizationId", "versionId", "position");

-- CreateIndex
CREATE INDEX "MappingRow_organizationId_versionId_reviewState_idx" ON "MappingRow"("organizationId", "versionId", "reviewState");

-- CreateIndex
CREATE UNIQUE INDEX "MappingRow_versionId_lineageId_key" ON "MappingRow"("versionId", "lineageId");

-- CreateIndex
CREATE INDEX "CodeMap_organizationId_versionId_localCode_idx" ON "CodeMap"("organizationId", "versionId", "localCode");

-- CreateIndex
CREATE INDEX "CodeMap_rowId_idx" ON "CodeMap"("rowId");

-- CreateIndex
CREATE UNIQUE INDEX "CodeMap_versionId_sourceSystem_localCode_targetSystem_key" ON "CodeMap"("versionId", "sourceSystem", "localCode", "targetSystem");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingModule_organizationId_title_key" ON "TrainingModule"("organizationId", "title");

-- CreateIndex
CREATE INDEX "TrainingChecklistItem_organizationId_moduleId_position_idx" ON "TrainingChecklistItem"("organizationId", "moduleId", "position");

-- CreateIndex
CREATE INDEX "TrainingModuleSystem_organizationId_systemId_idx" ON "TrainingModuleSystem"("organizationId", "systemId");

-- CreateIndex
CREATE INDEX "TrainingRule_organizationId_moduleId_idx" ON "TrainingRule"("organizationId", "moduleId");

-- CreateIndex
CREATE INDEX "TrainingAssignment_organizationId_status_dueAt_idx" ON "TrainingAssignment"("organizationId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "TrainingAssignment_organizationId_membershipId_idx" ON "TrainingAssignment"("organizationId", "membershipId");

-- CreateIndex
CREATE INDEX "TrainingAssignment_organizationId_moduleId_idx" ON "TrainingAssignment"("organizationId", "moduleId");

-- CreateIndex
CREATE INDEX "TrainingAssignment_organizationId_expiresAt_idx" ON "TrainingAssignment"("organizationId", "expiresAt");

-- CreateIndex
CREATE INDEX "TrainingItemCheck_organizationId_idx" ON "TrainingItemCheck"("organizationId");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingItemCheck_assignmentId_itemId_key" ON "TrainingItemCheck"("assignmentId", "itemId");

-- CreateIndex
CREATE INDEX "TrainingReminder_organizationId_createdAt_idx" ON "TrainingReminder"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingReminder_assignmentId_kind_dueAt_key" ON "TrainingReminder"("assignmentId", "kind", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");

-- CreateIndex
CREATE INDEX "Notification_organizationId_membershipId_readAt_createdAt_idx" ON "Notification"("organizationId", "membershipId", "readAt", "createdAt");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_managerId_fkey" FOREIGN KEY ("managerId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MappingVersion" ADD CONSTRAINT "MappingVersion_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MappingVersion" ADD CONSTRAINT "MappingVersion_interfaceId_fkey" FOREIGN KEY ("interfaceId") REFERENCES "Interface"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MappingVersion" ADD CONSTRAINT "MappingVersion_basedOnId_fkey" FOREIGN KEY ("basedOnId") REFERENCES "MappingVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MappingVersion" ADD CONSTRAINT "MappingVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MappingVersion" ADD CONSTRAINT "MappingVersion_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MappingRow" ADD CONSTRAINT "MappingRow_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MappingRow" ADD CONSTRAINT "MappingRow_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "MappingVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MappingRow" ADD CONSTRAINT "MappingRow_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MappingRow" ADD CONSTRAINT "MappingRow_reviewedById_fkey" FOREIGN KEY ("reviewedById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodeMap" ADD CONSTRAINT "CodeMap_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodeMap" ADD CONSTRAINT "CodeMap_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "MappingVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CodeMap" ADD CONSTRAINT "CodeMap_rowId_fkey" FOREIGN KEY ("rowId") REFERENCES "MappingRow"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingModule" ADD CONSTRAINT "TrainingModule_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingChecklistItem" ADD CONSTRAINT "TrainingChecklistItem_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingChecklistItem" ADD CONSTRAINT "TrainingChecklistItem_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "TrainingModule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingModuleSystem" ADD CONSTRAINT "TrainingModuleSystem_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingModuleSystem" ADD CONSTRAINT "TrainingModuleSystem_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "TrainingModule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingModuleSystem" ADD CONSTRAINT "TrainingModuleSystem_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "System"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRule" ADD CONSTRAINT "TrainingRule_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingRule" ADD CONSTRAINT "TrainingRule_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "TrainingModule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingAssignment" ADD CONSTRAINT "TrainingAssignment_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingAssignment" ADD CONSTRAINT "TrainingAssignment_moduleId_fkey" FOREIGN KEY ("moduleId") REFERENCES "TrainingModule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingAssignment" ADD CONSTRAINT "TrainingAssignment_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingAssignment" ADD CONSTRAINT "TrainingAssignment_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "TrainingRule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingItemCheck" ADD CONSTRAINT "TrainingItemCheck_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingItemCheck" ADD CONSTRAINT "TrainingItemCheck_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "TrainingAssignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingItemCheck" ADD CONSTRAINT "TrainingItemCheck_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "TrainingChecklistItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingItemCheck" ADD CONSTRAINT "TrainingItemCheck_checkedById_fkey" FOREIGN KEY ("checkedById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingItemCheck" ADD CONSTRAINT "TrainingItemCheck_verifiedById_fkey" FOREIGN KEY ("verifiedById") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingReminder" ADD CONSTRAINT "TrainingReminder_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrainingReminder" ADD CONSTRAINT "TrainingReminder_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "TrainingAssignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_membershipId_fkey" FOREIGN KEY ("membershipId") REFERENCES "Membership"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one open assignment per member and module (refreshers come after a completion).
CREATE UNIQUE INDEX "TrainingAssignment_one_open_per_member_module"
  ON "TrainingAssignment" ("membershipId", "moduleId") WHERE "status" = 'open';

-- At most one draft mapping version per interface; an approved version is frozen (the app
-- checks first and says so; these triggers make sure no code path forgets).
CREATE UNIQUE INDEX "MappingVersion_one_draft_per_interface"
  ON "MappingVersion" ("interfaceId") WHERE "status" = 'draft';

CREATE FUNCTION mapping_refuse_frozen() RETURNS trigger AS $$
DECLARE
  v_status "MappingVersionStatus";
BEGIN
  SELECT status INTO v_status FROM "MappingVersion"
   WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD."versionId" ELSE NEW."versionId" END);
  -- A cascade from a deleted version finds no version: allowed.
  IF v_status = 'approved' THEN
    RAISE EXCEPTION 'mapping version is approved and frozen' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "MappingRow_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "MappingRow"
  FOR EACH ROW EXECUTE FUNCTION mapping_refuse_frozen();
CREATE TRIGGER "CodeMap_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "CodeMap"
  FOR EACH ROW EXECUTE FUNCTION mapping_refuse_frozen();
