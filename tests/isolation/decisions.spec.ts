/** A project's decision log: the list (log, accept, reject) and one decision (edit, accept, reject, supersede). */
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import { scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { makeInterface, makeMember } from './objects.ts'
import { defineSpecs, type Fixture } from './spec.ts'

/**
 * A project with an interface in scope, a RACI activity, a member to own decisions, and a
 * decision: proposed, or accepted when the intent supersedes it (and for the loader, which
 * then shows the superseding form).
 */
async function makeDecisionLog(f: Fixture) {
  const { interfaceId } = await makeInterface(f)
  const scope = await scopeFor(f.org, { id: f.owner.userId })
  const project = await createProject(
    scope,
    ProjectSchema.parse({ name: `${f.tag} project ${uniqueSuffix()}`, goal: `${f.tag} goal`, approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', interfaceIds: [interfaceId] }),
  )
  const activity = await prisma.raciActivity.create({ data: { organizationId: f.org.id, projectId: project.id, kind: 'custom', title: `${f.tag} choose the route`, category: 'planning', position: 1 } })
  const accepted = f.intent === 'supersede' || f.intent === undefined
  const decision = await prisma.projectDecision.create({
    data: {
      organizationId: f.org.id,
      projectId: project.id,
      number: 1,
      title: `${f.tag} decision`,
      decision: `${f.tag} route results through the engine`,
      status: accepted ? 'accepted' : 'proposed',
      acceptedAt: accepted ? new Date() : null,
    },
  })
  return { projectId: project.id, decisionId: decision.id, interfaceId, activityId: activity.id, memberId: (await makeMember(f, 'manager')).membershipId }
}

const decisionForm = (unique: string) => ({ title: `Decision ${unique}`, decision: 'Route results through the engine.', rationale: 'One place to monitor.', decidedOn: '2027-01-10' })

export default defineSpecs('decisions', [
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.decisions',
    objects: makeDecisionLog,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read', search: () => '?status=accepted' },
    // The route lets every reader in; the model refuses (403, audited) whoever lacks decisions:write and is not R or A on the project.
    action: {
      can: 'decisions:write',
      intents: {
        create: { form: (o, unique) => ({ ...decisionForm(unique), ownerId: o.memberId!, interfaceId: o.interfaceId! }) },
        accept: { form: (o) => ({ decisionId: o.decisionId! }) },
        reject: { form: (o) => ({ decisionId: o.decisionId! }) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.decisions_.$decisionId',
    objects: makeDecisionLog,
    params: (o) => ({ projectId: o.projectId!, decisionId: o.decisionId! }),
    loader: { can: 'projects:read', search: () => '?supersede=1' },
    action: {
      can: 'decisions:write',
      intents: {
        update: { form: (o, unique) => ({ ...decisionForm(unique), ownerId: o.memberId!, activityId: o.activityId! }) },
        supersede: { form: (o, unique) => ({ ...decisionForm(unique), interfaceId: o.interfaceId! }) },
        accept: { form: () => ({}) },
        reject: { form: () => ({}) },
      },
    },
  },
])
