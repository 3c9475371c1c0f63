/** UAT clinical sign-off: the sign-off page (step-up, sign, refuse, ask), the history, one record. */
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { signoffContent } from '#app/models/uat/signoff.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { DEFAULT_TEST_PASSWORD, scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { holdUat, makeDefect, makeRun, makeScenario } from '#tests/signoff-fixtures.ts'
import { makeInterface, makeMember } from './objects.ts'
import { defineSpecs, type Fixture } from './spec.ts'

/**
 * A project with an interface in scope and two scenarios of it (written by the colleague, run
 * once, one open defect); the caller is R on UAT (so a clinical lead may sign) and has just
 * re-entered their password in every session; another clinical lead is A on UAT (so anyone
 * may ask for a sign-off); and one signed record.
 */
async function makeSignoffWorld(f: Fixture) {
  const { interfaceId } = await makeInterface(f)
  const owner = await scopeFor(f.org, { id: f.owner.userId })
  const project = await createProject(
    owner,
    ProjectSchema.parse({ name: `${f.tag} project ${uniqueSuffix()}`, goal: `${f.tag} goal`, approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', ownerId: f.owner.membershipId, interfaceIds: [interfaceId] }),
  )
  const org = { organizationId: f.org.id }
  const lead = await makeMember(f, 'clinical_lead')
  await holdUat(org, { projectId: project.id, membershipId: lead.membershipId, letter: 'A' })
  await holdUat(org, { projectId: project.id, membershipId: f.actor.membershipId, letter: 'R' })
  const s1 = await makeScenario(org, { projectId: project.id, interfaceId, authorId: f.colleague.membershipId, title: `${f.tag} result files` })
  await makeScenario(org, { projectId: project.id, interfaceId, authorId: f.colleague.membershipId, title: `${f.tag} unknown code held` })
  await makeRun(org, { projectId: project.id, scenarioId: s1.id, notes: `${f.tag} filed` })
  await makeDefect(org, { projectId: project.id, scenarioId: s1.id, severity: 3, title: `${f.tag} reference range missing` })
  await prisma.session.updateMany({ where: { userId: f.actor.userId }, data: { reauthenticatedAt: new Date() } })
  const read = (await signoffContent(systemScope(f.org.id), { projectId: project.id, interfaceId }))!
  const record = await prisma.uatSignoff.create({
    data: {
      organizationId: f.org.id,
      projectId: project.id,
      interfaceId,
      decision: 'signed',
      statement: read.statements.signed,
      content: read.content,
      contentHash: read.hash,
      signerId: lead.membershipId,
      signerName: lead.name,
      stepUpAt: new Date(),
    },
  })
  return { projectId: project.id, interfaceId, contentHash: read.hash, signoffId: record.id }
}

export default defineSpecs('signoff', [
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.uat_.signoff',
    objects: makeSignoffWorld,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read', search: (o) => `?interface=${o.interfaceId}` },
    action: {
      can: 'uat:signoff',
      intents: {
        'step-up': { form: (o) => ({ interfaceId: o.interfaceId!, password: DEFAULT_TEST_PASSWORD }) },
        sign: { form: (o) => ({ interfaceId: o.interfaceId!, contentHash: o.contentHash! }) },
        refuse: { form: (o) => ({ interfaceId: o.interfaceId!, contentHash: o.contentHash!, refusalReason: 'The unknown-code scenario has never been run.' }) },
        request: { can: 'uat:write', form: (o) => ({ interfaceId: o.interfaceId! }) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.uat_.signoffs',
    objects: makeSignoffWorld,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read', search: () => '?page=1' },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.uat_.signoffs_.$signoffId',
    objects: makeSignoffWorld,
    params: (o) => ({ projectId: o.projectId!, signoffId: o.signoffId! }),
    loader: { can: 'projects:read' },
  },
])
