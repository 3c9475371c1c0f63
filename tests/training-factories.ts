/**
 * Training rows for tests of reminders, refreshers and the inbox: they set up a situation
 * (modules, assignments in a given state) directly through Prisma, like tests/factories.ts.
 */
import type { AssignmentReason, AssignmentStatus } from '#app/generated/prisma/client.ts'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createTestUser, uniqueSuffix } from './factories.ts'

export const DAY = 86_400_000

export async function createModule(org: { id: string }, input: { title?: string; systemIds?: string[]; refresherMonths?: number } = {}) {
  const module = await prisma.trainingModule.create({
    data: { organizationId: org.id, title: input.title ?? `Module ${uniqueSuffix()}`, refresherMonths: input.refresherMonths ?? null },
  })
  for (const systemId of input.systemIds ?? []) {
    await prisma.trainingModuleSystem.create({ data: { organizationId: org.id, moduleId: module.id, systemId } })
  }
  return module
}

export async function createStaff(org: { id: string }, input: { name?: string; managerId?: string | null; role?: 'staff' | 'manager' | 'owner' } = {}) {
  const u = uniqueSuffix()
  const user = await createTestUser({ name: input.name ?? `Staff ${u}`, email: `staff-${u}@example.test` })
  const membership = await addMember(org, user, input.role ?? 'staff')
  if (input.managerId) await prisma.membership.update({ where: { id: membership.id }, data: { managerId: input.managerId } })
  return { user, membership: { ...membership, managerId: input.managerId ?? null } }
}

export function assign(
  org: { id: string },
  membershipId: string,
  moduleId: string,
  input: {
    dueAt: Date
    status?: AssignmentStatus
    reason?: AssignmentReason
    reasonDetail?: string
    completedAt?: Date
    expiresAt?: Date
    createdAt?: Date
  },
) {
  return prisma.trainingAssignment.create({
    data: {
      organizationId: org.id,
      membershipId,
      moduleId,
      dueAt: input.dueAt,
      status: input.status ?? 'open',
      reason: input.reason ?? 'manual',
      reasonDetail: input.reasonDetail ?? null,
      completedAt: input.completedAt ?? null,
      expiresAt: input.expiresAt ?? null,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    },
  })
}

/** A date `days` from `from` (negative: before). */
export const daysFrom = (from: Date, days: number) => new Date(from.getTime() + days * DAY)
