import { signerEligibility, requestSignoff, signOff, signoffContent } from '#app/models/uat/signoff.server.ts'
import { markSignoffsStale } from '#app/models/uat/signoff-stale.server.ts'
import { setRaciCell } from '#app/models/projects/raci.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { scopeFor } from '#tests/factories.ts'
import { LAB_PROJECT } from './seed-raci.ts'

/** The people the demo sign-off names, by their demo email. */
export type SignoffPeople = { clinicalLead: string; labLead: string; manager: string; analyst: string }

const DEMO_PEOPLE: SignoffPeople = {
  clinicalLead: 'grace.chen@riverside.test',
  labLead: 'priya.nair@riverside.test',
  manager: 'maria.delgado@riverside.test',
  analyst: 'arjun.patel@riverside.test',
}
const RESULTS_INTERFACE = 'Engine → EHR: results'
const DAY = 86_400_000

/**
 * The demo's clinical sign-off, on whatever UAT scenarios the lab project's results interface
 * has (none: nothing is done):
 * - the clinical lead (R or A on UAT — made R if the RACI does not say so) signed the results
 *   interface's set four days ago, two minutes after re-entering her password; if she wrote one
 *   of its scenarios, the lab's clinical lead signs instead;
 * - two days later the analyst tightened one scenario's expected result, so the sign-off is
 *   stale (through markSignoffsStale, as the scenario writer does: the signer and the project's
 *   owner are told in their inboxes);
 * - the project manager asked for a new sign-off: a request waits in the signer's inbox.
 * Runs once (a project with a sign-off of that set is left alone).
 */
export async function seedSignoffs(riverside: { id: string }, people: SignoffPeople = DEMO_PEOPLE, now = new Date()) {
  const org = riverside.id
  const project = await prisma.project.findFirst({
    where: { organizationId: org, name: { in: [LAB_PROJECT, 'Quest lab results into Epic via Mirth'] } },
    select: { id: true, interfaces: { where: { interface: { name: RESULTS_INTERFACE } }, select: { interfaceId: true } } },
  })
  const interfaceId = project?.interfaces[0]?.interfaceId
  if (!project || !interfaceId) return null
  const scenarios = await prisma.uatScenario.findMany({ where: { organizationId: org, projectId: project.id, interfaceId }, orderBy: { number: 'asc' }, select: { id: true, number: true, expectedResult: true } })
  if (!scenarios.length) return null
  if (await prisma.uatSignoff.count({ where: { organizationId: org, projectId: project.id, interfaceId } })) return null

  const scopeOf = async (email: string) => {
    const user = await prisma.user.findUnique({ where: { email }, select: { id: true } })
    const member = user && (await prisma.membership.findFirst({ where: { organizationId: org, userId: user.id, status: 'active' }, select: { id: true } }))
    return member ? scopeFor({ id: org }, user) : null
  }
  const manager = await scopeOf(people.manager)
  const analyst = (await scopeOf(people.analyst)) ?? manager
  if (!manager || !analyst) return null
  const set = { projectId: project.id, interfaceId }
  const read = (await signoffContent(manager, set))!

  // The signer: the clinical lead, else the lab's (when she wrote a scenario of the set); R or A on UAT.
  let signer: TenantScope | null = null
  for (const email of [people.clinicalLead, people.labLead]) {
    const lead = await scopeOf(email)
    if (!lead || read.authorIds.includes(lead.membershipId)) continue
    if (!(await signerEligibility(lead, { ...set, authorIds: read.authorIds })).may) {
      const activity = await prisma.raciActivity.findFirst({ where: { organizationId: org, projectId: project.id, step: { standardKey: 'uat' } }, select: { id: true } })
      if (!activity) continue
      await setRaciCell(manager, { projectId: project.id, activityId: activity.id, holder: { membershipId: lead.membershipId }, letter: 'R' })
    }
    signer = lead
    break
  }
  if (!signer) return null

  const signedAt = new Date(now.getTime() - 4 * DAY)
  const signoff = (await signOff(signer, { ...set, decision: 'signed', contentHash: read.hash, stepUpAt: new Date(signedAt.getTime() - 2 * 60_000) }, { now: signedAt }))!

  // Two days later the analyst tightens a scenario's expected result: the sign-off goes stale.
  const changed = scenarios[Math.min(1, scenarios.length - 1)]!
  await prisma.uatScenario.update({
    where: { id: changed.id },
    data: { expectedResult: `${changed.expectedResult.replace(/\.?\s*$/, '.')} A critical value also pages the ordering clinician within 15 minutes.` },
  })
  await markSignoffsStale(analyst, { projectId: project.id, scenarioIds: [changed.id], reason: `S-${changed.number} was edited: its expected result now includes paging the ordering clinician for a critical value` })

  // And the manager asks for a new sign-off.
  await requestSignoff(manager, set, { now })
  return { signoffId: signoff.id, signerId: signer.membershipId }
}
