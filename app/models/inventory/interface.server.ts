import type { Prisma } from '#app/generated/prisma/client.ts'
import { pageCountOf, pageWindow } from '#app/utils/list.ts'
import { inTx, prisma, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import type { InterfaceInput } from '#app/models/inventory/inventory.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope, diffFields } from '../audit/audit.server.ts'
import { assertInterfacesMayGoLive } from '../readiness/gate.server.ts'
import { assertMembersOf } from './system.server.ts'
import { refreshersAfterGoLive } from '../training/training-refresher.server.ts'

export const INTERFACES_PAGE_SIZE = 50
export const INTERFACE_SORTS = ['name', 'standard', 'lifecycle', 'criticality', 'updatedAt'] as const
export type InterfaceSort = (typeof INTERFACE_SORTS)[number]

export type InterfaceFilter = {
  q?: string
  standard?: string
  lifecycle?: string
  approach?: string
  systemId?: string
  sort?: InterfaceSort
  dir?: 'asc' | 'desc'
}

/** The Interface row's columns from validated input (forms and the CSV import share it). */
export function interfaceData(input: InterfaceInput) {
  return {
    name: input.name,
    sourceSystemId: input.sourceSystemId,
    targetSystemId: input.targetSystemId,
    standard: input.standard,
    messageTypes: input.messageTypes,
    transport: input.transport,
    approach: input.approach,
    direction: input.direction,
    lifecycle: input.lifecycle,
    criticality: input.criticality,
    ownerId: input.ownerId ?? null,
    standardsException: input.standardsException ?? null,
    description: input.description ?? null,
  }
}

async function assertValid(db: Tx, scope: TenantScope, input: InterfaceInput, exceptId?: string) {
  const systems = await db.system.count({
    where: { organizationId: scope.organizationId, id: { in: [input.sourceSystemId, input.targetSystemId] } },
  })
  if (systems !== 2) throw new DomainError('RULE_VIOLATION', 'Choose the source and target from this organisation’s systems.', 'sourceSystemId')
  await assertMembersOf(scope, { ownerId: input.ownerId }, { tx: db })
  const clash = await db.interface.findFirst({
    where: { organizationId: scope.organizationId, name: { equals: input.name, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  })
  if (clash) throw new DomainError('CONFLICT', 'An interface with this name already exists.', 'name')
}

export async function listInterfaces(scope: TenantScope, input: InterfaceFilter & { page?: number } = {}) {
  const { page = 1, ...filter } = input
  // Message types match by substring, case-insensitively ("oru" finds ORU^R01): Prisma has no
  // such operator on arrays, so those ids come from one SQL query scoped to the organisation.
  const typeMatches = filter.q
    ? (
        await prisma.$queryRaw<{ id: string }[]>`
          SELECT id FROM "Interface"
          WHERE "organizationId" = ${scope.organizationId}
            AND array_to_string("messageTypes", ' ') ILIKE ${'%' + filter.q.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}`
      ).map((r) => r.id)
    : []
  const where: Prisma.InterfaceWhereInput = {
    organizationId: scope.organizationId,
    ...(filter.standard ? { standard: filter.standard as never } : {}),
    ...(filter.lifecycle ? { lifecycle: filter.lifecycle as never } : {}),
    ...(filter.approach ? { approach: filter.approach as never } : {}),
    ...(filter.systemId ? { OR: [{ sourceSystemId: filter.systemId }, { targetSystemId: filter.systemId }] } : {}),
    ...(filter.q
      ? {
          AND: [
            {
              OR: [
                { name: { contains: filter.q, mode: 'insensitive' } },
                { id: { in: typeMatches } },
                { source: { name: { contains: filter.q, mode: 'insensitive' } } },
                { target: { name: { contains: filter.q, mode: 'insensitive' } } },
              ],
            },
          ],
        }
      : {}),
  }
  const sort = filter.sort ?? 'name'
  const dir = filter.dir ?? (sort === 'updatedAt' ? 'desc' : 'asc')
  const [interfaces, total] = await Promise.all([
    prisma.interface.findMany({
      where,
      orderBy: [{ [sort]: dir }, { name: 'asc' }],
      ...pageWindow(page, INTERFACES_PAGE_SIZE),
      select: {
        id: true,
        name: true,
        standard: true,
        messageTypes: true,
        transport: true,
        approach: true,
        direction: true,
        lifecycle: true,
        criticality: true,
        standardsException: true,
        source: { select: { id: true, name: true } },
        target: { select: { id: true, name: true } },
      },
    }),
    prisma.interface.count({ where }),
  ])
  return { interfaces, total, pageCount: pageCountOf(total, INTERFACES_PAGE_SIZE) }
}

export function getInterface(scope: TenantScope, id: string) {
  return prisma.interface.findFirst({
    where: { id, organizationId: scope.organizationId },
    include: {
      source: { select: { id: true, name: true, kind: true } },
      target: { select: { id: true, name: true, kind: true, capability: true } },
      owner: { select: { id: true, unit: true, user: { select: { name: true, email: true } } } },
    },
  })
}

export async function createInterface(scope: TenantScope, input: InterfaceInput) {
  return prisma.$transaction(async (tx) => {
    await assertValid(tx, scope, input)
    // A new interface is in no project's scope yet, so the gate lets it be created live; the call
    // stays so that every write of the lifecycle goes through the gate (tests/architecture.test.ts).
    if (input.lifecycle === 'live') await assertInterfacesMayGoLive(scope, { interfaceIds: [] }, { tx, path: 'interface_live', what: input.name })
    const iface = await tx.interface.create({ data: { ...interfaceData(input), organizationId: scope.organizationId } })
    await auditInScope(scope, { action: 'interface.created', targetType: 'interface', targetId: iface.id, targetLabel: iface.name }, { tx })
    return iface
  })
}

export type UpdateInterfaceInput = InterfaceInput & { interfaceId: string }

export async function updateInterface(scope: TenantScope, { interfaceId, ...input }: UpdateInterfaceInput, opts: TxOption = {}) {
  const run = async (tx: Tx) => {
    const before = await tx.interface.findFirst({ where: { id: interfaceId, organizationId: scope.organizationId } })
    if (!before) return null
    await assertValid(tx, scope, input, interfaceId)
    const data = interfaceData(input)
    const changes = diffFields(before as unknown as Record<string, unknown>, data)
    if (!Object.keys(changes).length) return before
    // The go-live gate of every open project with this interface in scope (app/models/readiness/gate.server.ts).
    if (data.lifecycle === 'live' && before.lifecycle !== 'live') await assertInterfacesMayGoLive(scope, { interfaceIds: [before.id] }, { tx, path: 'interface_live', what: before.name })
    const iface = await tx.interface.update({ where: { id: before.id }, data })
    await auditInScope(scope, {
      action: changes.lifecycle && data.lifecycle === 'live' ? 'interface.went_live' : 'interface.updated',
      targetType: 'interface',
      targetId: iface.id,
      targetLabel: iface.name,
      metadata: { changes },
    }, { tx })
    // Staff of both ends get a refresher when it goes live, in the same transaction.
    if (changes.lifecycle && data.lifecycle === 'live') await refreshersAfterGoLive(scope, iface, { tx })
    return iface
  }
  return inTx(opts, run)
}

export async function deleteInterface(scope: TenantScope, id: string) {
  return prisma.$transaction(async (tx) => {
    const iface = await tx.interface.findFirst({ where: { id, organizationId: scope.organizationId }, select: { id: true, name: true } })
    if (!iface) return null
    await tx.interface.deleteMany({ where: { id: iface.id, organizationId: scope.organizationId } })
    await auditInScope(scope, { action: 'interface.deleted', targetType: 'interface', targetId: iface.id, targetLabel: iface.name }, { tx })
    return iface
  })
}
