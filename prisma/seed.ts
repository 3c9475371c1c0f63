/**
 * The demo: "Riverside Health", a fictional multi-site hospital, with a login for every persona;
 * "Lakeside Clinic", a smaller organisation; a consultant who belongs to both; and a platform
 * operator. Built from the test factories and the real models (so audit events and emails are
 * the product's own). Safe to re-run: existing people and organisations are kept.
 *
 * Writes the demo logins to .tmp/demo-logins.txt for `npm run demo` to print.
 */
import 'dotenv/config'
import { mkdirSync, writeFileSync } from 'node:fs'
import type { MemberFunction, Role } from '#app/generated/prisma/client.ts'
import { recordSecurityEvent } from '#app/models/audit/audit.server.ts'
import { createInvitation } from '#app/models/people/invitation.server.ts'
import { deactivateMember } from '#app/models/people/membership.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { closeQueues } from '#app/utils/queue.server.ts'
import { addMember, createTestOrg, createTestUser, scopeFor } from '#tests/factories.ts'
import { seedInventory, seedSmallInventory } from './seed-inventory.ts'
import { seedReminders } from './seed-inbox.ts'
import { seedMapping } from './seed-mapping.ts'
import { seedDecisionsSecurity } from './seed-decisions-security.ts'
import { seedGonogo } from './seed-gonogo.ts'
import { seedProjects } from './seed-projects.ts'
import { seedRaci } from './seed-raci.ts'
import { seedSignoffs } from './seed-signoff.ts'
import { seedReadiness } from './seed-readiness.ts'
import { seedWaves } from './seed-waves.ts'
import { seedTraining } from './seed-training.ts'
import { seedUat } from './seed-uat.ts'

export const DEMO_PASSWORD = 'Liaison-demo-2026'

type Person = { email: string; name: string; role: Role; fn: MemberFunction; unit?: string; persona?: string }

const RIVERSIDE: Person[] = [
  { email: 'olivia.okafor@riverside.test', name: 'Olivia Okafor', role: 'owner', fn: 'executive', unit: 'Office of the CIO', persona: 'owner' },
  { email: 'adam.baker@riverside.test', name: 'Adam Baker', role: 'admin', fn: 'it', unit: 'IT Service Desk', persona: 'admin' },
  { email: 'maria.delgado@riverside.test', name: 'Maria Delgado', role: 'manager', fn: 'it', unit: 'IT Project Office', persona: 'manager' },
  { email: 'arjun.patel@riverside.test', name: 'Arjun Patel', role: 'analyst', fn: 'it', unit: 'Integration Team', persona: 'analyst' },
  { email: 'grace.chen@riverside.test', name: 'Dr. Grace Chen', role: 'clinical_lead', fn: 'clinical', unit: 'Emergency Department', persona: 'clinical lead' },
  { email: 'edward.hughes@riverside.test', name: 'Edward Hughes', role: 'executive', fn: 'executive', unit: 'Executive Office', persona: 'executive' },
  { email: 'cora.lindqvist@riverside.test', name: 'Cora Lindqvist', role: 'compliance', fn: 'compliance', unit: 'Privacy Office', persona: 'compliance' },
  { email: 'sam.rivera@riverside.test', name: 'Sam Rivera', role: 'staff', fn: 'clinical', unit: 'Emergency Department', persona: 'staff' },
  { email: 'priya.nair@riverside.test', name: 'Priya Nair', role: 'clinical_lead', fn: 'clinical', unit: 'Laboratory' },
  { email: 'tom.walsh@riverside.test', name: 'Tom Walsh', role: 'analyst', fn: 'it', unit: 'Integration Team' },
  { email: 'nina.kowalski@riverside.test', name: 'Nina Kowalski', role: 'manager', fn: 'operations', unit: 'Revenue Cycle' },
]

// Front-line staff across both campuses, for realistic member lists (and training later).
const UNITS = ['Emergency Department', 'ICU', 'Laboratory', 'Radiology', 'Pharmacy', 'Med-Surg 4 North', 'Outpatient Clinic (Eastside)', 'Patient Access']
const FIRST = ['Aisha', 'Ben', 'Carmen', 'Dmitri', 'Elena', 'Farid', 'Hana', 'Isaac', 'Jade', 'Kofi', 'Lucia', 'Mateo', 'Noor', 'Oscar', 'Pauline', 'Quinn', 'Rosa', 'Sione', 'Tariq', 'Uma', 'Victor', 'Wen', 'Yusuf', 'Zara']
const LAST = ['Adeyemi', 'Brooks', 'Castillo', 'Duarte', 'Eriksen', 'Fischer', 'Gupta', 'Haddad', 'Ibarra', 'Jensen', 'Kim', 'Larsen']
const STAFF: Person[] = FIRST.map((first, i) => {
  const last = LAST[i % LAST.length]!
  return {
    email: `${first.toLowerCase()}.${last.toLowerCase()}@riverside.test`,
    name: `${first} ${last}`,
    role: 'staff' as const,
    fn: (i % 5 === 0 ? 'operations' : 'clinical') as MemberFunction,
    unit: UNITS[i % UNITS.length],
  }
})

const LAKESIDE: Person[] = [
  { email: 'lena.moreau@lakeside.test', name: 'Lena Moreau', role: 'owner', fn: 'executive', unit: 'Practice Management', persona: 'owner (Lakeside)' },
  { email: 'jamal.reed@lakeside.test', name: 'Dr. Jamal Reed', role: 'clinical_lead', fn: 'clinical', unit: 'Family Medicine' },
  { email: 'ivy.tran@lakeside.test', name: 'Ivy Tran', role: 'staff', fn: 'operations', unit: 'Front Desk' },
]

const CONSULTANT = { email: 'casey.morgan@integrate-partners.test', name: 'Casey Morgan' }
const OPERATOR = { email: 'ops@liaison.test', name: 'Liaison Operator' }

async function ensureUser(p: { email: string; name: string }, isOperator = false) {
  const existing = await prisma.user.findUnique({ where: { email: p.email } })
  return existing ?? createTestUser({ email: p.email, name: p.name, password: DEMO_PASSWORD, isOperator })
}

async function ensureOrg(slug: string, name: string, timeZone: string) {
  return (await prisma.organization.findUnique({ where: { slug } })) ?? createTestOrg({ slug, name, timeZone })
}

async function ensureMember(org: { id: string }, p: Person) {
  const user = await ensureUser(p)
  const existing = await prisma.membership.findUnique({ where: { organizationId_userId: { organizationId: org.id, userId: user.id } } })
  if (!existing) await addMember(org, user, p.role, p.fn, p.unit)
  return user
}

export async function seed() {
  const riverside = await ensureOrg('riverside-health', 'Riverside Health', 'America/Chicago')
  const lakeside = await ensureOrg('lakeside-clinic', 'Lakeside Clinic', 'America/New_York')
  const fresh = (await prisma.auditEvent.count({ where: { organizationId: riverside.id } })) === 0

  for (const p of [...RIVERSIDE, ...STAFF]) await ensureMember(riverside, p)
  for (const p of LAKESIDE) await ensureMember(lakeside, p)
  await ensureMember(riverside, { ...CONSULTANT, role: 'analyst', fn: 'vendor', unit: 'Integrate Partners (vendor)' })
  await ensureMember(lakeside, { ...CONSULTANT, role: 'manager', fn: 'vendor', unit: 'Integrate Partners (vendor)' })
  await ensureUser(OPERATOR, true)

  if (fresh) {
    // A history worth looking at: sign-ins, a mistyped password, invitations, a leaver.
    const owner = await prisma.user.findUniqueOrThrow({ where: { email: RIVERSIDE[0]!.email } })
    const ownerScope = await scopeFor(riverside, owner)
    await recordSecurityEvent({ action: 'auth.login', userId: owner.id, email: owner.email })
    const analyst = await prisma.user.findUniqueOrThrow({ where: { email: RIVERSIDE[3]!.email } })
    await recordSecurityEvent({ action: 'auth.login_failed', userId: analyst.id, email: analyst.email, metadata: { reason: 'wrong_password', consecutiveFailures: 1 } })
    await recordSecurityEvent({ action: 'auth.login', userId: analyst.id, email: analyst.email })
    await createInvitation(ownerScope, { email: 'rachel.osei@riverside.test', role: 'clinical_lead', function: 'clinical', unit: 'Radiology' }, { inviterName: owner.name })
    await createInvitation(ownerScope, { email: 'interfaces@labcorp-vendor.test', role: 'analyst', function: 'vendor', unit: 'LIS vendor' }, { inviterName: owner.name })
    const leaver = await ensureMember(riverside, { email: 'derek.holt@riverside.test', name: 'Derek Holt', role: 'analyst', fn: 'it', unit: 'Integration Team' })
    const leaverMembership = await prisma.membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId: riverside.id, userId: leaver.id } } })
    await deactivateMember(ownerScope, leaverMembership.id)
    const lakeOwner = await prisma.user.findUniqueOrThrow({ where: { email: LAKESIDE[0]!.email } })
    await createInvitation(await scopeFor(lakeside, lakeOwner), { email: 'nurse.station@lakeside.test', role: 'staff', function: 'clinical', unit: 'Family Medicine' }, { inviterName: lakeOwner.name })
  }

  if ((await prisma.system.count({ where: { organizationId: riverside.id } })) === 0) {
    const analyst = await prisma.user.findUniqueOrThrow({ where: { email: RIVERSIDE[3]!.email } })
    const business = await prisma.user.findUniqueOrThrow({ where: { email: RIVERSIDE[4]!.email } })
    const businessMembership = await prisma.membership.findUniqueOrThrow({ where: { organizationId_userId: { organizationId: riverside.id, userId: business.id } } })
    const analystScope = await scopeFor(riverside, analyst)
    await seedInventory(analystScope, { business: businessMembership.id, technical: analystScope.membershipId })
  }
  if ((await prisma.system.count({ where: { organizationId: lakeside.id } })) === 0) {
    const lakeOwner = await prisma.user.findUniqueOrThrow({ where: { email: LAKESIDE[0]!.email } })
    await seedSmallInventory(await scopeFor(lakeside, lakeOwner))
  }

  if ((await prisma.mappingVersion.count({ where: { organizationId: riverside.id } })) === 0) {
    const scopeOf = async (email: string) => scopeFor(riverside, await prisma.user.findUniqueOrThrow({ where: { email } }))
    await seedMapping({ analyst: await scopeOf(RIVERSIDE[3]!.email), clinician: await scopeOf(RIVERSIDE[4]!.email), consultant: await scopeOf(CONSULTANT.email) })
  }

  if ((await prisma.trainingModule.count({ where: { organizationId: riverside.id } })) === 0) {
    const manager = await prisma.user.findUniqueOrThrow({ where: { email: RIVERSIDE[2]!.email } })
    await seedTraining(await scopeFor(riverside, manager))
  }

  if ((await prisma.project.count({ where: { organizationId: riverside.id } })) === 0) {
    const manager = await prisma.user.findUniqueOrThrow({ where: { email: RIVERSIDE[2]!.email } })
    await seedProjects(await scopeFor(riverside, manager))
  }
  // Once per project (one with letters is left alone): the RACI matrices, with the lab project's one deliberate problem.
  await seedRaci(await scopeFor(riverside, await prisma.user.findUniqueOrThrow({ where: { email: RIVERSIDE[2]!.email } })), { manager: RIVERSIDE[2]!.email, analyst: RIVERSIDE[3]!.email, engineer: 'tom.walsh@riverside.test', clinicalLead: RIVERSIDE[4]!.email, labLead: 'priya.nair@riverside.test', compliance: RIVERSIDE[6]!.email, executive: RIVERSIDE[5]!.email, staff: RIVERSIDE[7]!.email })
  await seedDecisionsSecurity(riverside)
  await seedWaves(await scopeFor(riverside, await prisma.user.findUniqueOrThrow({ where: { email: RIVERSIDE[2]!.email } })))
  await seedUat(riverside)
  // On whatever UAT scenarios the lab project's results interface has: a sign-off gone stale and a new request. Once.
  await seedSignoffs(riverside)
  await seedReadiness({ manager: await scopeFor(riverside, await prisma.user.findUniqueOrThrow({ where: { email: RIVERSIDE[2]!.email } })), compliance: await scopeFor(riverside, await prisma.user.findUniqueOrThrow({ where: { email: RIVERSIDE[6]!.email } })) })

  // After the training seed: the reminders the hourly job would send now (inbox notices, held digests). Keyed: re-runs add nothing.
  await seedReminders(riverside.id)
  // After every other seed: the go/no-go record freezes what they made.
  await seedGonogo(riverside)

  const logins = [
    ...RIVERSIDE.filter((p) => p.persona).map((p) => [`${p.persona} (Riverside)`, p.email]),
    ...LAKESIDE.filter((p) => p.persona).map((p) => [p.persona!, p.email]),
    ['consultant (both orgs)', CONSULTANT.email],
    ['platform operator (/admin/jobs)', OPERATOR.email],
  ]
  mkdirSync('.tmp', { recursive: true })
  const width = Math.max(...logins.map(([r]) => r!.length))
  writeFileSync(
    '.tmp/demo-logins.txt',
    logins.map(([r, e]) => `${r!.padEnd(width)}  ${e}`).join('\n') + `\n\nPassword for every demo login: ${DEMO_PASSWORD}\n`,
  )
  return { riverside, lakeside, fresh }
}

const isMain = import.meta.url === `file://${process.argv[1]}`
if (isMain) {
  seed()
    .then(({ fresh }) => console.log(fresh ? 'seed: demo organisations created' : 'seed: demo organisations already present'))
    .catch((e) => {
      console.error(e)
      process.exitCode = 1
    })
    .finally(async () => {
      await closeQueues()
      await prisma.$disconnect()
    })
}
