import type { Role } from '#app/generated/prisma/client.ts'
import { syncTrainingAssignments } from '#app/models/training/training-assignment.server.ts'
import { addChecklistItem, addRule, createModule, setHighRiskRoles } from '#app/models/training/training.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { addMonths } from '#app/models/training/training.ts'

/**
 * The demo's training: five modules a hospital would really run before an EHR go-live, their
 * rules (by function and unit), line managers on the staff, and a history — some done (a few
 * weeks ago), some due, some overdue, at-the-elbow sessions waiting for a super-user (a clinical
 * lead) to verify — so "My training" of every persona and the adoption page look lived-in.
 * Modules, rules and assignments go through the models (audited); the history is backdated
 * with direct writes, as time cannot be made to pass otherwise. Runs once per organisation.
 */

type ModuleSeed = {
  title: string
  description: string
  minutes: number
  refresherMonths?: number
  required: boolean
  systems: string[]
  items: { label: string; verifierRole?: Role }[]
  rule: { roles?: Role[]; functions?: ('clinical' | 'operations' | 'it')[]; units?: string[]; dueInDays: number }
}

const MODULES: ModuleSeed[] = [
  {
    title: 'Lab results in the new EHR inbox',
    description: 'Find, acknowledge and route lab results in the Results inbox, including critical values that need a call-back.',
    minutes: 25,
    refresherMonths: 12,
    required: true,
    systems: ['Riverside EHR', 'LabTrack LIS'],
    items: [
      { label: 'Watch the 12-minute Results inbox walkthrough' },
      { label: 'Find a pending lab result for a sandbox patient' },
      { label: 'Acknowledge a critical potassium result and document the call-back' },
      { label: 'Route a result to the covering provider' },
    ],
    rule: { functions: ['clinical'], dueInDays: 14 },
  },
  {
    title: 'Downtime procedures for lab orders',
    description: 'What to do when the EHR or the interface engine is down: paper requisitions, labels and back-entry after recovery.',
    minutes: 20,
    refresherMonths: 12,
    required: true,
    systems: ['Riverside EHR', 'Open Integration Engine'],
    items: [
      { label: 'Locate the downtime binder and paper requisitions on your unit' },
      { label: 'Complete a paper lab requisition for a sandbox patient' },
      { label: 'Back-enter a downtime order after recovery (sandbox)' },
    ],
    rule: { units: ['Emergency Department', 'ICU', 'Laboratory', 'Med-Surg 4 North'], dueInDays: 21 },
  },
  {
    title: 'Barcode specimen labelling',
    description: 'Positive patient identification at the bedside: print from the order, scan the wristband, label in front of the patient.',
    minutes: 30,
    refresherMonths: 24,
    required: true,
    systems: ['LabTrack LIS'],
    items: [
      { label: 'Print a specimen label from the order' },
      { label: 'Scan the patient wristband and the label at the bedside (sandbox)' },
      { label: 'At-the-elbow session: collect and label a specimen, observed by a super-user', verifierRole: 'clinical_lead' },
    ],
    rule: { functions: ['clinical'], units: ['Emergency Department', 'ICU', 'Med-Surg 4 North', 'Laboratory'], dueInDays: 14 },
  },
  {
    title: 'Patient portal messaging',
    description: 'Answer patient messages from the new portal: templates, routing clinical questions, closing the loop.',
    minutes: 15,
    required: false,
    systems: ['MyRiverside Portal'],
    items: [
      { label: 'Reply to a patient message using a template' },
      { label: 'Forward a clinical question to the care team pool' },
      { label: 'Mark a message as resolved' },
    ],
    rule: { units: ['Outpatient Clinic (Eastside)', 'Patient Access'], dueInDays: 14 },
  },
  {
    title: 'Privacy in the new EHR: minimum necessary',
    description: 'Look only at the records you need for your work; how access is audited; how to report a suspected breach.',
    minutes: 10,
    refresherMonths: 12,
    required: false,
    systems: ['Riverside EHR'],
    items: [{ label: 'Read the access policy summary' }, { label: 'Pass the five-question check' }],
    rule: { dueInDays: 30 },
  },
]

/** Line managers by unit (staff and clinical leads report to them). */
const MANAGER_BY_UNIT: Record<string, string> = {
  'Emergency Department': 'grace.chen@riverside.test',
  ICU: 'grace.chen@riverside.test',
  Laboratory: 'priya.nair@riverside.test',
  'Patient Access': 'nina.kowalski@riverside.test',
}
const DEFAULT_MANAGER = 'maria.delgado@riverside.test'
const STAFF_PERSONA = 'sam.rivera@riverside.test'
const SUPER_USERS = ['grace.chen@riverside.test', 'priya.nair@riverside.test']

const DAY = 24 * 3600_000

export async function seedTraining(manager: TenantScope, now = new Date()) {
  const org = manager.organizationId
  if (await prisma.trainingModule.count({ where: { organizationId: org } })) return { modules: 0 }

  // Line managers, from the "roster".
  const members = await prisma.membership.findMany({ where: { organizationId: org, status: 'active' }, include: { user: { select: { email: true } } } })
  const byEmail = new Map(members.map((m) => [m.user.email, m]))
  for (const m of members) {
    if (m.role !== 'staff' && m.role !== 'clinical_lead') continue
    const managerEmail = MANAGER_BY_UNIT[m.unit ?? ''] ?? DEFAULT_MANAGER
    const mgr = byEmail.get(managerEmail === m.user.email ? DEFAULT_MANAGER : managerEmail)
    if (mgr) await prisma.membership.updateMany({ where: { id: m.id, organizationId: org }, data: { managerId: mgr.id } })
  }
  await setHighRiskRoles(manager, ['clinical_lead'])

  const systems = new Map((await prisma.system.findMany({ where: { organizationId: org }, select: { id: true, name: true } })).map((s) => [s.name, s.id]))
  const modules: { id: string; seed: ModuleSeed; items: { id: string; verifierRole: Role | null }[] }[] = []
  for (const seed of MODULES) {
    const mod = await createModule(manager, {
      title: seed.title,
      description: seed.description,
      contentUrl: `https://learn.riverside.example/courses/${seed.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      sandboxUrl: seed.systems.length ? 'https://sandbox.riverside-ehr.example/training' : undefined,
      estimatedMinutes: seed.minutes,
      refresherMonths: seed.refresherMonths,
      requiredForGoLive: seed.required,
      systemIds: seed.systems.map((s) => systems.get(s)).filter((id): id is string => Boolean(id)),
    })
    const items = []
    for (const item of seed.items) {
      const created = await addChecklistItem(manager, { moduleId: mod.id, ...item })
      items.push({ id: created!.id, verifierRole: created!.verifierRole })
    }
    await addRule(manager, { moduleId: mod.id, roles: seed.rule.roles ?? [], functions: seed.rule.functions ?? [], units: seed.rule.units ?? [], dueInDays: seed.rule.dueInDays })
    modules.push({ id: mod.id, seed, items })
  }
  await syncTrainingAssignments(systemScope(org), { trigger: 'seed' }, { now })

  // A history: each assignment is done, in progress, due or overdue — deterministic by position.
  const assignments = await prisma.trainingAssignment.findMany({
    where: { organizationId: org, status: 'open' },
    orderBy: [{ membershipId: 'asc' }, { moduleId: 'asc' }],
    include: { membership: { include: { user: { select: { email: true } } } } },
  })
  const superUsers = SUPER_USERS.map((e) => byEmail.get(e)!).filter(Boolean)
  const staffPlan: Record<string, 'done' | 'overdue' | 'progress' | 'fresh'> = {
    'Privacy in the new EHR: minimum necessary': 'done',
    'Downtime procedures for lab orders': 'overdue',
    'Lab results in the new EHR inbox': 'progress',
    'Barcode specimen labelling': 'fresh',
  }
  for (const [i, a] of assignments.entries()) {
    const mod = modules.find((m) => m.id === a.moduleId)!
    const email = a.membership.user.email
    const plan =
      email === STAFF_PERSONA
        ? (staffPlan[mod.seed.title] ?? 'fresh')
        : (['done', 'done', 'overdue', 'progress', 'done', 'fresh', 'done', 'overdue', 'progress', 'done'] as const)[i % 10]!
    const verifier = superUsers.find((s) => s.id !== a.membershipId)
    const check = async (items: typeof mod.items, at: Date, verified: boolean) => {
      for (const item of items) {
        await prisma.trainingItemCheck.create({
          data: {
            organizationId: org,
            assignmentId: a.id,
            itemId: item.id,
            checkedById: a.membershipId,
            checkedAt: at,
            ...(item.verifierRole && verified && verifier ? { verifiedAt: new Date(at.getTime() + 3600_000), verifiedById: verifier.id } : {}),
          },
        })
      }
    }
    const createdAt = new Date(now.getTime() - (35 + (i % 9)) * DAY)
    if (plan === 'done') {
      const completedAt = new Date(now.getTime() - (3 + (i % 25)) * DAY)
      await check(mod.items, new Date(completedAt.getTime() - 2 * 3600_000), true)
      await prisma.trainingAssignment.update({
        where: { id: a.id },
        data: {
          status: 'completed',
          createdAt,
          dueAt: new Date(createdAt.getTime() + mod.seed.rule.dueInDays * DAY),
          completedAt,
          expiresAt: mod.seed.refresherMonths ? addMonths(completedAt, mod.seed.refresherMonths) : null,
        },
      })
    } else if (plan === 'overdue') {
      const late = 2 + (i % 12)
      await check(mod.items.slice(0, 1), new Date(now.getTime() - (late + 4) * DAY), true)
      await prisma.trainingAssignment.update({ where: { id: a.id }, data: { createdAt, dueAt: new Date(now.getTime() - late * DAY - 5 * 3600_000) } })
    } else if (plan === 'progress') {
      // Part-way; at-the-elbow sessions done but not yet verified wait in the super-users' queue.
      const ticked = mod.items.filter((it, k) => k < Math.ceil(mod.items.length / 2) || it.verifierRole)
      await check(ticked, new Date(now.getTime() - (1 + (i % 3)) * DAY), false)
      await prisma.trainingAssignment.update({
        where: { id: a.id },
        data: { createdAt: new Date(now.getTime() - 8 * DAY), dueAt: new Date(now.getTime() + (3 + (i % 8)) * DAY) },
      })
    } else {
      await prisma.trainingAssignment.update({
        where: { id: a.id },
        data: { createdAt: new Date(now.getTime() - 2 * DAY), dueAt: new Date(now.getTime() + (6 + (i % 10)) * DAY) },
      })
    }
  }

  // Who has used Liaison lately (the adoption page's activity): most staff this week, a few not for a month.
  for (const [i, m] of members.entries()) {
    const daysAgo = [0, 1, 2, 3, 5, 9, 12, 20, 26, 45][i % 10]!
    await prisma.membership.updateMany({ where: { id: m.id, organizationId: org }, data: { lastSeenAt: new Date(now.getTime() - daysAgo * DAY - (i % 7) * 3600_000) } })
  }
  return { modules: modules.length, assignments: assignments.length }
}
