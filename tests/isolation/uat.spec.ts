/** UAT: the scenario list (write), one scenario (edit, run, defect from a run), the defects (open, move, edit), the CSV export and import. */
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import { scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { file, makeInterface, makeMember } from './objects.ts'
import { defineSpecs, type Fixture } from './spec.ts'

const HEADER = 'number,interface,title,priority,edge_cases,preconditions,steps,expected_result,mapping_rows'

/**
 * A project with an interface in scope (one mapping row), a scenario of it with a failed run, an
 * open defect from that run, a member to own defects and test, and a previewed import batch.
 */
async function makeUat(f: Fixture) {
  const { interfaceId } = await makeInterface(f)
  const scope = await scopeFor(f.org, { id: f.owner.userId })
  const project = await createProject(
    scope,
    ProjectSchema.parse({ name: `${f.tag} project ${uniqueSuffix()}`, goal: `${f.tag} goal`, approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', interfaceIds: [interfaceId] }),
  )
  const version = await prisma.mappingVersion.create({ data: { organizationId: f.org.id, interfaceId, number: 1 } })
  const row = await prisma.mappingRow.create({
    data: { organizationId: f.org.id, versionId: version.id, lineageId: `lin-${uniqueSuffix()}`, position: 1, sourceField: `${f.tag} value`, sourcePath: 'OBX-5', targetField: 'Value', targetPath: 'Observation.value', dataType: 'ST' },
  })
  const scenario = await prisma.uatScenario.create({
    data: { organizationId: f.org.id, projectId: project.id, interfaceId, number: 1, title: `${f.tag} empty OBX-5`, steps: `${f.tag} send it`, expectedResult: `${f.tag} no result`, edgeCases: ['null_values'] },
  })
  const run = await prisma.uatRun.create({ data: { organizationId: f.org.id, projectId: project.id, scenarioId: scenario.id, result: 'fail', environment: 'test', notes: `${f.tag} H flag lost` } })
  const defect = await prisma.uatDefect.create({ data: { organizationId: f.org.id, projectId: project.id, number: 1, title: `${f.tag} H flag lost`, severity: 2, scenarioId: scenario.id, runId: run.id } })
  const batch = await prisma.importBatch.create({
    data: { organizationId: f.org.id, kind: `uat:${project.id}`, fileName: `${f.tag}-uat.csv`, content: `${HEADER}\r\n,,${f.tag} whole project,,,,steps,result,\r\n`, createdById: f.actor.membershipId },
  })
  return {
    projectId: project.id,
    interfaceId,
    lineageId: row.lineageId,
    scenarioId: scenario.id,
    runId: run.id,
    defectId: defect.id,
    memberId: (await makeMember(f, 'analyst')).membershipId,
    uatImportBatchId: batch.id,
  }
}

const scenarioForm = (unique: string) => ({ title: `Scenario ${unique}`, steps: '1. Send an ORU^R01 with OBX-5 empty.', expectedResult: 'Shown as no result.', priority: 'high', edgeCases: ['null_values', 'duplicates'] })

export default defineSpecs('uat', [
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.uat',
    objects: makeUat,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read', search: (o) => `?about=${o.interfaceId}&latest=fail&edge=null_values` },
    action: {
      can: 'uat:write',
      intents: {
        create: { form: (o, unique) => ({ ...scenarioForm(unique), interfaceId: o.interfaceId! }) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.uat_.$scenarioId',
    objects: makeUat,
    params: (o) => ({ projectId: o.projectId!, scenarioId: o.scenarioId! }),
    loader: { can: 'projects:read', search: (o) => `?defectFrom=${o.runId}` },
    action: {
      can: 'uat:write',
      intents: {
        update: { form: (o, unique) => ({ ...scenarioForm(unique), interfaceId: o.interfaceId!, lineageIds: o.lineageId! }) },
        run: { form: (o) => ({ result: 'fail', environment: 'sandbox', testerId: o.memberId!, executedOn: '2026-06-01', notes: 'Flag lost again', evidenceUrl: 'https://wiki.example/run' }) },
        defect: { form: (o, unique) => ({ title: `Defect ${unique}`, severity: '3', ownerId: o.memberId!, runId: o.runId! }) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.uat_.defects',
    objects: makeUat,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read', search: () => '?status=open&severity=2' },
    action: {
      can: 'uat:write',
      intents: {
        create: { form: (o, unique) => ({ title: `Defect ${unique}`, severity: '2', ownerId: o.memberId!, scenarioId: o.scenarioId!, runId: o.runId! }) },
        status: { form: (o) => ({ defectId: o.defectId!, status: 'fixed' }) },
        update: { form: (o, unique) => ({ defectId: o.defectId!, title: `Defect ${unique}`, severity: '1', ownerId: o.memberId! }) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.uat_.export',
    objects: makeUat,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read' },
  },
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.uat_.import',
    objects: makeUat,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read' },
    action: {
      can: 'uat:write',
      intents: {
        preview: { form: () => ({ file: file('uat.csv', `${HEADER}\r\nS-1,,Whole project now,,,,steps,result,\r\n`) }) },
        apply: { form: (o) => ({ batchId: o.uatImportBatchId! }) },
      },
    },
  },
])
