/**
 * Clinical sign-off of UAT (docs/decisions/026-uat-signoff.md).
 *
 * A clinical lead who is R or A on the project's UAT activity signs off (or refuses) a *set* of
 * scenarios — the project's, or one interface's — after re-entering their password (step-up,
 * within STEP_UP_MINUTES). They sign exactly what they read: `signoffContent` builds it (each
 * scenario with its fields and latest run, the open defects), in a canonical form whose
 * SHA-256 the page carries; `signOff` recomputes it and refuses when it differs. The record
 * (content, hash, signer, step-up time) can never change: the database refuses UPDATE and
 * DELETE. A later change makes it stale (`markSignoffsStale`, signoff-stale.server.ts) through
 * a separate row. `verifySignoff` recomputes the stored hash (a tampered row) and compares
 * with the live content.
 *
 * Which defects an interface set shows: the project's open defects linked to a scenario of
 * the set, and those linked to no scenario (they concern the whole project, so every set's
 * signer must see them). A defect of another interface's scenario belongs to that set.
 */
import { sha256 } from '#app/utils/crypto.server.ts'
import { dbOf, inTx, type Db, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { pageCountOf, pageWindow } from '#app/utils/list.ts'
import { can } from '#app/utils/permissions.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import { reauthenticatedWithin } from '#app/utils/session.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope, canonicalJson, recordAudit } from '../audit/audit.server.ts'
import { createNotifications } from '../messages/notification.server.ts'
import { lockProjectForSignoff } from './signoff-stale.server.ts'
import { coveringSets, defectLabel, scenarioLabel, STEP_UP_MINUTES, type SignedScenario, type SignoffContent } from './signoff.ts'

export { STEP_UP_MINUTES }
import { SIGNOFF_DECISIONS, type SignoffDecision } from './vocabulary.ts'

export const SIGNOFF_PAGE_SIZE = 25
/** Bumped when the shape of the content changes; stored in the content, so old records still verify. */
const CONTENT_VERSION = 1

export type SignoffSet = { projectId: string; interfaceId?: string | null }

/** The canonical text of a content (keys sorted, no whitespace) and its SHA-256, hex. */
export function canonicalContent(content: unknown) {
  const canonical = canonicalJson(content)
  return { canonical, hash: sha256(canonical) }
}

const setLabelOf = (project: { name: string }, iface: { name: string } | null) =>
  iface ? `the UAT scenarios of the interface “${iface.name}”` : `the UAT scenarios of the project “${project.name}”`

/** The project and (for an interface set) the interface, when both are the organisation's and the interface is in the project's scope. */
async function findSet(db: Db, scope: Scope, set: SignoffSet) {
  const project = await db.project.findFirst({
    where: { id: set.projectId, organizationId: scope.organizationId },
    select: { id: true, name: true, ownerId: true, organization: { select: { slug: true } }, waves: { where: { kind: 'pilot' }, orderBy: { position: 'asc' }, take: 1, select: { name: true, units: true } } },
  })
  if (!project) return null
  if (!set.interfaceId) return { project, iface: null }
  const link = await db.projectInterface.findFirst({
    where: { organizationId: scope.organizationId, projectId: project.id, interfaceId: set.interfaceId },
    select: { interface: { select: { id: true, name: true } } },
  })
  return link ? { project, iface: link.interface } : null
}

/** The live content of a set, built inside `db` (the caller's transaction when signing). */
async function buildContent(db: Db, scope: Scope, found: NonNullable<Awaited<ReturnType<typeof findSet>>>) {
  const { project, iface } = found
  const org = scope.organizationId
  const scenarios = await db.uatScenario.findMany({
    where: { organizationId: org, projectId: project.id, ...(iface ? { interfaceId: iface.id } : {}) },
    orderBy: { number: 'asc' },
    select: {
      id: true,
      number: true,
      title: true,
      interfaceId: true,
      interface: { select: { name: true } },
      priority: true,
      preconditions: true,
      steps: true,
      expectedResult: true,
      edgeCases: true,
      authorId: true,
      runs: {
        orderBy: [{ executedAt: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }],
        take: 1,
        select: { id: true, result: true, environment: true, notes: true, evidence: true, evidenceUrl: true, executedAt: true, tester: { select: { user: { select: { name: true } } } } },
      },
    },
  })
  const scenarioIds = scenarios.map((s) => s.id)
  const defects = await db.uatDefect.findMany({
    where: {
      organizationId: org,
      projectId: project.id,
      status: 'open',
      ...(iface ? { OR: [{ scenarioId: null }, { scenarioId: { in: scenarioIds } }] } : {}),
    },
    orderBy: { number: 'asc' },
    select: { id: true, number: true, title: true, description: true, severity: true, status: true, scenario: { select: { number: true } } },
  })
  const content: SignoffContent = {
    version: CONTENT_VERSION,
    project: { id: project.id, name: project.name },
    set: { kind: iface ? 'interface' : 'project', interfaceId: iface?.id ?? null, label: setLabelOf(project, iface) },
    scenarios: scenarios.map((s) => {
      const run = s.runs[0]
      return {
        id: s.id,
        number: s.number,
        label: scenarioLabel(s),
        title: s.title,
        interfaceId: s.interfaceId,
        interface: s.interface?.name ?? null,
        priority: s.priority,
        preconditions: s.preconditions ?? null,
        steps: s.steps,
        expectedResult: s.expectedResult,
        edgeCases: [...s.edgeCases].sort(),
        latestRun: run
          ? {
              id: run.id,
              result: run.result,
              environment: run.environment,
              tester: run.tester?.user.name ?? null,
              executedAt: run.executedAt.toISOString(),
              notes: run.notes ?? null,
              evidence: run.evidence ?? null,
              evidenceUrl: run.evidenceUrl ?? null,
            }
          : null,
      }
    }),
    openDefects: defects.map((d) => ({
      id: d.id,
      number: d.number,
      label: defectLabel(d),
      title: d.title,
      description: d.description ?? null,
      severity: d.severity,
      status: d.status,
      scenario: d.scenario ? scenarioLabel(d.scenario) : null,
    })),
  }
  return { content, ...canonicalContent(content), authors: new Map(scenarios.map((s) => [s.id, s.authorId])) }
}

/** "S-1, S-2 and S-4". */
function listWords(labels: string[]) {
  if (labels.length <= 1) return labels.join('')
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`
}

/** Where the set goes live: the pilot (its name and units), or the project. */
function goLiveWords(found: NonNullable<Awaited<ReturnType<typeof findSet>>>) {
  const pilot = found.project.waves[0]
  if (pilot) return `the pilot “${pilot.name}”${pilot.units.length ? ` (${pilot.units.join(', ')})` : ''}`
  return `the project “${found.project.name}”`
}

/** The statement a signer signs, written by the server from the content (never typed by the signer). */
function statementOf(found: NonNullable<Awaited<ReturnType<typeof findSet>>>, content: SignoffContent, decision: SignoffDecision) {
  const read = `I have reviewed ${listWords(content.scenarios.map((s) => s.label))} with their latest results and the open defects listed`
  return decision === 'signed'
    ? `${read}, and accept ${content.set.label} for go-live in ${goLiveWords(found)}.`
    : `${read}, and do not accept ${content.set.label} for go-live in ${goLiveWords(found)}.`
}

/**
 * The exact content a signer of the set reads, its canonical text and SHA-256 hex, and the two
 * statements (sign, refuse). Null when the project (or the interface in its scope) is not the
 * organisation's.
 */
export async function signoffContent(scope: Scope, input: SignoffSet, opts: TxOption = {}) {
  const db = dbOf(opts)
  const found = await findSet(db, scope, input)
  if (!found) return null
  const built = await buildContent(db, scope, found)
  return {
    content: built.content,
    canonical: built.canonical,
    hash: built.hash,
    statements: { signed: statementOf(found, built.content, 'signed'), refused: statementOf(found, built.content, 'refused') },
    authorIds: [...new Set([...built.authors.values()].filter((a): a is string => !!a))],
  }
}

// ───────────────────────────── who may sign ─────────────────────────────

/** The named members holding R or A on the project's UAT activity (the step whose key is 'uat'). */
async function uatHolders(db: Db, scope: Scope, projectId: string) {
  return db.raciAssignment.findMany({
    where: {
      organizationId: scope.organizationId,
      projectId,
      letter: { in: ['R', 'A'] },
      membershipId: { not: null },
      activity: { kind: 'step', step: { standardKey: 'uat' } },
    },
    select: { letter: true, membership: { select: { id: true, role: true, status: true, user: { select: { name: true } } } } },
  })
}

/** Whether this member could sign the set now, and if not why (the page shows it before asking for a password). */
export async function signerEligibility(scope: TenantScope, input: SignoffSet & { authorIds: string[] }, opts: TxOption = {}) {
  if (!can(scope.role, 'uat:signoff')) return { may: false as const, reason: 'Only clinical leads sign off UAT.' }
  const holders = await uatHolders(dbOf(opts), scope, input.projectId)
  if (!holders.some((h) => h.membership?.id === scope.membershipId)) {
    return { may: false as const, reason: 'You are not Responsible or Accountable for UAT in this project’s RACI, so you cannot sign it off.' }
  }
  if (input.authorIds.includes(scope.membershipId)) return { may: false as const, reason: 'The author of a scenario cannot sign it off: you wrote scenarios of this set.' }
  return { may: true as const, reason: null }
}

/** A refusal that is a security event: audited like the tenant guard's (permission denied), then FORBIDDEN. */
async function deny(scope: TenantScope, project: { id: string; name: string }, reason: string, message: string): Promise<never> {
  await recordAudit({
    organizationId: scope.organizationId,
    actorUserId: scope.userId,
    actorEmail: scope.userEmail,
    action: 'security.permission_denied',
    targetType: 'project',
    targetId: project.id,
    targetLabel: `UAT sign-off of ${project.name}`,
    metadata: { capability: 'uat:signoff', role: scope.role, reason },
  })
  throw new DomainError('FORBIDDEN', message)
}

// ───────────────────────────── signing ─────────────────────────────

export type SignOffInput = SignoffSet & {
  decision: SignoffDecision
  refusalReason?: string | null
  /** The SHA-256 of the content the signer read (carried by the page). */
  contentHash: string
  /** When this session last re-entered the password (the route reads it from the session). */
  stepUpAt: Date | null
}

/**
 * Signs off (or refuses) a set. Refused, with nothing written but the audit of a security
 * refusal: a role without `uat:signoff`, a member not R or A on UAT, no step-up within
 * STEP_UP_MINUTES, the author of a scenario of the set (each audited as permission denied); an
 * empty set, a refusal without a reason, and content that changed since the page was read.
 * Writes the record, its scenarios, the audit event and a notice to the project's owner.
 */
export async function signOff(scope: TenantScope, input: SignOffInput, opts: TxOption & { now?: Date } = {}) {
  const now = opts.now ?? new Date()
  const found = await findSet(dbOf(opts), scope, input)
  if (!found) return null
  const { project, iface } = found
  if (!can(scope.role, 'uat:signoff')) await deny(scope, project, 'role cannot sign off', 'Only clinical leads sign off UAT.')
  const holders = await uatHolders(dbOf(opts), scope, project.id)
  if (!holders.some((h) => h.membership?.id === scope.membershipId)) {
    await deny(scope, project, 'not R or A on UAT', 'Only a clinical lead who is Responsible or Accountable for UAT in this project’s RACI may sign it off.')
  }
  if (!reauthenticatedWithin(input.stepUpAt, STEP_UP_MINUTES, now)) {
    await deny(scope, project, 'no step-up', `Re-enter your password first: signing needs it entered within the last ${STEP_UP_MINUTES} minutes.`)
  }
  const reason = input.refusalReason?.trim() || null
  if (input.decision === 'refused' && !reason) throw new DomainError('RULE_VIOLATION', 'Say why you refuse: the project needs to know what to fix.', 'refusalReason')

  const signoff = await inTx(opts, async (tx) => {
    await lockProjectForSignoff(tx, scope, project.id)
    const built = await buildContent(tx, scope, found)
    if (!built.content.scenarios.length) throw new DomainError('RULE_VIOLATION', 'There is nothing to sign: this set has no UAT scenarios.')
    const mine = built.content.scenarios.filter((s) => built.authors.get(s.id) === scope.membershipId)
    if (mine.length) {
      // Written outside this transaction (which rolls back), like the tenant guard's denials.
      await deny(scope, project, 'author of a scenario', `The author of a scenario cannot sign it off: you wrote ${listWords(mine.map((s) => s.label))}.`)
    }
    if (built.hash !== input.contentHash) throw new DomainError('CONFLICT', 'The content changed while you were reading — read it again.')
    const signer = await tx.membership.findFirstOrThrow({ where: { id: scope.membershipId, organizationId: scope.organizationId }, select: { user: { select: { name: true } } } })
    const row = await tx.uatSignoff.create({
      data: {
        organizationId: scope.organizationId,
        projectId: project.id,
        interfaceId: iface?.id ?? null,
        decision: input.decision,
        statement: statementOf(found, built.content, input.decision),
        refusalReason: input.decision === 'refused' ? reason : null,
        content: built.content,
        contentHash: built.hash,
        signerId: scope.membershipId,
        signerName: signer.user.name,
        stepUpAt: input.stepUpAt!,
        signedAt: now,
      },
    })
    await tx.uatSignoffScenario.createMany({ data: built.content.scenarios.map((s) => ({ organizationId: scope.organizationId, signoffId: row.id, scenarioId: s.id })) })
    const action = input.decision === 'signed' ? 'uat.signed_off' : 'uat.signoff_refused'
    await auditInScope(scope, {
      action,
      targetType: 'uat_signoff',
      targetId: row.id,
      targetLabel: `${project.name}: ${built.content.set.label}`,
      metadata: { projectId: project.id, interfaceId: iface?.id ?? null, contentHash: built.hash, scenarios: built.content.scenarios.map((s) => s.label), openDefects: built.content.openDefects.length, stepUpAt: input.stepUpAt!.toISOString(), ...(reason && input.decision === 'refused' ? { reason } : {}) },
    }, { tx })
    if (project.ownerId && project.ownerId !== scope.membershipId) {
      const words = input.decision === 'signed' ? 'signed off' : 'refused to sign off'
      await createNotifications(scope, [{
        membershipId: project.ownerId,
        kind: input.decision === 'signed' ? 'gate.signed_off' : 'gate.signoff_refused',
        title: `UAT ${input.decision === 'signed' ? 'signed off' : 'sign-off refused'}: ${project.name}`,
        body: `${signer.user.name} ${words} ${built.content.set.label}${reason && input.decision === 'refused' ? `: “${reason}”` : '.'}`,
        link: `/o/${project.organization.slug}/projects/${project.id}/uat/signoffs/${row.id}`,
        dedupeKey: `signoff:${row.id}:owner`,
      }], { tx })
    }
    return row
  })
  return signoff
}

// ───────────────────────────── asking for a sign-off ─────────────────────────────

/**
 * Asks the clinical leads who may sign the set (R or A on UAT, active, with `uat:signoff`, not
 * authors of its scenarios) to sign it: a 'gate.signoff_requested' notice each, linking to the
 * sign-off page. Refused with a clear message when nobody can sign.
 */
export async function requestSignoff(scope: TenantScope, input: SignoffSet, opts: TxOption & { now?: Date } = {}) {
  if (!can(scope.role, 'uat:write')) throw new DomainError('FORBIDDEN', 'Only managers, analysts and clinical leads ask for a UAT sign-off.')
  const now = opts.now ?? new Date()
  return inTx(opts, async (tx) => {
    const found = await findSet(tx, scope, input)
    if (!found) return null
    const { project, iface } = found
    const built = await buildContent(tx, scope, found)
    if (!built.content.scenarios.length) throw new DomainError('RULE_VIOLATION', 'There is nothing to sign yet: this set has no UAT scenarios.')
    const authors = new Set(built.authors.values())
    const holders = (await uatHolders(tx, scope, project.id)).filter((h) => h.membership && h.membership.status === 'active' && can(h.membership.role, 'uat:signoff'))
    const leads = [...new Map(holders.map((h) => [h.membership!.id, h.membership!])).values()]
    if (!leads.length) throw new DomainError('RULE_VIOLATION', 'Nobody can sign: make a clinical lead R or A on UAT in the RACI.')
    const signers = leads.filter((l) => l.id !== scope.membershipId && !authors.has(l.id))
    if (!signers.length) {
      throw new DomainError('RULE_VIOLATION', 'Nobody else can sign: the clinical leads who are R or A on UAT wrote scenarios of this set (or asked). Make another clinical lead R or A on UAT in the RACI.')
    }
    const requester = await tx.membership.findFirstOrThrow({ where: { id: scope.membershipId, organizationId: scope.organizationId }, select: { user: { select: { name: true } } } })
    const link = `/o/${project.organization.slug}/projects/${project.id}/uat/signoff${iface ? `?interface=${iface.id}` : ''}`
    const stamp = now.toISOString().slice(0, 16)
    const created = await createNotifications(scope, signers.map((l) => ({
      membershipId: l.id,
      kind: 'gate.signoff_requested',
      title: `Sign-off requested: ${project.name}`,
      body: `${requester.user.name} asks you to review and sign off ${built.content.set.label} (${built.content.scenarios.length} scenario${built.content.scenarios.length === 1 ? '' : 's'}, ${built.content.openDefects.length} open defect${built.content.openDefects.length === 1 ? '' : 's'}).`,
      link,
      dedupeKey: `signoff-request:${project.id}:${iface?.id ?? 'project'}:${l.id}:${stamp}`,
    })), { tx })
    await auditInScope(scope, {
      action: 'uat.signoff_requested',
      targetType: 'project',
      targetId: project.id,
      targetLabel: `${project.name}: ${built.content.set.label}`,
      metadata: { interfaceId: iface?.id ?? null, asked: signers.map((l) => l.user.name) },
    }, { tx })
    return { asked: signers.map((l) => l.user.name), created }
  })
}

// ───────────────────────────── reading sign-offs ─────────────────────────────

const signoffSelect = {
  id: true,
  projectId: true,
  interfaceId: true,
  decision: true,
  statement: true,
  refusalReason: true,
  contentHash: true,
  signerId: true,
  signerName: true,
  stepUpAt: true,
  signedAt: true,
  stale: { select: { reason: true, staleAt: true } },
} as const

type SignoffRow = { id: string; projectId: string; interfaceId: string | null; decision: SignoffDecision; statement: string; refusalReason: string | null; contentHash: string; signerId: string; signerName: string; stepUpAt: Date; signedAt: Date; stale: { reason: string; staleAt: Date } | null }

function signoffView(row: SignoffRow, setLabel: string) {
  return {
    id: row.id,
    projectId: row.projectId,
    interfaceId: row.interfaceId,
    setLabel,
    decision: row.decision,
    decisionLabel: SIGNOFF_DECISIONS[row.decision],
    statement: row.statement,
    refusalReason: row.refusalReason,
    contentHash: row.contentHash,
    signerName: row.signerName,
    stepUpAt: row.stepUpAt.toISOString(),
    signedAt: row.signedAt.toISOString(),
    stale: row.stale ? { reason: row.stale.reason, staleAt: row.stale.staleAt.toISOString() } : null,
  }
}
export type SignoffView = ReturnType<typeof signoffView>

/** The project's sign-offs (and refusals), newest first, a page at a time. Null when the project is not the organisation's. */
export async function listSignoffs(scope: Scope, input: { projectId: string; page?: number }, opts: TxOption = {}) {
  const db = dbOf(opts)
  const project = await db.project.findFirst({ where: { id: input.projectId, organizationId: scope.organizationId }, select: { id: true, name: true } })
  if (!project) return null
  const where = { organizationId: scope.organizationId, projectId: project.id }
  const page = input.page ?? 1
  const [rows, total] = await Promise.all([
    db.uatSignoff.findMany({ where, select: signoffSelect, orderBy: [{ signedAt: 'desc' }, { id: 'desc' }], ...pageWindow(page, SIGNOFF_PAGE_SIZE) }),
    db.uatSignoff.count({ where }),
  ])
  const names = await interfaceNames(db, scope, rows.map((r) => r.interfaceId))
  return {
    project,
    signoffs: rows.map((r) => signoffView(r, setLabelOf(project, r.interfaceId ? { name: names.get(r.interfaceId) ?? 'a removed interface' } : null))),
    total,
    page,
    pageCount: pageCountOf(total, SIGNOFF_PAGE_SIZE),
  }
}

async function interfaceNames(db: Db, scope: Scope, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))]
  if (!wanted.length) return new Map<string, string>()
  const rows = await db.interface.findMany({ where: { organizationId: scope.organizationId, id: { in: wanted } }, select: { id: true, name: true } })
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** One sign-off as signed: the record and the content the signer read. Null when not the organisation's (or not this project's). */
export async function getSignoff(scope: Scope, input: { projectId: string; signoffId: string }, opts: TxOption = {}) {
  const row = await dbOf(opts).uatSignoff.findFirst({
    where: { id: input.signoffId, organizationId: scope.organizationId, projectId: input.projectId },
    select: { ...signoffSelect, content: true, project: { select: { id: true, name: true } } },
  })
  if (!row) return null
  const content = row.content as unknown as SignoffContent
  return { project: row.project, signoff: signoffView(row, content.set?.label ?? 'UAT scenarios'), content }
}

// ───────────────────────────── verifying ─────────────────────────────

/** What differs between the content as signed and as it is now, in words. */
export function contentChanges(signed: SignoffContent, live: SignoffContent): string[] {
  const out: string[] = []
  const liveScenarios = new Map(live.scenarios.map((s) => [s.id, s]))
  const signedIds = new Set(signed.scenarios.map((s) => s.id))
  const FIELDS: [keyof SignedScenario, string][] = [
    ['title', 'title'],
    ['preconditions', 'preconditions'],
    ['steps', 'steps'],
    ['expectedResult', 'expected result'],
    ['edgeCases', 'edge cases'],
    ['priority', 'priority'],
    ['interfaceId', 'interface'],
  ]
  for (const s of signed.scenarios) {
    const now = liveScenarios.get(s.id)
    if (!now) {
      out.push(`${s.label} is no longer in the set`)
      continue
    }
    const fields = FIELDS.filter(([k]) => canonicalJson(s[k]) !== canonicalJson(now[k])).map(([, w]) => w)
    if (fields.length) out.push(`${s.label} was edited (${fields.join(', ')})`)
    if (canonicalJson(s.latestRun) !== canonicalJson(now.latestRun)) {
      out.push(now.latestRun ? `${s.label} has a newer run (${now.latestRun.result}, ${now.latestRun.executedAt.slice(0, 10)})` : `${s.label} lost its run`)
    }
  }
  for (const s of live.scenarios) if (!signedIds.has(s.id)) out.push(`${s.label} was added to the set`)
  const liveDefects = new Map(live.openDefects.map((d) => [d.id, d]))
  const signedDefects = new Set(signed.openDefects.map((d) => d.id))
  for (const d of signed.openDefects) {
    const now = liveDefects.get(d.id)
    if (!now) out.push(`${d.label} is no longer open`)
    else if (canonicalJson(d) !== canonicalJson(now)) out.push(`${d.label} was changed`)
  }
  for (const d of live.openDefects) if (!signedDefects.has(d.id)) out.push(`${d.label} (severity ${d.severity}) was opened`)
  if (!out.length && canonicalJson(signed) !== canonicalJson(live)) out.push('the project or interface was renamed')
  return out
}

/**
 * Recomputes the SHA-256 of the stored content and compares it with the stored hash (a row
 * changed behind the app's back does not match), compares it with the live content now, and
 * says whether the sign-off is stale. Null when not the organisation's.
 */
export async function verifySignoff(scope: Scope, input: { projectId: string; signoffId: string }, opts: TxOption = {}) {
  const db = dbOf(opts)
  const row = await db.uatSignoff.findFirst({
    where: { id: input.signoffId, organizationId: scope.organizationId, projectId: input.projectId },
    select: { id: true, projectId: true, interfaceId: true, content: true, contentHash: true, stale: { select: { reason: true, staleAt: true } } },
  })
  if (!row) return null
  const recomputed = canonicalContent(row.content).hash
  const intact = recomputed === row.contentHash
  const found = await findSet(db, scope, { projectId: row.projectId, interfaceId: row.interfaceId })
  const live = found ? await buildContent(db, scope, found) : null
  const matchesLive = !!live && live.hash === row.contentHash
  const changes = live ? (matchesLive ? [] : contentChanges(row.content as unknown as SignoffContent, live.content)) : ['the interface is no longer in the project’s scope']
  return {
    storedHash: row.contentHash,
    recomputedHash: recomputed,
    intact,
    liveHash: live?.hash ?? null,
    matchesLive,
    changes,
    stale: row.stale ? { reason: row.stale.reason, staleAt: row.stale.staleAt.toISOString() } : null,
  }
}

// ───────────────────────────── the state, for readiness ─────────────────────────────

/**
 * For the readiness scorecard: per set (the project, then each interface in its scope), the
 * latest decision and the latest signature with their staleness and whether they cover every
 * current scenario of the set; and whether the project's UAT is signed — every current
 * scenario covered by a signed, not-stale sign-off of the project or of its interface, where
 * only a set's latest decision counts (a refusal after a signature withdraws it). Null when the
 * project is not the organisation's.
 */
export async function uatSignoffState(scope: Scope, input: { projectId: string }, opts: TxOption = {}) {
  const db = dbOf(opts)
  const project = await db.project.findFirst({ where: { id: input.projectId, organizationId: scope.organizationId }, select: { id: true, name: true } })
  if (!project) return null
  const org = scope.organizationId
  const [scenarios, links, signoffs] = await Promise.all([
    db.uatScenario.findMany({ where: { organizationId: org, projectId: project.id }, select: { id: true, number: true, interfaceId: true }, orderBy: { number: 'asc' } }),
    db.projectInterface.findMany({ where: { organizationId: org, projectId: project.id }, select: { interface: { select: { id: true, name: true } } }, orderBy: { interface: { name: 'asc' } } }),
    db.uatSignoff.findMany({
      where: { organizationId: org, projectId: project.id },
      select: { id: true, interfaceId: true, decision: true, signedAt: true, signerName: true, stale: { select: { reason: true } }, scenarios: { select: { scenarioId: true } } },
      orderBy: [{ signedAt: 'desc' }, { id: 'desc' }],
    }),
  ])
  const summary = (s: (typeof signoffs)[number] | undefined) =>
    s ? { id: s.id, decision: s.decision as SignoffDecision, signedAt: s.signedAt.toISOString(), signerName: s.signerName, stale: !!s.stale, staleReason: s.stale?.reason ?? null } : null
  const sets = [{ kind: 'project' as const, interfaceId: null as string | null, label: setLabelOf(project, null) }, ...links.map((l) => ({ kind: 'interface' as const, interfaceId: l.interface.id, label: setLabelOf(project, l.interface) }))].map((set) => {
    const mine = signoffs.filter((s) => s.interfaceId === set.interfaceId)
    const ofSet = scenarios.filter((s) => set.interfaceId === null || s.interfaceId === set.interfaceId)
    const latest = mine[0]
    const latestSigned = mine.find((s) => s.decision === 'signed')
    const covered = new Set(latestSigned?.scenarios.map((c) => c.scenarioId) ?? [])
    return {
      ...set,
      scenarioCount: ofSet.length,
      latest: summary(latest),
      latestSigned: summary(latestSigned),
      coversAll: !!latestSigned && ofSet.length > 0 && ofSet.every((s) => covered.has(s.id)),
    }
  })
  const { covers } = coveringSets(signoffs.map((s) => ({ interfaceId: s.interfaceId, decision: s.decision as SignoffDecision, stale: !!s.stale, scenarioIds: s.scenarios.map((c) => c.scenarioId) })))
  const uncovered = scenarios.filter((s) => !covers(s)).map(scenarioLabel)
  return {
    project,
    scenarioCount: scenarios.length,
    uncovered,
    signed: scenarios.length > 0 && uncovered.length === 0,
    /** A set whose latest decision is a signature gone stale. */
    anyStale: sets.some((s) => s.latest?.decision === 'signed' && s.latest.stale),
    sets,
  }
}

// ───────────────────────────── the sign-off page ─────────────────────────────

/** The project (and interface) of a set, or null when not the organisation's (or not in the project's scope). */
export async function findSignoffSet(scope: Scope, input: SignoffSet, opts: TxOption = {}) {
  const found = await findSet(dbOf(opts), scope, input)
  return found ? { project: { id: found.project.id, name: found.project.name }, iface: found.iface } : null
}

/**
 * What the sign-off page shows: the sets to choose from (with their scenario counts), the
 * chosen set's content and statements, whether this member may sign it, and its latest
 * decision. Null when the project (or the interface) is not the organisation's.
 */
export async function getSignoffPage(scope: TenantScope, input: SignoffSet, opts: TxOption = {}) {
  const db = dbOf(opts)
  const read = await signoffContent(scope, input, opts)
  if (!read) return null
  const projectId = read.content.project.id
  const [links, counts, latest] = await Promise.all([
    db.projectInterface.findMany({ where: { organizationId: scope.organizationId, projectId }, select: { interface: { select: { id: true, name: true } } }, orderBy: { interface: { name: 'asc' } } }),
    db.uatScenario.groupBy({ by: ['interfaceId'], where: { organizationId: scope.organizationId, projectId }, _count: { _all: true } }),
    db.uatSignoff.findFirst({
      where: { organizationId: scope.organizationId, projectId, interfaceId: read.content.set.interfaceId },
      select: signoffSelect,
      orderBy: [{ signedAt: 'desc' }, { id: 'desc' }],
    }),
  ])
  const countOf = (interfaceId: string | null) => (interfaceId === null ? counts.reduce((n, c) => n + c._count._all, 0) : (counts.find((c) => c.interfaceId === interfaceId)?._count._all ?? 0))
  const sets = [
    { interfaceId: null as string | null, name: 'Whole project', scenarioCount: countOf(null) },
    ...links.map((l) => ({ interfaceId: l.interface.id as string | null, name: l.interface.name, scenarioCount: countOf(l.interface.id) })),
  ]
  return {
    project: read.content.project,
    sets,
    read,
    eligibility: await signerEligibility(scope, { projectId, authorIds: read.authorIds }, opts),
    latest: latest ? signoffView(latest, read.content.set.label) : null,
  }
}
