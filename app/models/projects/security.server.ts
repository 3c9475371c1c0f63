/**
 * A project's security risk assessment: one per project, a checklist of the fixed kinds of
 * SECURITY_ITEM_KINDS plus one business associate agreement per vendor in scope (the vendors
 * of the project's systems and of its interfaces' source and target systems), completed by
 * members with `security:write` and attested as a whole by compliance (`security:attest`).
 *
 * The assessment follows the scope: `syncSecurityScope` runs in the transaction of
 * createProject and updateProject (projects.server.ts). A new vendor adds an open BAA item and
 * re-opens an attested assessment (attestation cleared, the reason kept); a vendor that left
 * keeps its item, marked out of scope (history); a vendor that comes back re-opens its item.
 * Loaders never write: a project that predates the assessment shows what it will hold and a
 * "Start the assessment" action (`startSecurityAssessment`).
 */
import { inTx, dbOf, type Db, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope } from '../audit/audit.server.ts'
import type { AttestInput, SecurityItemInput } from './decision-schemas.ts'
import { SECURITY_ITEM_KINDS, type SecurityItemKind, type SecurityItemStatus } from './vocabulary.ts'

/** The kinds every assessment has, in the order the checklist shows them (BAAs come before the risk review). */
export const FIXED_KINDS = ['tls', 'encryption_at_rest', 'access_control', 'audit_logging', 'oauth_smart', 'risk_review'] as const satisfies readonly SecurityItemKind[]
const KIND_ORDER: SecurityItemKind[] = ['tls', 'encryption_at_rest', 'access_control', 'audit_logging', 'oauth_smart', 'baa', 'risk_review']

/** "Northwind Diagnostics, Inc." and "northwind  diagnostics inc" are one vendor. */
export function vendorKeyOf(vendor: string) {
  return vendor
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** Vendors with whom no BAA is signed: the hospital itself. */
const NOT_A_BUSINESS_ASSOCIATE = new Set(['in house', 'internal', 'riverside'])

const COMPLETE: SecurityItemStatus[] = ['done', 'not_applicable']

type ScopeFacts = { vendors: Map<string, { name: string; systems: string[] }>; fhir: boolean }

/** The vendors and the FHIR use of a project's scope, read in the caller's transaction. */
async function scopeFacts(db: Db, scope: Scope, projectId: string): Promise<ScopeFacts> {
  const org = scope.organizationId
  const system = { select: { name: true, vendor: true, fhirVersion: true } } as const
  const [systems, interfaces] = await Promise.all([
    db.projectSystem.findMany({ where: { organizationId: org, projectId }, select: { system } }),
    db.projectInterface.findMany({ where: { organizationId: org, projectId }, select: { interface: { select: { standard: true, source: system, target: system } } } }),
  ])
  const all = [...systems.map((s) => s.system), ...interfaces.flatMap((i) => [i.interface.source, i.interface.target])]
  const vendors = new Map<string, { name: string; systems: string[] }>()
  for (const s of all) {
    const key = s.vendor ? vendorKeyOf(s.vendor) : ''
    if (!key || NOT_A_BUSINESS_ASSOCIATE.has(key)) continue
    const v = vendors.get(key) ?? { name: s.vendor!.trim(), systems: [] }
    if (!v.systems.includes(s.name)) v.systems.push(s.name)
    vendors.set(key, v)
  }
  const fhir = all.some((s) => !!s.fhirVersion) || interfaces.some((i) => i.interface.standard === 'fhir')
  return { vendors, fhir }
}

/**
 * Brings the project's assessment in line with its scope (creating it the first time), in the
 * caller's transaction. Returns null when the project is not the scope's organisation's.
 */
export async function syncSecurityScope(scope: Scope, projectId: string, opts: TxOption = {}) {
  return inTx(opts, async (tx) => {
    const org = scope.organizationId
    const project = await tx.project.findFirst({ where: { id: projectId, organizationId: org }, select: { id: true, name: true } })
    if (!project) return null
    const facts = await scopeFacts(tx, scope, project.id)
    const existing = await tx.securityAssessment.findFirst({ where: { projectId: project.id, organizationId: org }, include: { items: true } })
    if (!existing) {
      const assessment = await tx.securityAssessment.create({ data: { organizationId: org, projectId: project.id } })
      await tx.securityItem.createMany({
        data: [
          ...FIXED_KINDS.map((kind) => ({ organizationId: org, projectId: project.id, assessmentId: assessment.id, kind, vendorKey: '' })),
          ...[...facts.vendors].map(([vendorKey, v]) => ({ organizationId: org, projectId: project.id, assessmentId: assessment.id, kind: 'baa' as const, vendorKey, vendor: v.name })),
        ],
      })
      await auditInScope(scope, {
        action: 'security_assessment.started',
        targetType: 'project',
        targetId: project.id,
        targetLabel: project.name,
        metadata: { vendors: [...facts.vendors.values()].map((v) => v.name) },
      }, { tx })
      return assessment
    }
    const baa = existing.items.filter((i) => i.kind === 'baa')
    const now = new Date()
    const added = [...facts.vendors].filter(([key]) => !baa.some((i) => i.vendorKey === key))
    const back = baa.filter((i) => i.outOfScope && facts.vendors.has(i.vendorKey))
    const left = baa.filter((i) => !i.outOfScope && !facts.vendors.has(i.vendorKey))
    if (added.length) {
      await tx.securityItem.createMany({
        data: added.map(([vendorKey, v]) => ({ organizationId: org, projectId: project.id, assessmentId: existing.id, kind: 'baa' as const, vendorKey, vendor: v.name })),
      })
    }
    if (back.length) {
      await tx.securityItem.updateMany({
        where: { id: { in: back.map((i) => i.id) }, organizationId: org },
        data: { outOfScope: false, status: 'open', completedById: null, completedAt: null, reopenedAt: now },
      })
    }
    if (left.length) await tx.securityItem.updateMany({ where: { id: { in: left.map((i) => i.id) }, organizationId: org }, data: { outOfScope: true } })
    if (!added.length && !back.length && !left.length) return existing
    const names = { added: added.map(([, v]) => v.name), back: back.map((i) => i.vendor ?? i.vendorKey), left: left.map((i) => i.vendor ?? i.vendorKey) }
    await auditInScope(scope, { action: 'security_assessment.scope_changed', targetType: 'project', targetId: project.id, targetLabel: project.name, metadata: names }, { tx })
    const opened = [...names.added, ...names.back]
    // Nothing to re-open before an attestation: the new item is simply open.
    if (opened.length && existing.attestedAt) {
      const reason = `Scope changed: ${opened.length === 1 ? 'vendor' : 'vendors'} ${opened.join(', ')} ${opened.length === 1 ? 'needs' : 'need'} a business associate agreement.`
      await reopen(tx, scope, existing, project, reason)
    }
    return existing
  })
}

/** Clears an attestation, keeping why (the page shows it until compliance attests again). */
async function reopen(tx: Tx, scope: Scope, assessment: { id: string; attestedAt: Date | null }, project: { id: string; name: string }, reason: string) {
  await tx.securityAssessment.updateMany({
    where: { id: assessment.id, organizationId: scope.organizationId },
    data: { attestedAt: null, attestedById: null, attestationNote: null, reopenedAt: new Date(), reopenReason: reason },
  })
  await auditInScope(scope, {
    action: 'security_assessment.reopened',
    targetType: 'project',
    targetId: project.id,
    targetLabel: project.name,
    metadata: { reason, wasAttested: !!assessment.attestedAt },
  }, { tx })
}

/** "Start the assessment" for a project created before assessments existed. */
export async function startSecurityAssessment(scope: TenantScope, input: { projectId: string }, opts: TxOption = {}) {
  return inTx(opts, async (tx) => {
    const found = await tx.securityAssessment.count({ where: { projectId: input.projectId, organizationId: scope.organizationId } })
    if (found) throw new DomainError('CONFLICT', 'The assessment has already been started.')
    return syncSecurityScope(scope, input.projectId, { tx })
  })
}

/** The checklist as the page shows it; without an assessment row, the items it would start with. */
export async function getSecurityAssessment(scope: TenantScope, input: { projectId: string }, opts: TxOption = {}) {
  const db = dbOf(opts)
  const project = await db.project.findFirst({ where: { id: input.projectId, organizationId: scope.organizationId }, select: { id: true, name: true } })
  if (!project) return null
  const facts = await scopeFacts(db, scope, project.id)
  const assessment = await db.securityAssessment.findFirst({
    where: { projectId: project.id, organizationId: scope.organizationId },
    include: {
      attestedBy: { select: { user: { select: { name: true } } } },
      items: { include: { completedBy: { select: { user: { select: { name: true } } } } } },
    },
  })
  const vendorSystems = (key: string) => facts.vendors.get(key)?.systems ?? []
  const items = assessment
    ? assessment.items.map((i) => ({
        id: i.id,
        kind: i.kind as SecurityItemKind,
        vendor: i.vendor,
        systems: vendorSystems(i.vendorKey),
        status: i.status as SecurityItemStatus,
        evidence: i.evidence,
        evidenceUrl: i.evidenceUrl,
        completedBy: i.completedBy?.user.name ?? null,
        completedAt: i.completedAt?.toISOString() ?? null,
        reopenedAt: i.reopenedAt?.toISOString() ?? null,
        outOfScope: i.outOfScope,
      }))
    : [
        ...FIXED_KINDS.map((kind) => ({ kind, vendor: null as string | null, systems: [] as string[] })),
        ...[...facts.vendors].map(([key, v]) => ({ kind: 'baa' as const, vendor: v.name, systems: vendorSystems(key) })),
      ].map((i) => ({ ...i, id: '', status: 'open' as SecurityItemStatus, evidence: null, evidenceUrl: null, completedBy: null, completedAt: null, reopenedAt: null, outOfScope: false }))
  items.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || Number(a.outOfScope) - Number(b.outOfScope) || (a.vendor ?? '').localeCompare(b.vendor ?? ''))
  const inScope = items.filter((i) => !i.outOfScope)
  const complete = inScope.filter((i) => COMPLETE.includes(i.status)).length
  return {
    project,
    started: !!assessment,
    fhirInScope: facts.fhir,
    items,
    complete,
    total: inScope.length,
    attestedAt: assessment?.attestedAt?.toISOString() ?? null,
    attestedBy: assessment?.attestedBy?.user.name ?? null,
    attestationNote: assessment?.attestationNote ?? null,
    reopenedAt: assessment?.reopenedAt?.toISOString() ?? null,
    reopenReason: assessment?.reopenReason ?? null,
  }
}
export type SecurityAssessmentView = NonNullable<Awaited<ReturnType<typeof getSecurityAssessment>>>

const itemLabel = (i: { kind: SecurityItemKind; vendor: string | null }) => `${SECURITY_ITEM_KINDS[i.kind].label}${i.vendor ? ` — ${i.vendor}` : ''}`

/** Records an item's status and evidence. A change after attestation re-opens the assessment. */
export async function updateSecurityItem(scope: TenantScope, input: SecurityItemInput & { projectId: string }, opts: TxOption = {}) {
  return inTx(opts, async (tx) => {
    const item = await tx.securityItem.findFirst({
      where: { id: input.itemId, organizationId: scope.organizationId, projectId: input.projectId },
      include: { assessment: { select: { id: true, attestedAt: true, project: { select: { id: true, name: true } } } } },
    })
    if (!item) return null
    if (item.outOfScope) throw new DomainError('RULE_VIOLATION', 'This vendor is no longer in the project’s scope: its item is kept as it was.', 'status')
    const completes = COMPLETE.includes(input.status)
    const data = {
      status: input.status,
      evidence: input.evidence ?? null,
      evidenceUrl: input.evidenceUrl ?? null,
      completedById: completes ? (item.status === input.status && item.completedById ? item.completedById : scope.membershipId) : null,
      completedAt: completes ? (item.status === input.status && item.completedAt ? item.completedAt : new Date()) : null,
    }
    const unchanged = item.status === data.status && item.evidence === data.evidence && item.evidenceUrl === data.evidenceUrl
    if (unchanged) return item
    const updated = await tx.securityItem.update({ where: { id: item.id }, data })
    const project = item.assessment.project
    await auditInScope(scope, {
      action: 'security_assessment.item_updated',
      targetType: 'project',
      targetId: project.id,
      targetLabel: `${project.name}: ${itemLabel(item)}`,
      metadata: { itemId: item.id, kind: item.kind, vendor: item.vendor, status: { from: item.status, to: input.status }, evidenceUrl: data.evidenceUrl },
    }, { tx })
    if (item.assessment.attestedAt) await reopen(tx, scope, item.assessment, project, `Changed after attestation: ${itemLabel(item)}.`)
    return updated
  })
}

/** Compliance attests the whole assessment: only when every item in scope is done or not applicable. */
export async function attestSecurityAssessment(scope: TenantScope, input: AttestInput & { projectId: string }, opts: TxOption = {}) {
  return inTx(opts, async (tx) => {
    const assessment = await tx.securityAssessment.findFirst({
      where: { projectId: input.projectId, organizationId: scope.organizationId },
      include: { items: true, project: { select: { id: true, name: true } } },
    })
    if (!assessment) return null
    if (assessment.attestedAt) throw new DomainError('CONFLICT', 'The assessment is already attested.')
    const open = assessment.items.filter((i) => !i.outOfScope && !COMPLETE.includes(i.status as SecurityItemStatus))
    if (open.length) {
      throw new DomainError('RULE_VIOLATION', `Complete every item before attesting (done, or not applicable with a reason). Still open: ${open.map((i) => itemLabel(i as { kind: SecurityItemKind; vendor: string | null })).join('; ')}.`)
    }
    const now = new Date()
    const done = await tx.securityAssessment.updateMany({
      where: { id: assessment.id, organizationId: scope.organizationId, attestedAt: null },
      data: { attestedAt: now, attestedById: scope.membershipId, attestationNote: input.note ?? null },
    })
    if (done.count !== 1) throw new DomainError('CONFLICT', 'The assessment is already attested.')
    await auditInScope(scope, {
      action: 'security_assessment.attested',
      targetType: 'project',
      targetId: assessment.project.id,
      targetLabel: assessment.project.name,
      metadata: { items: assessment.items.filter((i) => !i.outOfScope).length, note: input.note ?? null },
    }, { tx })
    return { ...assessment, attestedAt: now }
  })
}
