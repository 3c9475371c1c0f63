-- CreateEnum
CREATE TYPE "SystemKind" AS ENUM ('ehr', 'lis', 'ris_pacs', 'pharmacy', 'billing', 'patient_portal', 'remote_monitoring', 'integration_engine', 'analytics', 'device_gateway', 'other');

-- CreateEnum
CREATE TYPE "SystemEnvironment" AS ENUM ('production', 'test', 'sandbox');

-- CreateEnum
CREATE TYPE "Hosting" AS ENUM ('on_premises', 'private_cloud', 'vendor_hosted', 'saas');

-- CreateEnum
CREATE TYPE "Criticality" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "ConformanceResult" AS ENUM ('passed', 'passed_with_issues', 'failed');

-- CreateEnum
CREATE TYPE "InterfaceStandard" AS ENUM ('hl7v2', 'fhir', 'dicom', 'x12', 'flat_file', 'proprietary');

-- CreateEnum
CREATE TYPE "Transport" AS ENUM ('mllp', 'https_rest', 'sftp', 'dicom_dimse', 'dicomweb', 'other');

-- CreateEnum
CREATE TYPE "IntegrationApproach" AS ENUM ('point_to_point', 'via_engine', 'api_first');

-- CreateEnum
CREATE TYPE "InterfaceDirection" AS ENUM ('one_way', 'bidirectional');

-- CreateEnum
CREATE TYPE "Lifecycle" AS ENUM ('proposed', 'design', 'build', 'test', 'live', 'retired');

-- CreateTable
CREATE TABLE "System" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "SystemKind" NOT NULL,
    "vendor" TEXT,
    "product" TEXT,
    "version" TEXT,
    "environment" "SystemEnvironment" NOT NULL DEFAULT 'production',
    "hosting" "Hosting",
    "criticality" "Criticality" NOT NULL DEFAULT 'medium',
    "businessOwnerId" TEXT,
    "technicalOwnerId" TEXT,
    "notes" TEXT,
    "unitsServed" TEXT[],
    "hl7v2Versions" TEXT[],
    "fhirVersion" TEXT,
    "fhirBaseUrl" TEXT,
    "dicom" BOOLEAN NOT NULL DEFAULT false,
    "x12" BOOLEAN NOT NULL DEFAULT false,
    "capability" JSONB,
    "capabilityImportedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "System_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConformanceTest" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "systemId" TEXT NOT NULL,
    "standard" TEXT NOT NULL,
    "testedOn" DATE NOT NULL,
    "result" "ConformanceResult" NOT NULL,
    "evidenceUrl" TEXT,
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConformanceTest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Interface" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sourceSystemId" TEXT NOT NULL,
    "targetSystemId" TEXT NOT NULL,
    "standard" "InterfaceStandard" NOT NULL,
    "messageTypes" TEXT[],
    "transport" "Transport" NOT NULL,
    "approach" "IntegrationApproach" NOT NULL,
    "direction" "InterfaceDirection" NOT NULL DEFAULT 'one_way',
    "lifecycle" "Lifecycle" NOT NULL DEFAULT 'proposed',
    "criticality" "Criticality" NOT NULL DEFAULT 'medium',
    "ownerId" TEXT,
    "standardsException" TEXT,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Interface_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "System_organizationId_kind_idx" ON "System"("organizationId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "System_organizationId_name_key" ON "System"("organizationId", "name");

-- CreateIndex
CREATE INDEX "ConformanceTest_organizationId_systemId_idx" ON "ConformanceTest"("organizationId", "systemId");

-- CreateIndex
CREATE INDEX "Interface_organizationId_sourceSystemId_idx" ON "Interface"("organizationId", "sourceSystemId");

-- CreateIndex
CREATE INDEX "Interface_organizationId_targetSystemId_idx" ON "Interface"("organizationId", "targetSystemId");

-- CreateIndex
CREATE UNIQUE INDEX "Interface_organizationId_name_key" ON "Interface"("organizationId", "name");

-- AddForeignKey
ALTER TABLE "System" ADD CONSTRAINT "System_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "System" ADD CONSTRAINT "System_businessOwnerId_fkey" FOREIGN KEY ("businessOwnerId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "System" ADD CONSTRAINT "System_technicalOwnerId_fkey" FOREIGN KEY ("technicalOwnerId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConformanceTest" ADD CONSTRAINT "ConformanceTest_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConformanceTest" ADD CONSTRAINT "ConformanceTest_systemId_fkey" FOREIGN KEY ("systemId") REFERENCES "System"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interface" ADD CONSTRAINT "Interface_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interface" ADD CONSTRAINT "Interface_sourceSystemId_fkey" FOREIGN KEY ("sourceSystemId") REFERENCES "System"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interface" ADD CONSTRAINT "Interface_targetSystemId_fkey" FOREIGN KEY ("targetSystemId") REFERENCES "System"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interface" ADD CONSTRAINT "Interface_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Membership"("id") ON DELETE SET NULL ON UPDATE CASCADE;

