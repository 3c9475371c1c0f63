/** A project with interfaces, mapping rows and people, for the UAT model tests. */
import { createInterface } from '#app/models/inventory/interface.server.ts'
import { InterfaceSchema, SystemSchema } from '#app/models/inventory/inventory.ts'
import { createSystem } from '#app/models/inventory/system.server.ts'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { ScenarioSchema } from '#app/models/uat/schemas.ts'
import type { Role } from '#app/models/people/vocabulary.ts'
import { prisma } from '#app/utils/db.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor, uniqueSuffix } from './factories.ts'

export const scenarioInput = (fields: Record<string, unknown> = {}) =>
  ScenarioSchema.parse({ title: `Scenario ${uniqueSuffix()}`, steps: '1. Send an ORU^R01.\n2. Open the result.', expectedResult: 'The result files to the right patient.', ...fields })

/** An organisation with a project over one interface (two mapping rows), another interface out of scope, and members by role. */
export async function setUpUat() {
  const { org, owner, scope } = await createOrgWithOwner()
  const lis = await createSystem(scope, SystemSchema.parse({ name: `LIS ${uniqueSuffix()}`, kind: 'lis', vendor: 'Northwind' }))
  const ehr = await createSystem(scope, SystemSchema.parse({ name: `EHR ${uniqueSuffix()}`, kind: 'ehr', vendor: 'Meridian' }))
  const iface = await createInterface(scope, InterfaceSchema.parse({ name: `Results ${uniqueSuffix()}`, sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', messageTypes: ['ORU^R01'], transport: 'mllp', approach: 'via_engine' }))
  const other = await createInterface(scope, InterfaceSchema.parse({ name: `Orders ${uniqueSuffix()}`, sourceSystemId: ehr.id, targetSystemId: lis.id, standard: 'hl7v2', messageTypes: ['ORM^O01'], transport: 'mllp', approach: 'via_engine' }))
  const project = await createProject(scope, ProjectSchema.parse({ name: `Project ${uniqueSuffix()}`, goal: 'Results', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', interfaceIds: [iface.id], ownerId: scope.membershipId }))
  const version = await prisma.mappingVersion.create({ data: { organizationId: org.id, interfaceId: iface.id, number: 1 } })
  const row = (lineageId: string, position: number, sourcePath: string) =>
    prisma.mappingRow.create({
      data: { organizationId: org.id, versionId: version.id, lineageId, position, sourceField: 'Value', sourcePath, targetField: 'Value', targetPath: 'Observation.value', dataType: 'ST' },
    })
  const value = await row(`lin-value-${uniqueSuffix()}`, 1, 'OBX-5')
  const flag = await row(`lin-flag-${uniqueSuffix()}`, 2, 'OBX-8')
  const as = async (role: Role) => {
    const user = await createTestUser()
    await addMember(org, user, role)
    return scopeFor(org, user)
  }
  return { org, owner, scope, project, iface, other, lineages: { value: value.lineageId, flag: flag.lineageId }, as }
}

/** A signed sign-off of the project covering the scenarios, written directly (the sign-off model is another's). */
export async function signOff(input: { organizationId: string; projectId: string; signerId: string; scenarioIds: string[] }) {
  return prisma.uatSignoff.create({
    data: {
      organizationId: input.organizationId,
      projectId: input.projectId,
      decision: 'signed',
      statement: 'I have reviewed these scenarios and accept them for go-live.',
      content: { scenarios: input.scenarioIds },
      contentHash: 'x'.repeat(64),
      signerId: input.signerId,
      signerName: 'Dr. Signer',
      stepUpAt: new Date(),
      scenarios: { create: input.scenarioIds.map((scenarioId) => ({ organizationId: input.organizationId, scenarioId })) },
    },
  })
}
