/** A project's security risk assessment: the checklist, starting it, completing items, attesting. */
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import { scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { makeInterface } from './objects.ts'
import { defineSpecs, type Fixture } from './spec.ts'

/** A project whose assessment (made by createProject) has a BAA per vendor of its interface; in the state the intent needs. */
async function makeAssessment(f: Fixture) {
  const { interfaceId } = await makeInterface(f)
  const scope = await scopeFor(f.org, { id: f.owner.userId })
  const project = await createProject(
    scope,
    ProjectSchema.parse({ name: `${f.tag} project ${uniqueSuffix()}`, goal: `${f.tag} goal`, approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', interfaceIds: [interfaceId] }),
  )
  const tls = await prisma.securityItem.findFirstOrThrow({ where: { projectId: project.id, kind: 'tls' } })
  // "Start the assessment" is for a project that predates assessments; attesting needs every item complete.
  if (f.intent === 'start') await prisma.securityAssessment.deleteMany({ where: { projectId: project.id } })
  if (f.intent === 'attest') await prisma.securityItem.updateMany({ where: { projectId: project.id }, data: { status: 'done', evidence: `${f.tag} evidence` } })
  return { projectId: project.id, itemId: tls.id }
}

export default defineSpecs('security', [
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.security',
    objects: makeAssessment,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read' },
    action: {
      can: 'security:write',
      intents: {
        start: { form: () => ({}) },
        'update-item': { form: (o, unique) => ({ itemId: o.itemId!, status: 'done', evidence: `TLS 1.3 on the MLLP listener ${unique}`, evidenceUrl: 'https://wiki.example/tls' }) },
        attest: { can: 'security:attest', form: (_, unique) => ({ note: `Reviewed ${unique}` }) },
      },
    },
  },
])
