import type { Prisma } from '#app/generated/prisma/client.ts'
import { pageCountOf, pageWindow } from '#app/utils/list.ts'
import type { ConformanceResult } from '#app/models/inventory/vocabulary.ts'
import { dbOf, inTx, prisma, type Db, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { fhirVersionKey, type CapabilitySummary } from '#app/models/inventory/fhir-capability.ts'
import type { SystemInput } from '#app/models/inventory/inventory.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope, diffFields } from '../audit/audit.server.ts'
import { refreshersAfterUpgrade } from '../training/training-refresher.server.ts'

export const SYSTEMS_PAGE_SIZE = 50

export const SYSTEM_SORTS = ['name', 'kind', 'criticality', 'vendor', 'updatedAt'] as const
export type SystemSort = (typeof SYSTEM_SORTS)[number]

export type SystemFilter = {
  q?: string
  kind?: string
  criticality?: string
  environment?: string
  sort?: SystemSort
  dir?: 'asc' | 'desc'
}

/** Owners must be members of the same organisation: a form can't point at another tenant's person. */
export async function assertMembersOf(scope: TenantScope, fields: Record<string, string | undefined | null>, opts: TxOption = {}) {
  const db = dbOf(opts)
  const wanted = Object.entries(fields).filter((e): e is [string, string] => Boolean(e[1]))
  if (!wanted.length) return
  const found = new Set(
    (await db.membership.findMany({ where: { id: { in: wanted.map(([, id]) => id) }, organizationId: scope.organizationId }, select: { id: true } })).map((m) => m.id),
  )
  const outsider = wanted.find(([, id]) => !found.has(id))
  if (outsider) throw new DomainError('RULE_VIOLATION', 'Choose the owner from the people of this organisation.', outsider[0])
}

/** The System row's columns from validated input (forms and the CSV import share it). */
export function systemData(input: SystemInput) {
  return {
    name: input.name,
    kind: input.kind,
    vendor: input.vendor ?? null,
    product: input.product ?? null,
    version: input.version ?? null,
    environment: input.environment,
    hosting: input.hosting ?? null,
    criticality: input.criticality,
    businessOwnerId: input.businessOwnerId ?? null,
    technicalOwnerId: input.technicalOwnerId ?? null,
    unitsServed: input.unitsServed,
    notes: input.notes ?? null,
    hl7v2Versions: input.hl7v2Versions,
    fhirVersion: input.fhirVersion ?? null,
    fhirBaseUrl: input.fhirBaseUrl ?? null,
    dicom: input.dicom,
    x12: input.x12,
  }
}

async function assertNameFree(db: Db, scope: TenantScope, name: string, exceptId?: string) {
  const clash = await db.system.findFirst({
    where: { organizationId: scope.organizationId, name: { equals: name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  })
  if (clash) throw new DomainError('CONFLICT', 'A system with this name already exists.', 'name')
}

export async function listSystems(scope: TenantScope, input: SystemFilter & { page?: number } = {}) {
  const { page = 1, ...filter } = input
  const where: Prisma.SystemWhereInput = {
    organizationId: scope.organizationId,
    ...(filter.kind ? { kind: filter.kind as never } : {}),
    ...(filter.criticality ? { criticality: filter.criticality as never } : {}),
    ...(filter.environment ? { environment: filter.environment as never } : {}),
    ...(filter.q
      ? {
          OR: [
            { name: { contains: filter.q, mode: 'insensitive' } },
            { vendor: { contains: filter.q, mode: 'insensitive' } },
            { product: { contains: filter.q, mode: 'insensitive' } },
          ],
        }
      : {}),
  }
  const sort = filter.sort ?? 'name'
  const dir = filter.dir ?? (sort === 'updatedAt' ? 'desc' : 'asc')
  const [systems, total] = await Promise.all([
    prisma.system.findMany({
      where,
      orderBy: [{ [sort]: dir }, { name: 'asc' }],
      ...pageWindow(page, SYSTEMS_PAGE_SIZE),
      select: {
        id: true,
        name: true,
        kind: true,
        vendor: true,
        product: true,
        version: true,
        environment: true,
        criticality: true,
        hl7v2Versions: true,
        fhirVersion: true,
        dicom: true,
        x12: true,
        updatedAt: true,
        _count: { select: { outgoing: true, incoming: true } },
      },
    }),
    prisma.system.count({ where }),
  ])
  return { systems, total, pageCount: pageCountOf(total, SYSTEMS_PAGE_SIZE) }
}

export function listSystemOptions(scope: TenantScope) {
  return prisma.system.findMany({
    where: { organizationId: scope.organizationId },
    select: { id: true, name: true, kind: true },
    orderBy: { name: 'asc' },
  })
}

/** Whether the organisation has this system (a cheap check before outside I/O). */
export async function hasSystem(scope: TenantScope, id: string) {
  return (await prisma.system.count({ where: { id, organizationId: scope.organizationId } })) > 0
}

export function getSystem(scope: TenantScope, id: string) {
  return prisma.system.findFirst({
    where: { id, organizationId: scope.organizationId },
    include: {
      businessOwner: { select: { id: true, unit: true, user: { select: { name: true, email: true } } } },
      technicalOwner: { select: { id: true, unit: true, user: { select: { name: true, email: true } } } },
      conformanceTests: { orderBy: { testedOn: 'desc' } },
      outgoing: { select: { id: true, name: true, standard: true, lifecycle: true, approach: true, messageTypes: true, target: { select: { id: true, name: true } } }, orderBy: { name: 'asc' } },
      incoming: { select: { id: true, name: true, standard: true, lifecycle: true, approach: true, messageTypes: true, source: { select: { id: true, name: true } } }, orderBy: { name: 'asc' } },
    },
  })
}

export async function createSystem(scope: TenantScope, input: SystemInput) {
  return prisma.$transaction(async (tx) => {
    await assertNameFree(tx, scope, input.name)
    await assertMembersOf(scope, { businessOwnerId: input.businessOwnerId, technicalOwnerId: input.technicalOwnerId }, { tx })
    const system = await tx.system.create({ data: { ...systemData(input), organizationId: scope.organizationId } })
    await auditInScope(scope, { action: 'system.created', targetType: 'system', targetId: system.id, targetLabel: system.name }, { tx })
    return system
  })
}

export type UpdateSystemInput = SystemInput & { systemId: string }

export async function updateSystem(scope: TenantScope, { systemId, ...input }: UpdateSystemInput, opts: TxOption = {}) {
  const run = async (tx: Tx) => {
    const before = await tx.system.findFirst({ where: { id: systemId, organizationId: scope.organizationId } })
    if (!before) return null
    await assertNameFree(tx, scope, input.name, systemId)
    await assertMembersOf(scope, { businessOwnerId: input.businessOwnerId, technicalOwnerId: input.technicalOwnerId }, { tx })
    const data = systemData(input)
    const changes = diffFields(before as unknown as Record<string, unknown>, data)
    if (!Object.keys(changes).length) return before
    const system = await tx.system.update({ where: { id: before.id }, data })
    await auditInScope(scope, {
      action: changes.version ? 'system.upgraded' : 'system.updated',
      targetType: 'system',
      targetId: system.id,
      targetLabel: system.name,
      metadata: { changes },
    }, { tx })
    // Staff trained on the old version get a refresher, in the same transaction as the upgrade.
    if (changes.version) await refreshersAfterUpgrade(scope, { system, from: changes.version.from, to: changes.version.to }, { tx })
    return system
  }
  return inTx(opts, run)
}

export async function deleteSystem(scope: TenantScope, id: string) {
  return prisma.$transaction(async (tx) => {
    const system = await tx.system.findFirst({
      where: { id, organizationId: scope.organizationId },
      select: { id: true, name: true, _count: { select: { outgoing: true, incoming: true } } },
    })
    if (!system) return null
    const n = system._count.outgoing + system._count.incoming
    if (n) throw new DomainError('RULE_VIOLATION', `${system.name} still has ${n} interface(s). Retire or delete them first.`)
    await tx.system.deleteMany({ where: { id: system.id, organizationId: scope.organizationId } })
    await auditInScope(scope, { action: 'system.deleted', targetType: 'system', targetId: system.id, targetLabel: system.name }, { tx })
    return system
  })
}

export type CapabilityImport = { systemId: string; summary: CapabilitySummary; source: string }

/** Stores an imported CapabilityStatement summary and fills the FHIR part of the checklist from it. */
export async function saveCapability(scope: TenantScope, { systemId, summary, source }: CapabilityImport) {
  return prisma.$transaction(async (tx) => {
    const system = await tx.system.findFirst({ where: { id: systemId, organizationId: scope.organizationId } })
    if (!system) return null
    const updated = await tx.system.update({
      where: { id: system.id },
      data: {
        capability: summary as unknown as Prisma.InputJsonValue,
        capabilityImportedAt: new Date(),
        fhirVersion: fhirVersionKey(summary.fhirVersion) ?? system.fhirVersion,
        ...(source.startsWith('https://') && !system.fhirBaseUrl ? { fhirBaseUrl: source.replace(/\/metadata\/?$/, '') } : {}),
      },
    })
    await auditInScope(scope, {
      action: 'system.capability_imported',
      targetType: 'system',
      targetId: system.id,
      targetLabel: system.name,
      metadata: { source, fhirVersion: summary.fhirVersion, software: summary.software, resources: summary.resources.length },
    }, { tx })
    return updated
  })
}

export type ConformanceInput = { standard: string; testedOn: Date; result: ConformanceResult; evidenceUrl?: string; notes?: string }

export async function addConformanceTest(scope: TenantScope, { systemId, ...input }: ConformanceInput & { systemId: string }) {
  return prisma.$transaction(async (tx) => {
    const system = await tx.system.findFirst({ where: { id: systemId, organizationId: scope.organizationId }, select: { id: true, name: true } })
    if (!system) return null
    const test = await tx.conformanceTest.create({
      data: {
        organizationId: scope.organizationId,
        systemId: system.id,
        standard: input.standard,
        testedOn: input.testedOn,
        result: input.result,
        evidenceUrl: input.evidenceUrl ?? null,
        notes: input.notes ?? null,
      },
    })
    await auditInScope(scope, {
      action: 'system.conformance_recorded',
      targetType: 'system',
      targetId: system.id,
      targetLabel: system.name,
      metadata: { standard: input.standard, result: input.result, testedOn: input.testedOn.toISOString().slice(0, 10) },
    }, { tx })
    return test
  })
}

export async function deleteConformanceTest(scope: TenantScope, { systemId, testId }: { systemId: string; testId: string }) {
  return prisma.$transaction(async (tx) => {
    const test = await tx.conformanceTest.findFirst({
      where: { id: testId, systemId, organizationId: scope.organizationId },
      include: { system: { select: { name: true } } },
    })
    if (!test) return null
    await tx.conformanceTest.deleteMany({ where: { id: test.id, organizationId: scope.organizationId } })
    await auditInScope(scope, {
      action: 'system.conformance_deleted',
      targetType: 'system',
      targetId: systemId,
      targetLabel: test.system.name,
      metadata: { standard: test.standard, result: test.result },
    }, { tx })
    return test
  })
}
