/** Projects: the RACI matrix (cells, rows, custom activities, templates), its CSV export and its import. */
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import { scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { file, makeInterface, makeMember } from './objects.ts'
import { defineSpecs, type Fixture } from './spec.ts'

const UAT = 'User acceptance testing (UAT)'
const raciCsv = (email: string) => `activity,kind,category,email,function,letter\r\n${UAT},step,testing,${email},,R\r\n`

/**
 * A project of the fixture's organisation (no owner: the editors are the roles with raci:write),
 * its RACI rows, a custom activity, a member to give letters to, and — for "apply" — a previewed
 * import that gives that member an R on UAT.
 */
async function makeRaci(f: Fixture) {
  const { interfaceId } = await makeInterface(f)
  const scope = await scopeFor(f.org, { id: f.owner.userId })
  const project = await createProject(
    scope,
    ProjectSchema.parse({ name: `${f.tag} project ${uniqueSuffix()}`, goal: `${f.tag} goal`, approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', interfaceIds: [interfaceId] }),
  )
  const uat = await prisma.raciActivity.findFirstOrThrow({ where: { projectId: project.id, step: { standardKey: 'uat' } } })
  const custom = await prisma.raciActivity.create({ data: { organizationId: f.org.id, projectId: project.id, kind: 'custom', title: `${f.tag} pen test`, category: 'security', position: 1 } })
  const member = await makeMember(f, 'clinical_lead')
  const batch = await prisma.importBatch.create({
    data: { organizationId: f.org.id, kind: `raci:${project.id}`, fileName: `${f.tag}-raci.csv`, content: raciCsv(member.email), createdById: f.actor.membershipId },
  })
  return { projectId: project.id, raciActivityId: uat.id, customActivityId: custom.id, memberId: member.membershipId, memberEmail: member.email, raciImportBatchId: batch.id }
}

export default defineSpecs('raci', [
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.raci',
    objects: makeRaci,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read', search: (o) => `?with=${o.memberId}&edit=${o.raciActivityId}` },
    action: {
      // The route asks for projects:read; the model refuses (403, audited) who lacks raci:write and does not own the project.
      can: 'raci:write',
      intents: {
        'set-cell': { form: (o) => ({ activityId: o.raciActivityId!, holder: `m:${o.memberId}`, letter: 'R' }) },
        'clear-cell': { form: (o) => ({ activityId: o.raciActivityId!, holder: `m:${o.memberId}` }) },
        'save-row': { form: (o) => ({ activityId: o.raciActivityId!, [`cell:m:${o.memberId}`]: 'C', 'cell:f:clinical': 'I' }) },
        'add-activity': { form: (_, unique) => ({ title: `Downtime drill ${unique}`, category: 'testing', dueDate: '2027-03-01' }) },
        'update-activity': { form: (o) => ({ activityId: o.customActivityId!, title: 'Penetration test', category: 'security', dueDate: '2027-04-01' }) },
        'delete-activity': { form: (o) => ({ activityId: o.customActivityId! }) },
        'apply-template': { form: (o) => ({ template: 'clinical_design_testing', holder: `m:${o.memberId}` }) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.raci_.export',
    objects: makeRaci,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read' },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.raci_.import',
    objects: makeRaci,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read' },
    action: {
      can: 'raci:write',
      intents: {
        preview: { form: (o) => ({ file: file('raci.csv', raciCsv(o.memberEmail!)) }) },
        apply: { form: (o) => ({ batchId: o.raciImportBatchId! }) },
      },
    },
  },
])
