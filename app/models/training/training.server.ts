import { Prisma } from '#app/generated/prisma/client.ts'
import { prisma, type Tx } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import type { Role } from '#app/models/people/vocabulary.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import type { ChecklistItemInput, ModuleInput, RuleInput } from '#app/models/training/training.ts'
import { auditInScope, diffFields } from '../audit/audit.server.ts'
import { syncTrainingAssignments } from './training-assignment.server.ts'

/**
 * Training modules as managers keep them (capability training:manage): the module, its ordered
 * checklist, the systems it teaches, and its audience (rules). A change to the audience — a rule
 * added, switched on or off, removed; the module archived or restored — syncs the assignments in
 * the same transaction, so the people who match are assigned (or released) at once.
 */


export function listModules(scope: TenantScope, opts: { archived?: boolean } = {}) {
  return prisma.trainingModule.findMany({
    where: { organizationId: scope.organizationId, archivedAt: opts.archived ? { not: null } : null },
    orderBy: { title: 'asc' },
    select: {
      id: true,
      title: true,
      estimatedMinutes: true,
      refresherMonths: true,
      requiredForGoLive: true,
      archivedAt: true,
      _count: { select: { items: true, rules: { where: { active: true } } } },
    },
  })
}

/** Open and completed assignments per module (for the modules list). */
export async function countAssignmentsByModule(scope: TenantScope) {
  const rows = await prisma.trainingAssignment.groupBy({
    by: ['moduleId', 'status'],
    where: { organizationId: scope.organizationId, status: { in: ['open', 'completed'] } },
    _count: { _all: true },
  })
  const out: Record<string, { open: number; completed: number }> = {}
  for (const r of rows) {
    const entry = (out[r.moduleId] ??= { open: 0, completed: 0 })
    entry[r.status as 'open' | 'completed'] = r._count._all
  }
  return out
}

export function getModule(scope: TenantScope, moduleId: string) {
  return prisma.trainingModule.findFirst({
    where: { id: moduleId, organizationId: scope.organizationId },
    include: {
      items: { orderBy: { position: 'asc' } },
      rules: { orderBy: { createdAt: 'asc' } },
      systems: { include: { system: { select: { id: true, name: true, version: true } } } },
    },
  })
}

async function assertSystemsOf(tx: Tx, scope: TenantScope, systemIds: string[]) {
  if (!systemIds.length) return
  const found = await tx.system.count({ where: { id: { in: systemIds }, organizationId: scope.organizationId } })
  if (found !== new Set(systemIds).size) throw new DomainError('RULE_VIOLATION', 'Choose systems of this organisation.', 'systemIds')
}

async function assertTitleFree(tx: Tx, scope: TenantScope, title: string, exceptId?: string) {
  const clash = await tx.trainingModule.findFirst({
    where: { organizationId: scope.organizationId, title: { equals: title, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  })
  if (clash) throw new DomainError('CONFLICT', 'A module with this title already exists.', 'title')
}

function moduleData(input: ModuleInput) {
  return {
    title: input.title,
    description: input.description ?? null,
    contentUrl: input.contentUrl ?? null,
    sandboxUrl: input.sandboxUrl ?? null,
    estimatedMinutes: input.estimatedMinutes,
    refresherMonths: input.refresherMonths ?? null,
    requiredForGoLive: input.requiredForGoLive,
  }
}

export async function createModule(scope: TenantScope, input: ModuleInput) {
  return prisma.$transaction(async (tx) => {
    await assertTitleFree(tx, scope, input.title)
    await assertSystemsOf(tx, scope, input.systemIds)
    const mod = await tx.trainingModule.create({ data: { organizationId: scope.organizationId, ...moduleData(input) } })
    if (input.systemIds.length) {
      await tx.trainingModuleSystem.createMany({
        data: [...new Set(input.systemIds)].map((systemId) => ({ organizationId: scope.organizationId, moduleId: mod.id, systemId })),
      })
    }
    await auditInScope(scope, {
      action: 'training.module_created',
      targetType: 'training_module',
      targetId: mod.id,
      targetLabel: mod.title,
      metadata: { ...moduleData(input), systemIds: input.systemIds },
    }, { tx })
    return mod
  })
}

export async function updateModule(scope: TenantScope, { moduleId, ...input }: ModuleInput & { moduleId: string }) {
  try {
    return await prisma.$transaction(async (tx) => {
      const before = await tx.trainingModule.findFirst({
        where: { id: moduleId, organizationId: scope.organizationId },
        include: { systems: { select: { systemId: true } } },
      })
      if (!before) return null
      await assertTitleFree(tx, scope, input.title, before.id)
      await assertSystemsOf(tx, scope, input.systemIds)
      const data = moduleData(input)
      const mod = await tx.trainingModule.update({ where: { id: before.id }, data })
      const oldSystems = before.systems.map((s) => s.systemId).sort()
      const newSystems = [...new Set(input.systemIds)].sort()
      if (oldSystems.join() !== newSystems.join()) {
        await tx.trainingModuleSystem.deleteMany({ where: { moduleId: before.id, organizationId: scope.organizationId } })
        if (newSystems.length) {
          await tx.trainingModuleSystem.createMany({
            data: newSystems.map((systemId) => ({ organizationId: scope.organizationId, moduleId: before.id, systemId })),
          })
        }
      }
      const changes: Record<string, { from: unknown; to: unknown }> = diffFields(before as Record<string, unknown>, data)
      if (oldSystems.join() !== newSystems.join()) changes.systemIds = { from: oldSystems, to: newSystems }
      if (Object.keys(changes).length) {
        await auditInScope(scope, { action: 'training.module_updated', targetType: 'training_module', targetId: mod.id, targetLabel: mod.title, metadata: { changes } }, { tx })
      }
      return mod
    })
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new DomainError('CONFLICT', 'A module with this title already exists.', 'title')
    throw e
  }
}

/** Archived modules are assigned to nobody: their open rule assignments are cancelled (completions stay). */
export async function setModuleArchived(scope: TenantScope, { moduleId, archived }: { moduleId: string; archived: boolean }) {
  return prisma.$transaction(async (tx) => {
    const mod = await tx.trainingModule.findFirst({ where: { id: moduleId, organizationId: scope.organizationId } })
    if (!mod) return null
    if (Boolean(mod.archivedAt) === archived) return { module: mod, created: 0, cancelled: 0 }
    const updated = await tx.trainingModule.update({ where: { id: mod.id }, data: { archivedAt: archived ? new Date() : null } })
    await auditInScope(scope, {
      action: archived ? 'training.module_archived' : 'training.module_restored',
      targetType: 'training_module',
      targetId: mod.id,
      targetLabel: mod.title,
    }, { tx })
    const sync = await syncTrainingAssignments(scope, { trigger: archived ? 'module_archived' : 'module_restored' }, { tx })
    return { module: updated, ...sync }
  }, { timeout: 120_000 })
}

// ─── checklist ───────────────────────────────────────────────────────────────────────────

async function findModule(tx: Tx, scope: TenantScope, moduleId: string) {
  return tx.trainingModule.findFirst({ where: { id: moduleId, organizationId: scope.organizationId }, select: { id: true, title: true } })
}

export async function addChecklistItem(scope: TenantScope, { moduleId, ...input }: ChecklistItemInput & { moduleId: string }) {
  return prisma.$transaction(async (tx) => {
    const mod = await findModule(tx, scope, moduleId)
    if (!mod) return null
    const last = await tx.trainingChecklistItem.findFirst({
      where: { organizationId: scope.organizationId, moduleId: mod.id },
      orderBy: { position: 'desc' },
      select: { position: true },
    })
    const item = await tx.trainingChecklistItem.create({
      data: { organizationId: scope.organizationId, moduleId: mod.id, position: (last?.position ?? 0) + 1, label: input.label, verifierRole: input.verifierRole ?? null },
    })
    await auditInScope(scope, {
      action: 'training.item_added',
      targetType: 'training_module',
      targetId: mod.id,
      targetLabel: mod.title,
      metadata: { itemId: item.id, label: item.label, verifierRole: item.verifierRole },
    }, { tx })
    return item
  })
}

export async function removeChecklistItem(scope: TenantScope, { moduleId, itemId }: { moduleId: string; itemId: string }) {
  return prisma.$transaction(async (tx) => {
    const item = await tx.trainingChecklistItem.findFirst({
      where: { id: itemId, moduleId, organizationId: scope.organizationId },
      include: { module: { select: { title: true } } },
    })
    if (!item) return null
    await tx.trainingChecklistItem.deleteMany({ where: { id: item.id, organizationId: scope.organizationId } })
    await auditInScope(scope, {
      action: 'training.item_removed',
      targetType: 'training_module',
      targetId: item.moduleId,
      targetLabel: item.module.title,
      metadata: { itemId: item.id, label: item.label },
    }, { tx })
    return item
  })
}

/** Swaps an item with its neighbour above (-1) or below (+1). */
export async function moveChecklistItem(scope: TenantScope, { moduleId, itemId, direction }: { moduleId: string; itemId: string; direction: -1 | 1 }) {
  return prisma.$transaction(async (tx) => {
    const items = await tx.trainingChecklistItem.findMany({
      where: { organizationId: scope.organizationId, moduleId },
      orderBy: { position: 'asc' },
      include: { module: { select: { title: true } } },
    })
    const i = items.findIndex((it) => it.id === itemId)
    if (i < 0) return null
    const j = i + direction
    if (j < 0 || j >= items.length) return items[i]!
    const a = items[i]!
    const b = items[j]!
    // Positions are renumbered 1..n so they stay dense whatever happened before.
    const order = items.map((it) => it.id)
    order[i] = b.id
    order[j] = a.id
    for (const [k, id] of order.entries()) {
      await tx.trainingChecklistItem.updateMany({ where: { id, organizationId: scope.organizationId }, data: { position: k + 1 } })
    }
    await auditInScope(scope, {
      action: 'training.items_reordered',
      targetType: 'training_module',
      targetId: moduleId,
      targetLabel: a.module.title,
      metadata: { itemId: a.id, label: a.label, from: i + 1, to: j + 1 },
    }, { tx })
    return a
  })
}

// ─── rules (the audience) ────────────────────────────────────────────────────────────────

export async function addRule(scope: TenantScope, { moduleId, ...input }: RuleInput & { moduleId: string }) {
  return prisma.$transaction(
    async (tx) => {
      const mod = await findModule(tx, scope, moduleId)
      if (!mod) return null
      const rule = await tx.trainingRule.create({
        data: { organizationId: scope.organizationId, moduleId: mod.id, roles: input.roles, functions: input.functions, units: input.units, dueInDays: input.dueInDays },
      })
      await auditInScope(scope, {
        action: 'training.rule_added',
        targetType: 'training_module',
        targetId: mod.id,
        targetLabel: mod.title,
        metadata: { ruleId: rule.id, roles: input.roles, functions: input.functions, units: input.units, dueInDays: input.dueInDays },
      }, { tx })
      const sync = await syncTrainingAssignments(scope, { trigger: 'rule_added' }, { tx })
      return { rule, ...sync }
    },
    { timeout: 120_000 },
  )
}

export async function updateRule(scope: TenantScope, { moduleId, ruleId, ...input }: RuleInput & { moduleId: string; ruleId: string; active: boolean }) {
  return prisma.$transaction(
    async (tx) => {
      const before = await tx.trainingRule.findFirst({
        where: { id: ruleId, moduleId, organizationId: scope.organizationId },
        include: { module: { select: { title: true } } },
      })
      if (!before) return null
      const rule = await tx.trainingRule.update({
        where: { id: before.id },
        data: { roles: input.roles, functions: input.functions, units: input.units, dueInDays: input.dueInDays, active: input.active },
      })
      await auditInScope(scope, {
        action: 'training.rule_changed',
        targetType: 'training_module',
        targetId: before.moduleId,
        targetLabel: before.module.title,
        metadata: {
          ruleId: rule.id,
          from: { roles: before.roles, functions: before.functions, units: before.units, dueInDays: before.dueInDays, active: before.active },
          to: { roles: rule.roles, functions: rule.functions, units: rule.units, dueInDays: rule.dueInDays, active: rule.active },
        },
      }, { tx })
      const sync = await syncTrainingAssignments(scope, { trigger: 'rule_changed' }, { tx })
      return { rule, ...sync }
    },
    { timeout: 120_000 },
  )
}

export async function setRuleActive(scope: TenantScope, { moduleId, ruleId, active }: { moduleId: string; ruleId: string; active: boolean }) {
  const rule = await prisma.trainingRule.findFirst({ where: { id: ruleId, moduleId, organizationId: scope.organizationId } })
  if (!rule) return null
  return updateRule(scope, { moduleId, ruleId, roles: rule.roles, functions: rule.functions, units: rule.units, dueInDays: rule.dueInDays, active })
}

export async function removeRule(scope: TenantScope, { moduleId, ruleId }: { moduleId: string; ruleId: string }) {
  return prisma.$transaction(
    async (tx) => {
      const rule = await tx.trainingRule.findFirst({
        where: { id: ruleId, moduleId, organizationId: scope.organizationId },
        include: { module: { select: { title: true } } },
      })
      if (!rule) return null
      await tx.trainingRule.deleteMany({ where: { id: rule.id, organizationId: scope.organizationId } })
      await auditInScope(scope, {
        action: 'training.rule_removed',
        targetType: 'training_module',
        targetId: rule.moduleId,
        targetLabel: rule.module.title,
        metadata: { ruleId: rule.id, roles: rule.roles, functions: rule.functions, units: rule.units },
      }, { tx })
      const sync = await syncTrainingAssignments(scope, { trigger: 'rule_removed' }, { tx })
      return { rule, ...sync }
    },
    { timeout: 120_000 },
  )
}

// ─── organisation: roles that must all be trained ──────────────────────────────────────

export async function getHighRiskRoles(scope: TenantScope) {
  const org = await prisma.organization.findFirst({ where: { id: scope.organizationId }, select: { highRiskRoles: true } })
  return (org?.highRiskRoles ?? []) as Role[]
}

export async function setHighRiskRoles(scope: TenantScope, roles: Role[]) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.organization.findFirstOrThrow({ where: { id: scope.organizationId }, select: { highRiskRoles: true } })
    const next = [...new Set(roles)]
    await tx.organization.updateMany({ where: { id: scope.organizationId }, data: { highRiskRoles: next } })
    if (before.highRiskRoles.slice().sort().join() !== next.slice().sort().join()) {
      await auditInScope(scope, {
        action: 'org.high_risk_roles_changed',
        targetType: 'organization',
        targetId: scope.organizationId,
        targetLabel: scope.orgName,
        metadata: { from: before.highRiskRoles, to: next },
      }, { tx })
    }
    return next
  })
}
