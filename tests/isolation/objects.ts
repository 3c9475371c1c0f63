/**
 * The objects the isolation specs address, one small maker per kind. Like tests/factories.ts
 * (whose users and members they use), they write through Prisma: they set up a situation, the
 * routes under test exercise the rules. Every name carries the fixture's tag, so the other
 * organisation's objects carry the secret marker the sweep looks for in responses.
 */
import { randomBytes } from 'node:crypto'
import type { ReviewState, Role } from '#app/generated/prisma/client.ts'
import { batchKind } from '#app/models/mapping/mapping-io.server.ts'
import { sha256 } from '#app/utils/crypto.server.ts'
import { prisma } from '#app/utils/db.server.ts'
import { SYSTEM_COLUMNS } from '#app/models/inventory/inventory-csv.ts'
import { ROW_COLUMNS } from '#app/models/mapping/mapping-csv.ts'
import { addMember, createTestUser, uniqueSuffix } from '#tests/factories.ts'
import type { Fixture, Member } from './spec.ts'

/** A new member of the fixture's organisation (staff unless said), in a ward named after the tag. */
export async function makeMember(f: Fixture, role: Role = 'staff'): Promise<Member> {
  const u = uniqueSuffix()
  const user = await createTestUser({ name: `${f.tag} Member ${u}`, email: `${f.tag}-member-${u}@example.test` })
  const m = await addMember(f.org, user, role, undefined, `${f.tag} ward`)
  return { userId: user.id, membershipId: m.id, role, email: user.email, name: user.name }
}

export async function makeInvitation(f: Fixture) {
  const invitation = await prisma.invitation.create({
    data: {
      organizationId: f.org.id,
      email: `${f.tag}-invitee-${uniqueSuffix()}@example.test`,
      role: 'analyst',
      function: 'it',
      tokenHash: sha256(randomBytes(24).toString('base64url')),
      invitedById: f.owner.userId,
      expiresAt: new Date(Date.now() + 7 * 24 * 3600_000),
    },
  })
  return invitation.id
}

/** An email of the outbox; of no organisation (a platform email: a password reset) with `organizationId` null. */
export async function makeEmail(tag: string, organizationId: string | null) {
  const u = uniqueSuffix()
  const email = await prisma.emailOutbox.create({
    data: {
      organizationId,
      dedupeKey: `isolation:${u}`,
      template: 'invitation',
      toEmail: `${tag}-to-${u}@example.test`,
      subject: `${tag} invitation ${u}`,
      html: `<p>${tag} html</p>`,
      text: `${tag} text`,
      status: 'held',
    },
  })
  return email.id
}

export async function makeSystem(f: Fixture, kind: 'pharmacy' | 'ehr' | 'lis' = 'pharmacy') {
  const system = await prisma.system.create({
    data: { organizationId: f.org.id, name: `${f.tag} ${kind} ${uniqueSuffix()}`, kind, vendor: `${f.tag} vendor` },
  })
  return system.id
}

export async function makeConformanceTest(f: Fixture, systemId: string) {
  const test = await prisma.conformanceTest.create({
    data: { organizationId: f.org.id, systemId, standard: `${f.tag} profile`, testedOn: new Date('2026-01-15'), result: 'passed' },
  })
  return test.id
}

/** An interface between two new systems. */
export async function makeInterface(f: Fixture) {
  const [sourceSystemId, targetSystemId] = await Promise.all([makeSystem(f, 'ehr'), makeSystem(f, 'lis')])
  const iface = await prisma.interface.create({
    data: {
      organizationId: f.org.id,
      name: `${f.tag} ADT feed ${uniqueSuffix()}`,
      sourceSystemId,
      targetSystemId,
      standard: 'hl7v2',
      messageTypes: ['ADT^A01'],
      transport: 'mllp',
      approach: 'via_engine',
      description: `${f.tag} interface`,
    },
  })
  return { interfaceId: iface.id, sourceSystemId, targetSystemId }
}

/** A previewed, not yet applied import of one new system (every column of the template: the import insists). */
export async function makeSystemsImportBatch(f: Fixture) {
  const cells: Record<string, string> = { name: `${f.tag} imported ${uniqueSuffix()}`, kind: 'ehr' }
  const batch = await prisma.importBatch.create({
    data: { organizationId: f.org.id, kind: 'systems', fileName: `${f.tag}.csv`, content: systemsCsv(cells), createdById: f.actor.membershipId },
  })
  return batch.id
}

export const systemsCsv = (cells: Record<string, string>) =>
  `${SYSTEM_COLUMNS.map((c) => c.name).join(',')}\n${SYSTEM_COLUMNS.map((c) => cells[c.name] ?? '').join(',')}\n`

export const mappingRowsCsv = (cells: Record<string, string>) =>
  `${ROW_COLUMNS.map((c) => c.name).join(',')}\n${ROW_COLUMNS.map((c) => cells[c.name] ?? '').join(',')}\n`

export async function makeNotification(f: Fixture, membershipId: string, link: string | null = null) {
  const u = uniqueSuffix()
  const n = await prisma.notification.create({
    data: { organizationId: f.org.id, membershipId, kind: 'training.due_7', title: `${f.tag} notice ${u}`, body: `${f.tag} body`, link, dedupeKey: `isolation:${f.tag}:${u}` },
  })
  return n.id
}

/**
 * A draft mapping version of a new interface with one row (written by the colleague, so the
 * actor may review it) in `rowState`, and one code map of the row.
 */
export async function makeMappingVersion(f: Fixture, rowState: ReviewState = 'in_review') {
  const { interfaceId } = await makeInterface(f)
  const version = await prisma.mappingVersion.create({ data: { organizationId: f.org.id, interfaceId, number: 1, notes: `${f.tag} mapping` } })
  const u = uniqueSuffix()
  const id = `r${u}${f.tag.replace(/[^a-z0-9]/gi, '')}`.slice(0, 25)
  const row = await prisma.mappingRow.create({
    data: {
      id,
      lineageId: id,
      organizationId: f.org.id,
      versionId: version.id,
      position: 1,
      sourceField: `${f.tag} source field`,
      sourcePath: `PID-${u}`,
      targetField: `${f.tag} target field`,
      targetPath: `Patient.${f.tag.replace(/[^a-z]/gi, '')}`,
      dataType: 'string',
      reviewState: rowState,
      authorId: f.colleague.membershipId,
    },
  })
  const codeMap = await prisma.codeMap.create({
    data: { organizationId: f.org.id, versionId: version.id, rowId: row.id, sourceSystem: `urn:${f.tag}`, localCode: `${f.tag}-CODE`, localDisplay: `${f.tag} display`, targetSystem: 'http://loinc.org', targetCode: '2345-7', equivalence: 'equal' },
  })
  return { interfaceId, mappingVersionId: version.id, mappingRowId: row.id, codeMapId: codeMap.id }
}

/** A previewed, not yet applied import of one new optional row into a version. */
export async function makeMappingImportBatch(f: Fixture, versionId: string) {
  const cells = { sourceField: `${f.tag} field`, sourcePath: `ZZZ-${uniqueSuffix()}`, targetField: 'Extension', targetPath: 'Patient.extension', dataType: 'string', requirement: 'optional', transformType: 'copy' }
  const batch = await prisma.importBatch.create({
    data: { organizationId: f.org.id, kind: batchKind('rows', versionId), fileName: `${f.tag}-rows.csv`, content: mappingRowsCsv(cells), createdById: f.actor.membershipId },
  })
  return batch.id
}

/**
 * A training module with two checklist items (the first verified by `verifierRole`), one rule
 * (for the tag's ward), and an open assignment of the module to `learner` with the first item
 * ticked (awaiting verification when it needs it).
 */
export async function makeTraining(
  f: Fixture,
  learner: Member,
  opts: { verifierRole?: Role | null; ruleActive?: boolean; archived?: boolean; tickAll?: boolean } = {},
) {
  const module = await prisma.trainingModule.create({
    data: { organizationId: f.org.id, title: `${f.tag} module ${uniqueSuffix()}`, description: `${f.tag} training`, archivedAt: opts.archived ? new Date() : null },
  })
  const [item, second] = await Promise.all(
    [1, 2].map((position) =>
      prisma.trainingChecklistItem.create({
        data: {
          organizationId: f.org.id,
          moduleId: module.id,
          position,
          label: `${f.tag} at-the-elbow session ${position}`,
          verifierRole: position === 1 ? (opts.verifierRole === undefined ? 'clinical_lead' : opts.verifierRole) : null,
        },
      }),
    ),
  )
  const rule = await prisma.trainingRule.create({ data: { organizationId: f.org.id, moduleId: module.id, units: [`${f.tag} ward`], active: opts.ruleActive ?? true } })
  const assignment = await prisma.trainingAssignment.create({
    data: { organizationId: f.org.id, moduleId: module.id, membershipId: learner.membershipId, ruleId: rule.id, dueAt: new Date(Date.now() + 7 * 24 * 3600_000) },
  })
  const check = await prisma.trainingItemCheck.create({
    data: { organizationId: f.org.id, assignmentId: assignment.id, itemId: item!.id, checkedById: learner.membershipId },
  })
  if (opts.tickAll) {
    await prisma.trainingItemCheck.create({ data: { organizationId: f.org.id, assignmentId: assignment.id, itemId: second!.id, checkedById: learner.membershipId } })
  }
  return {
    trainingModuleId: module.id,
    trainingItemId: item!.id,
    secondItemId: second!.id,
    trainingRuleId: rule.id,
    assignmentId: assignment.id,
    trainingCheckId: check.id,
  }
}

/** A previewed, not yet applied staff roster: one existing member moves to a new unit. */
export async function makeRosterBatch(f: Fixture) {
  const member = await makeMember(f)
  const batch = await prisma.importBatch.create({
    data: {
      organizationId: f.org.id,
      kind: 'roster',
      fileName: `${f.tag}-roster.csv`,
      content: rosterCsv(member.email, `${f.tag} new ward`),
      createdById: f.actor.membershipId,
    },
  })
  return { rosterBatchId: batch.id, memberId: member.membershipId }
}

export const rosterCsv = (email: string, unit: string) => `email,name,role,function,unit,manager_email\n${email},,staff,clinical,${unit},\n`

/** A file for a multipart form. */
export const file = (name: string, content: string, type = 'text/csv') => new File([content], name, { type })
