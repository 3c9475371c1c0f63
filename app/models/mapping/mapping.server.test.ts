import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { InterfaceSchema, SystemSchema } from '#app/models/inventory/inventory.ts'
import { CodeMapSchema, MappingRowSchema } from '#app/models/mapping/mapping.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { addMember, createOrgWithOwner, createTestUser, scopeFor } from '#tests/factories.ts'
import { expectDomainError } from '#tests/helpers.ts'
import { createInterface, deleteInterface } from '../inventory/interface.server.ts'
import {
  approveMappingVersion,
  coverageOf,
  createCodeMap,
  createMappingRow,
  deleteCodeMap,
  deleteMappingRow,
  diffMappingVersion,
  getInterfaceMapping,
  getMappingOverview,
  getMappingRow,
  getMappingVersion,
  listCodeMaps,
  listMappingRows,
  listReviewQueue,
  listUnmappedCodes,
  reviewMappingRows,
  startMappingVersion,
  updateCodeMap,
  updateMappingRow,
} from './mapping.server.ts'
import { listNotifications } from '../messages/notification.server.ts'
import { createSystem } from '../inventory/system.server.ts'

const row = (over: Record<string, unknown> = {}) =>
  MappingRowSchema.parse({
    sourceField: 'Date of birth',
    sourcePath: 'PID-7.1',
    targetField: 'Birth date',
    targetPath: 'Patient.birthDate',
    dataType: 'date',
    requirement: 'required',
    transformType: 'format_date',
    transformRule: 'YYYYMMDD → YYYY-MM-DD',
    qualityRule: 'Missing DOB → reject and flag; never default',
    ...over,
  })

const code = (over: Record<string, unknown> = {}) =>
  CodeMapSchema.parse({ sourceSystem: 'urn:riverside:lab', localCode: 'GLU', localDisplay: 'Glucose', targetSystem: 'LOINC', targetCode: '2345-7', equivalence: 'equal', ...over })

/** An organisation with an owner, an analyst (author), a second analyst and a clinical lead (reviewers), and an interface. */
async function world() {
  const { org, scope: ownerScope } = await createOrgWithOwner()
  const member = async (role: 'analyst' | 'clinical_lead') => {
    const user = await createTestUser()
    await addMember(org, user, role)
    return scopeFor(org, user)
  }
  const author = await member('analyst')
  const analyst2 = await member('analyst')
  const clinician = await member('clinical_lead')
  const ehr = await createSystem(ownerScope, SystemSchema.parse({ name: 'EHR', kind: 'ehr' }))
  const lis = await createSystem(ownerScope, SystemSchema.parse({ name: 'LIS', kind: 'lis' }))
  const iface = await createInterface(
    ownerScope,
    InterfaceSchema.parse({ name: 'Lab results', sourceSystemId: lis.id, targetSystemId: ehr.id, standard: 'hl7v2', messageTypes: 'ORU^R01', transport: 'mllp', approach: 'via_engine' }),
  )
  return { org, ownerScope, author, analyst2, clinician, iface }
}

async function approvedV1(w: Awaited<ReturnType<typeof world>>) {
  const v1 = (await startMappingVersion(w.author, { interfaceId: w.iface.id }))!
  const dob = (await createMappingRow(w.author, { versionId: v1.id, ...row() }))!
  const sex = (await createMappingRow(w.author, { versionId: v1.id, ...row({ sourceField: 'Sex', sourcePath: 'PID-8', targetField: 'Gender', targetPath: 'Patient.gender', dataType: 'code', transformType: 'lookup', transformRule: undefined }) }))!
  const glu = (await createCodeMap(w.author, { versionId: v1.id, ...code({ rowId: sex.id }) }))!
  await reviewMappingRows(w.author, { versionId: v1.id, action: 'submit', target: { all: true } })
  await reviewMappingRows(w.clinician, { versionId: v1.id, action: 'approve', target: { all: true } })
  await approveMappingVersion(w.clinician, v1.id)
  return { v1, dob, sex, glu }
}

describe('versions', () => {
  test('v1 starts empty; the next version copies rows (lineage, review state) and code maps (following their row); one draft at a time', async () => {
    const w = await world()
    const { v1, dob, sex } = await approvedV1(w)
    await expectDomainError(startMappingVersion(w.author, { interfaceId: w.iface.id }).then(() => startMappingVersion(w.author, { interfaceId: w.iface.id })), 'CONFLICT', /still a draft/)
    const mapping = (await getInterfaceMapping(w.author, w.iface.id))!
    expect(mapping.mappingVersions.map((v) => [v.number, v.status])).toEqual([
      [2, 'draft'],
      [1, 'approved'],
    ])
    const v2 = mapping.mappingVersions[0]!
    const rows = (await listMappingRows(w.author, { versionId: v2.id })).rows
    expect(rows).toHaveLength(2)
    const v2dob = (await getMappingRow(w.author, rows.find((r) => r.sourcePath === 'PID-7.1')!.id))!
    expect(v2dob.lineageId).toBe(dob.lineageId)
    expect(v2dob.id).not.toBe(dob.id)
    expect(v2dob.reviewState).toBe('approved')
    const v2codes = (await listCodeMaps(w.author, { versionId: v2.id })).codeMaps
    expect(v2codes).toHaveLength(1)
    expect(v2codes[0]!.row?.sourcePath).toBe(sex.sourcePath)
    expect(v2codes[0]!.rowId).not.toBe(sex.id)
    // v1 is untouched.
    expect((await listMappingRows(w.author, { versionId: v1.id })).rows.map((r) => r.id).sort()).toEqual([dob.id, sex.id].sort())
  })

  test('an approved version is frozen: the model says so, and the database refuses any other path', async () => {
    const w = await world()
    const { v1, dob, glu } = await approvedV1(w)
    await expectDomainError(updateMappingRow(w.author, { rowId: dob.id, ...row({ notes: 'late change' }) }), 'RULE_VIOLATION', /v1 is approved and frozen/)
    await expectDomainError(createMappingRow(w.author, { versionId: v1.id, ...row({ sourcePath: 'PID-5' }) }), 'RULE_VIOLATION', /frozen/)
    await expectDomainError(deleteMappingRow(w.author, dob.id), 'RULE_VIOLATION', /frozen/)
    await expectDomainError(updateCodeMap(w.author, { codeMapId: glu.id, ...code({ targetCode: '2339-0' }) }), 'RULE_VIOLATION', /frozen/)
    await expectDomainError(deleteCodeMap(w.author, glu.id), 'RULE_VIOLATION', /frozen/)
    await expectDomainError(reviewMappingRows(w.author, { versionId: v1.id, action: 'reopen', target: { rowIds: [dob.id] } }), 'RULE_VIOLATION', /frozen/)
    await expect(prisma.mappingRow.update({ where: { id: dob.id }, data: { notes: 'sneaky' } })).rejects.toThrow(/frozen/)
    await expect(prisma.codeMap.delete({ where: { id: glu.id } })).rejects.toThrow(/frozen/)
    expect((await getMappingRow(w.author, dob.id))!.notes).toBeNull()
  })

  test('a version is approved only when every row is; approval needs mapping rows', async () => {
    const w = await world()
    const v1 = (await startMappingVersion(w.author, { interfaceId: w.iface.id }))!
    await expectDomainError(approveMappingVersion(w.clinician, v1.id), 'RULE_VIOLATION', /no rows/)
    const a = (await createMappingRow(w.author, { versionId: v1.id, ...row() }))!
    await createMappingRow(w.author, { versionId: v1.id, ...row({ sourcePath: 'PID-5.1', targetPath: 'Patient.name.family' }) })
    await reviewMappingRows(w.author, { versionId: v1.id, action: 'submit', target: { rowIds: [a.id] } })
    await reviewMappingRows(w.clinician, { versionId: v1.id, action: 'approve', target: { rowIds: [a.id] } })
    await expectDomainError(approveMappingVersion(w.clinician, v1.id), 'RULE_VIOLATION', /1 of 2 rows are not approved/)
    expect((await getMappingVersion(w.author, v1.id))!.status).toBe('draft')
  })

  test('deleting an interface takes its approved mapping with it', async () => {
    const w = await world()
    const { v1 } = await approvedV1(w)
    await deleteInterface(w.ownerScope, w.iface.id)
    expect(await prisma.mappingVersion.count({ where: { id: v1.id } })).toBe(0)
    expect(await prisma.mappingRow.count({ where: { versionId: v1.id } })).toBe(0)
  })
})

describe('review', () => {
  test('the author of a row cannot approve it; another analyst or a clinical lead can', async () => {
    const w = await world()
    const v1 = (await startMappingVersion(w.author, { interfaceId: w.iface.id }))!
    const r = (await createMappingRow(w.author, { versionId: v1.id, ...row() }))!
    await reviewMappingRows(w.author, { versionId: v1.id, action: 'submit', target: { rowIds: [r.id] } })
    await expectDomainError(reviewMappingRows(w.author, { versionId: v1.id, action: 'approve', target: { rowIds: [r.id] } }), 'FORBIDDEN', /another reviewer/)
    expect((await getMappingRow(w.author, r.id))!.reviewState).toBe('in_review')
    await reviewMappingRows(w.analyst2, { versionId: v1.id, action: 'approve', target: { rowIds: [r.id] } })
    const approved = (await getMappingRow(w.author, r.id))!
    expect(approved.reviewState).toBe('approved')
    expect(approved.reviewedById).toBe(w.analyst2.membershipId)
    expect(approved.reviewedAt).toBeInstanceOf(Date)
  })

  test('bulk approval skips the reviewer’s own rows and rows not in review, and counts them', async () => {
    const w = await world()
    const v1 = (await startMappingVersion(w.author, { interfaceId: w.iface.id }))!
    const mine = (await createMappingRow(w.analyst2, { versionId: v1.id, ...row({ sourcePath: 'PID-3', targetPath: 'Patient.identifier' }) }))!
    const theirs = (await createMappingRow(w.author, { versionId: v1.id, ...row() }))!
    const drafty = (await createMappingRow(w.author, { versionId: v1.id, ...row({ sourcePath: 'PID-5', targetPath: 'Patient.name' }) }))!
    await reviewMappingRows(w.author, { versionId: v1.id, action: 'submit', target: { rowIds: [theirs.id] } })
    await reviewMappingRows(w.analyst2, { versionId: v1.id, action: 'submit', target: { rowIds: [mine.id] } })
    const result = await reviewMappingRows(w.analyst2, { versionId: v1.id, action: 'approve', target: { rowIds: [mine.id, theirs.id, drafty.id] } })
    expect(result).toEqual({ changed: 1, skippedOwn: 1, skippedState: 1 })
    const states = Object.fromEntries((await listMappingRows(w.author, { versionId: v1.id })).rows.map((r) => [r.id, r.reviewState]))
    expect(states).toEqual({ [mine.id]: 'in_review', [theirs.id]: 'approved', [drafty.id]: 'draft' })
    // "All in review" approves the rest that the reviewer didn't write.
    expect(await reviewMappingRows(w.clinician, { versionId: v1.id, action: 'approve', target: { all: true } })).toEqual({ changed: 1, skippedOwn: 0, skippedState: 0 })
  })

  test('requesting changes needs a comment; changing a reviewed row sends it back to draft; every step is audited', async () => {
    const w = await world()
    const v1 = (await startMappingVersion(w.author, { interfaceId: w.iface.id }))!
    const r = (await createMappingRow(w.author, { versionId: v1.id, ...row() }))!
    await reviewMappingRows(w.author, { versionId: v1.id, action: 'submit', target: { rowIds: [r.id] } })
    await expectDomainError(reviewMappingRows(w.clinician, { versionId: v1.id, action: 'request_changes', target: { rowIds: [r.id] }, comment: '  ' }), 'RULE_VIOLATION', /Say what needs to change/)
    await reviewMappingRows(w.clinician, { versionId: v1.id, action: 'request_changes', target: { rowIds: [r.id] }, comment: 'Partial dates (YYYYMM) exist in ADT: say what happens' })
    expect((await getMappingRow(w.author, r.id))!).toMatchObject({ reviewState: 'changes_requested', reviewComment: expect.stringMatching(/Partial dates/) })
    await reviewMappingRows(w.author, { versionId: v1.id, action: 'submit', target: { rowIds: [r.id] } })
    await reviewMappingRows(w.clinician, { versionId: v1.id, action: 'approve', target: { rowIds: [r.id] } })
    await updateMappingRow(w.author, { rowId: r.id, ...row({ transformRule: 'YYYYMMDD or YYYYMM → FHIR date of the same precision' }) })
    expect((await getMappingRow(w.author, r.id))!).toMatchObject({ reviewState: 'draft', reviewedById: null })
    const actions = (await prisma.auditEvent.findMany({ where: { organizationId: w.org.id, targetId: r.id }, orderBy: { seq: 'asc' } })).map((e) => e.action)
    expect(actions).toEqual([
      'mapping.row_created',
      'mapping.row_submitted',
      'mapping.row_changes_requested',
      'mapping.row_submitted',
      'mapping.row_approved',
      'mapping.row_updated',
    ])
  })

  test('a reviewer’s queue lists others’ rows in review per open draft; the author hears of requested changes in their inbox', async () => {
    const w = await world()
    const v1 = (await startMappingVersion(w.author, { interfaceId: w.iface.id }))!
    const a = (await createMappingRow(w.author, { versionId: v1.id, ...row() }))!
    const b = (await createMappingRow(w.author, { versionId: v1.id, ...row({ sourcePath: 'PID-5.1', targetPath: 'Patient.name.family' }) }))!
    await createMappingRow(w.clinician, { versionId: v1.id, ...row({ sourcePath: 'PID-3.1', targetPath: 'Patient.identifier' }) })
    await reviewMappingRows(w.author, { versionId: v1.id, action: 'submit', target: { rowIds: [a.id, b.id] } })
    await reviewMappingRows(w.clinician, { versionId: v1.id, action: 'submit', target: { all: true } })
    expect(await listReviewQueue(w.clinician)).toEqual([{ versionId: v1.id, number: 1, interfaceName: 'Lab results', rows: 2 }])
    expect(await listReviewQueue(w.author)).toEqual([{ versionId: v1.id, number: 1, interfaceName: 'Lab results', rows: 1 }])
    expect(await listReviewQueue((await createOrgWithOwner()).scope)).toEqual([])

    await reviewMappingRows(w.clinician, { versionId: v1.id, action: 'request_changes', target: { rowIds: [a.id] }, comment: 'Partial dates: say what happens' })
    const inbox = await listNotifications(w.author)
    expect(inbox.notifications.map((n) => [n.kind, n.title, n.body, n.link])).toEqual([
      [
        'mapping.changes_requested',
        'Changes requested: PID-7.1 → Patient.birthDate',
        `${w.clinician.userEmail} on v1: Partial dates: say what happens`,
        `/o/${w.author.orgSlug}/mapping/v/${v1.id}/rows/${a.id}`,
      ],
    ])
    expect((await listNotifications(w.clinician)).notifications).toEqual([])
    expect(await listReviewQueue(w.clinician)).toEqual([{ versionId: v1.id, number: 1, interfaceName: 'Lab results', rows: 1 }])
  })

  test('a required field needs a data-quality rule, and a date format needs its rule', () => {
    const errors = MappingRowSchema.safeParse({ ...row(), qualityRule: '', transformRule: '' }).error!.flatten().fieldErrors
    expect(errors.qualityRule?.[0]).toMatch(/required field needs a data-quality rule/)
    expect(errors.transformRule?.[0]).toMatch(/format date rule/)
    expect(MappingRowSchema.safeParse({ ...row(), requirement: 'optional', qualityRule: '' }).success).toBe(true)
  })

  test('one source path maps to one target path once per version', async () => {
    const w = await world()
    const v1 = (await startMappingVersion(w.author, { interfaceId: w.iface.id }))!
    await createMappingRow(w.author, { versionId: v1.id, ...row() })
    await expectDomainError(createMappingRow(w.author, { versionId: v1.id, ...row({ sourcePath: 'pid-7.1' }) }), 'CONFLICT', /already maps PID-7.1/i)
  })
})

describe('code maps and coverage', () => {
  test('unmapped codes are listed and counted; coverage counts required rows approved and codes complete', async () => {
    const w = await world()
    const v1 = (await startMappingVersion(w.author, { interfaceId: w.iface.id }))!
    const req = (await createMappingRow(w.author, { versionId: v1.id, ...row() }))!
    await createMappingRow(w.author, { versionId: v1.id, ...row({ sourcePath: 'OBX-3', targetPath: 'Observation.code', requirement: 'optional', transformType: 'lookup', transformRule: undefined }) })
    await createCodeMap(w.author, { versionId: v1.id, ...code() })
    await createCodeMap(w.author, { versionId: v1.id, ...code({ localCode: 'K', localDisplay: 'Potassium', targetCode: '2823-3' }) })
    await createCodeMap(w.author, { versionId: v1.id, ...code({ localCode: 'XHEM', localDisplay: 'Haemolysis index (local)', targetCode: undefined, equivalence: 'unmatched' }) })
    await expectDomainError(createCodeMap(w.author, { versionId: v1.id, ...code() }), 'CONFLICT', /GLU of urn:riverside:lab already has a map/)
    await reviewMappingRows(w.author, { versionId: v1.id, action: 'submit', target: { rowIds: [req.id] } })
    await reviewMappingRows(w.clinician, { versionId: v1.id, action: 'approve', target: { rowIds: [req.id] } })
    const cov = (await coverageOf(w.author, [v1.id])).get(v1.id)
    expect(cov).toEqual({ rows: 2, requiredRows: 1, requiredApproved: 1, approvedRows: 1, codeMaps: 3, codeMapsMapped: 2, unmappedCodes: 1 })
    const unmapped = await listUnmappedCodes(w.author, { versionId: v1.id })
    expect(unmapped.codes.map((c) => c.localCode)).toEqual(['XHEM'])
    expect(unmapped.bySystem).toEqual([{ sourceSystem: 'urn:riverside:lab', unmapped: 1, total: 3 }])
    expect((await listCodeMaps(w.author, { versionId: v1.id, unmapped: true })).total).toBe(1)
    expect((await listCodeMaps(w.author, { versionId: v1.id, q: 'potass' })).codeMaps.map((c) => c.localCode)).toEqual(['K'])
    const overview = await getMappingOverview(w.author)
    expect(overview.items.find((i) => i.id === w.iface.id)!.coverage).toEqual(cov)
    expect(overview.totals).toEqual(cov)
  })

  test('a code map names a standard code system and says whether it matched', () => {
    const unknown = CodeMapSchema.safeParse({ sourceSystem: 'x', localCode: 'A', targetSystem: 'MedDRA', targetCode: '1', equivalence: 'equal' })
    expect(unknown.error!.flatten().fieldErrors.targetSystem?.[0]).toMatch(/Unknown code system "MedDRA"/)
    expect(CodeMapSchema.parse({ sourceSystem: 'x', localCode: 'A', targetSystem: 'snomed ct', targetCode: '1', equivalence: 'wider' }).targetSystem).toBe('http://snomed.info/sct')
    expect(CodeMapSchema.safeParse({ sourceSystem: 'x', localCode: 'A', targetSystem: 'LOINC', equivalence: 'equal' }).error!.flatten().fieldErrors.targetCode?.[0]).toMatch(
      /Give the standard code/,
    )
  })
})

describe('diff', () => {
  test('shows rows added, removed and changed (by field) and code maps changed', async () => {
    const w = await world()
    await approvedV1(w)
    const v2 = (await startMappingVersion(w.author, { interfaceId: w.iface.id }))!
    const rows = (await listMappingRows(w.author, { versionId: v2.id })).rows
    const dob = rows.find((r) => r.sourcePath === 'PID-7.1')!
    const sex = rows.find((r) => r.sourcePath === 'PID-8')!
    await updateMappingRow(w.author, { rowId: dob.id, ...row({ qualityRule: 'Missing DOB → reject, flag and page the interface owner' }) })
    await deleteMappingRow(w.author, sex.id)
    await createMappingRow(w.author, { versionId: v2.id, ...row({ sourcePath: 'PID-29', targetPath: 'Patient.deceasedDateTime', requirement: 'optional', qualityRule: undefined }) })
    const glu = (await listCodeMaps(w.author, { versionId: v2.id })).codeMaps[0]!
    await updateCodeMap(w.author, { codeMapId: glu.id, ...code({ targetCode: '2339-0', targetDisplay: 'Glucose [Mass/volume] in Blood' }) })
    const d = (await diffMappingVersion(w.author, v2.id))!
    expect(d.rows!.added.items.map((r) => r.label)).toEqual(['PID-29 → Patient.deceasedDateTime'])
    expect(d.rows!.removed.items.map((r) => r.label)).toEqual(['PID-8 → Patient.gender'])
    expect(d.rows!.changed.items).toEqual([
      expect.objectContaining({ label: 'PID-7.1 → Patient.birthDate', changes: [{ field: 'qualityRule', from: 'Missing DOB → reject and flag; never default', to: 'Missing DOB → reject, flag and page the interface owner' }] }),
    ])
    expect(d.codes!.changed.items[0]!.changes.map((c) => c.field)).toEqual(['targetCode', 'targetDisplay'])
  })
})

describe('tenancy', () => {
  test('another organisation can neither read nor change a mapping', async () => {
    const w = await world()
    const { v1, dob, glu } = await approvedV1(w)
    const v2 = (await startMappingVersion(w.author, { interfaceId: w.iface.id }))!
    const v2row = (await listMappingRows(w.author, { versionId: v2.id })).rows[0]!
    const other: TenantScope = (await createOrgWithOwner()).scope
    expect(await getMappingVersion(other, v1.id)).toBeNull()
    expect(await getInterfaceMapping(other, w.iface.id)).toBeNull()
    expect(await getMappingRow(other, dob.id)).toBeNull()
    expect((await listMappingRows(other, { versionId: v2.id })).total).toBe(0)
    expect((await listCodeMaps(other, { versionId: v2.id })).total).toBe(0)
    expect(await diffMappingVersion(other, v2.id)).toBeNull()
    expect(await startMappingVersion(other, { interfaceId: w.iface.id })).toBeNull()
    expect(await createMappingRow(other, { versionId: v2.id, ...row({ sourcePath: 'PID-11' }) })).toBeNull()
    expect(await updateMappingRow(other, { rowId: v2row.id, ...row({ notes: 'x' }) })).toBeNull()
    expect(await deleteMappingRow(other, v2row.id)).toBeNull()
    expect(await reviewMappingRows(other, { versionId: v2.id, action: 'reopen', target: { all: true } })).toBeNull()
    expect(await approveMappingVersion(other, v2.id)).toBeNull()
    expect(await createCodeMap(other, { versionId: v2.id, ...code({ localCode: 'NA' }) })).toBeNull()
    expect(await updateCodeMap(other, { codeMapId: glu.id, ...code() })).toBeNull()
    expect(await deleteCodeMap(other, glu.id)).toBeNull()
    expect((await getMappingOverview(other)).items).toEqual([])
    // A code map can't point at a row of another version (v1's frozen row here).
    await expectDomainError(createCodeMap(w.author, { versionId: v2.id, ...code({ localCode: 'NA', rowId: dob.id }) }), 'RULE_VIOLATION', /row of this version/)
    expect((await getMappingRow(w.author, v2row.id))!.reviewState).toBe('approved')
  })
})
