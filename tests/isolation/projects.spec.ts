/** Projects: the list, a project's home, its plan (steps, phases, baseline, deployment) and its timeline. */
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import { scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { openGate } from '#tests/readiness-factories.ts'
import { makeInterface, makeMember, makeSystem } from './objects.ts'
import { defineSpecs, NO_INTENT, type Fields, type Fixture, type Objects } from './spec.ts'

/** A project of the fixture's organisation with its plan, one interface in scope, and a custom step. */
async function makeProject(f: Fixture) {
  const { interfaceId } = await makeInterface(f)
  const scope = await scopeFor(f.org, { id: f.owner.userId })
  const project = await createProject(
    scope,
    ProjectSchema.parse({ name: `${f.tag} project ${uniqueSuffix()}`, goal: `${f.tag} goal`, approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', interfaceIds: [interfaceId] }),
  )
  const phases = await prisma.projectPhase.findMany({ where: { projectId: project.id }, include: { steps: { orderBy: { position: 'asc' } } } })
  const testing = phases.find((p) => p.kind === 'testing')!
  const custom = await prisma.projectStep.create({
    data: { organizationId: f.org.id, projectId: project.id, phaseId: testing.id, position: 99, title: `${f.tag} custom step`, plannedStart: testing.plannedStart, plannedEnd: testing.plannedEnd },
  })
  // "Start deployment" succeeds once every earlier step is done.
  if (f.intent === 'start-deployment') {
    await prisma.projectStep.updateMany({ where: { projectId: project.id, phase: { kind: { in: ['discovery', 'design', 'testing'] } } }, data: { status: 'done' } })
    // …and the go-live gate is open (tests/isolation/readiness.spec.ts sweeps the gate itself).
    await openGate(project)
  }
  const step = testing.steps[1]!
  return {
    projectId: project.id,
    interfaceId,
    phaseId: testing.id,
    stepId: step.id,
    stepTitle: step.title,
    stepStart: step.plannedStart!.toISOString().slice(0, 10),
    stepEnd: step.plannedEnd!.toISOString().slice(0, 10),
    phaseStart: testing.plannedStart!.toISOString().slice(0, 10),
    phaseEnd: testing.plannedEnd!.toISOString().slice(0, 10),
    customStepId: custom.id,
  }
}

const projectForm = (o: Objects, unique: string): Fields => ({
  name: `Project ${unique}`,
  goal: 'Lab results into the EHR',
  approach: 'via_engine',
  startDate: '2027-01-04',
  targetGoLive: '2027-06-30',
  status: 'planned',
  // The scope and the owner are objects of the form: another organisation's must be refused.
  interfaceIds: o.interfaceId!,
  systemIds: o.systemId!,
  ownerId: o.memberId!,
})

const formObjects = async (f: Fixture) => ({ interfaceId: (await makeInterface(f)).interfaceId, systemId: await makeSystem(f, 'ehr'), memberId: (await makeMember(f, 'manager')).membershipId })

export default defineSpecs('projects', [
  { route: 'routes/o.$orgSlug+/projects._index', loader: { can: 'projects:read', search: (_, needle) => `?q=${encodeURIComponent(needle)}` } },
  {
    route: 'routes/o.$orgSlug+/projects.new',
    objects: formObjects,
    loader: { can: 'projects:write', search: (o) => `?systemId=${o.systemId}&interfaceId=${o.interfaceId}` },
    action: { can: 'projects:write', intents: { [NO_INTENT]: { form: projectForm } } },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId',
    objects: makeProject,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read' },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.edit',
    objects: async (f) => ({ ...(await makeProject(f)), ...(await formObjects(f)) }),
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:write' },
    action: { can: 'projects:write', intents: { [NO_INTENT]: { form: projectForm } } },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.timeline',
    objects: makeProject,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read' },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.plan',
    objects: makeProject,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read', search: (o) => `?edit=${o.stepId}` },
    action: {
      can: 'projects:write',
      intents: {
        'update-step': { form: (o) => ({ id: o.stepId!, title: o.stepTitle!, status: 'in_progress', plannedStart: o.stepStart!, plannedEnd: o.stepEnd! }) },
        'update-phase': { form: (o) => ({ id: o.phaseId!, status: 'in_progress', plannedStart: o.phaseStart!, plannedEnd: o.phaseEnd! }) },
        'add-step': { form: (o, unique) => ({ phaseId: o.phaseId!, title: `Downtime drill ${unique}` }) },
        'move-up': { form: (o) => ({ id: o.stepId! }) },
        'move-down': { form: (o) => ({ id: o.stepId! }) },
        'delete-step': { form: (o) => ({ id: o.customStepId! }) },
        'set-baseline': { form: () => ({}) },
        'start-deployment': { form: () => ({}) },
      },
    },
  },
])
