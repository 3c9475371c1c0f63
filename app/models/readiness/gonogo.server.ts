/**
 * Go/no-go meetings (docs/decisions/030-go-no-go-snapshots.md): the record of the meeting that
 * decides a go-live — the day, the decision (go, go with conditions, no-go), the conditions and
 * notes, and one vote per panel role (the project's accountable person, a clinical lead, IT,
 * compliance), each by a named member of the organisation. At recording it freezes into
 * `snapshot` what the panel had before it — the scorecard, every sign-off (stale or not, and
 * why) and the open defects — and writes a readiness snapshot of kind `go_no_go` for the trend.
 *
 * A record is never edited: this file has no update and no delete; a correction is a new
 * meeting. Writers need `gonogo:write`; every reader of the project reads. Audited.
 */
import type { Prisma } from '#app/generated/prisma/client.ts'
import { dbOf, inTx, type Db, type Tx, type TxOption } from '#app/utils/db.server.ts'
import { DomainError } from '#app/utils/errors.server.ts'
import { zonedParts } from '#app/utils/org.ts'
import { can } from '#app/utils/permissions.ts'
import type { Scope } from '#app/utils/scope.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { dateOf, dayOf } from '#app/models/projects/plan.ts'
import { auditInScope } from '../audit/audit.server.ts'
import { gateAccountable } from './gate.server.ts'
import { PANEL_ORDER, type GoNoGoInput, type MeetingSnapshot, type MeetingVote } from './gonogo.ts'
import { projectReadiness, type Scorecard } from './readiness.server.ts'
import { frozenChecks, writeSnapshot } from './snapshots.server.ts'
import { PANEL_ROLES, type GoNoGoDecision, type PanelRole, type Vote } from './vocabulary.ts'

type Options = TxOption & { now?: Date }

const projectOf = (db: Db, scope: Scope, projectId: string) =>
  db.project.findFirst({ where: { id: projectId, organizationId: scope.organizationId }, select: { id: true, name: true, ownerId: true } })

// ───────────────────────────── the panel ─────────────────────────────

/**
 * Who the form proposes for each panel seat: the gate's accountable person; the clinical lead
 * who is A (else R) on the project's UAT step (else the first clinical lead); a member of IT on the project's RACI (else any);
 * a compliance member. Each may be null; the people recording the meeting change any of them.
 */
export async function panelDefaults(scope: Scope, input: { projectId: string }, options: TxOption = {}) {
  const db = dbOf(options)
  const people = await gateAccountable(scope, input, options)
  if (!people) return null
  const active = { organizationId: scope.organizationId, status: 'active' as const }
  const [uat, anyLead, itOnProject, itAny, compliance] = await Promise.all([
    db.raciAssignment.findMany({
      where: { organizationId: scope.organizationId, projectId: input.projectId, letter: { in: ['A', 'R'] }, activity: { step: { standardKey: 'uat' } }, membership: { ...active, OR: [{ role: 'clinical_lead' }, { function: 'clinical' }] } },
      select: { letter: true, membershipId: true, membership: { select: { role: true } } },
    }),
    db.membership.findFirst({ where: { ...active, role: 'clinical_lead' }, select: { id: true }, orderBy: { createdAt: 'asc' } }),
    db.raciAssignment.findFirst({ where: { organizationId: scope.organizationId, projectId: input.projectId, membershipId: { not: people.accountableId ?? undefined }, membership: { ...active, function: 'it' } }, select: { membershipId: true }, orderBy: { createdAt: 'asc' } }),
    db.membership.findFirst({ where: { ...active, function: 'it', id: { not: people.accountableId ?? undefined } }, select: { id: true }, orderBy: [{ role: 'asc' }, { createdAt: 'asc' }] }),
    db.membership.findFirst({ where: { ...active, OR: [{ role: 'compliance' }, { function: 'compliance' }] }, select: { id: true }, orderBy: [{ role: 'asc' }, { createdAt: 'asc' }] }),
  ])
  const rank = (a: (typeof uat)[number]) => (a.letter === 'A' ? 0 : 2) + (a.membership?.role === 'clinical_lead' ? 0 : 1)
  const clinical = [...uat].sort((a, b) => rank(a) - rank(b))[0]?.membershipId ?? anyLead?.id ?? null
  return {
    project_accountable: people.accountableId,
    clinical_lead: clinical,
    it: itOnProject?.membershipId ?? itAny?.id ?? null,
    compliance: compliance?.id ?? null,
  } satisfies Record<PanelRole, string | null>
}

// ───────────────────────────── what the record freezes ─────────────────────────────

async function signoffsOf(tx: Tx, scope: Scope, projectId: string): Promise<MeetingSnapshot['signoffs']> {
  const rows = await tx.uatSignoff.findMany({
    where: { organizationId: scope.organizationId, projectId },
    select: { id: true, interfaceId: true, decision: true, signerName: true, signedAt: true, stale: { select: { reason: true, staleAt: true } } },
    orderBy: { signedAt: 'desc' },
  })
  const ids = [...new Set(rows.map((r) => r.interfaceId).filter((id): id is string => !!id))]
  const names = new Map((await tx.interface.findMany({ where: { organizationId: scope.organizationId, id: { in: ids } }, select: { id: true, name: true } })).map((i) => [i.id, i.name]))
  return rows.map((r) => ({
    id: r.id,
    set: r.interfaceId ? `Interface: ${names.get(r.interfaceId) ?? 'removed interface'}` : 'The whole project',
    signer: r.signerName,
    signedAt: r.signedAt.toISOString(),
    decision: r.decision,
    stale: !!r.stale,
    staleReason: r.stale?.reason ?? null,
    staleAt: r.stale?.staleAt.toISOString() ?? null,
  }))
}

async function openDefectsOf(tx: Tx, scope: Scope, projectId: string): Promise<MeetingSnapshot['openDefects']> {
  const rows = await tx.uatDefect.findMany({
    where: { organizationId: scope.organizationId, projectId, status: 'open' },
    select: { number: true, title: true, severity: true, owner: { select: { user: { select: { name: true } } } } },
    orderBy: [{ severity: 'asc' }, { number: 'asc' }],
  })
  return rows.map((d) => ({ number: d.number, title: d.title, severity: d.severity, owner: d.owner?.user.name ?? null }))
}

function frozenScorecard(card: Scorecard): MeetingSnapshot['scorecard'] {
  return {
    scorePct: card.scorePct,
    band: card.band,
    level: card.level,
    gateOpen: card.gateOpen,
    today: card.today,
    nextGoLive: card.nextGoLive,
    override: card.override ? { reason: card.override.reason, by: card.override.by, at: card.override.at } : null,
    checks: frozenChecks(card),
    exemptions: card.exemptions.filter((e) => !e.expired).map((e) => ({ checkKey: e.checkKey, reason: e.reason, expiresOn: e.expiresOn, by: e.by })),
    waves: card.waves.map((w) => ({ id: w.id, name: w.name, goLive: w.goLive, status: w.status, checks: w.checks.map((c) => ({ title: c.title, status: c.status, why: c.why })) })),
  }
}

// ───────────────────────────── recording ─────────────────────────────

const fieldOf = (role: PanelRole) => `votes.${role}.membershipId`

/**
 * Records a meeting with its four votes and freezes what the panel saw. Null when the project is
 * not the organisation's. A vote naming anyone but an active member of this organisation, the
 * accountable seat given to someone else than the gate's accountable person, one person in two
 * seats, a wave of another project or a day in the future: a field error, nothing written.
 */
export async function recordMeeting(scope: TenantScope, input: GoNoGoInput & { projectId: string }, options: Options = {}) {
  if (!can(scope.role, 'gonogo:write')) throw new DomainError('FORBIDDEN', 'Only managers record go/no-go meetings.')
  if (input.decision === 'go_with_conditions' && !input.conditions?.trim()) throw new DomainError('RULE_VIOLATION', 'Write the conditions of the go.', 'conditions')
  const now = options.now ?? new Date()
  return inTx(options, async (tx) => {
    const project = await projectOf(tx, scope, input.projectId)
    if (!project) return null
    const wave = input.waveId
      ? await tx.projectWave.findFirst({ where: { id: input.waveId, organizationId: scope.organizationId, projectId: project.id }, select: { id: true, name: true, kind: true, goLive: true } })
      : null
    if (input.waveId && !wave) throw new DomainError('RULE_VIOLATION', 'Choose a wave of this project, or none for the whole project.', 'waveId')
    const today = zonedParts(now, scope.timeZone).date
    if (input.heldOn > today) throw new DomainError('RULE_VIOLATION', `Record a meeting once it was held (today is ${today}).`, 'heldOn')

    const ids = PANEL_ORDER.map((r) => input.votes[r].membershipId)
    const members = await tx.membership.findMany({
      where: { organizationId: scope.organizationId, id: { in: ids }, status: 'active' },
      select: { id: true, role: true, user: { select: { name: true } } },
    })
    const byId = new Map(members.map((m) => [m.id, m]))
    for (const role of PANEL_ORDER) {
      if (!byId.has(input.votes[role].membershipId)) throw new DomainError('RULE_VIOLATION', 'Choose an active member of this organisation.', fieldOf(role))
    }
    for (const [i, role] of PANEL_ORDER.entries()) {
      const first = ids.indexOf(ids[i]!)
      if (first !== i) throw new DomainError('RULE_VIOLATION', `${byId.get(ids[i]!)!.user.name} already votes as ${PANEL_ROLES[PANEL_ORDER[first]!]}: one seat each.`, fieldOf(role))
    }
    const people = (await gateAccountable(scope, { projectId: project.id }, { tx }))!
    if (people.accountableId && people.accountableId !== input.votes.project_accountable.membershipId) {
      const name = (await tx.membership.findFirst({ where: { id: people.accountableId, organizationId: scope.organizationId }, select: { user: { select: { name: true } } } }))?.user.name ?? 'the accountable person'
      throw new DomainError('RULE_VIOLATION', `The accountable seat is ${name}’s: the A of “Phased rollout” in the RACI, else the project’s owner.`, fieldOf('project_accountable'))
    }

    const card = (await projectReadiness(scope, { projectId: project.id }, { tx, now }))!
    const snapshot: MeetingSnapshot = {
      takenAt: now.toISOString(),
      project: { id: project.id, name: project.name },
      wave: wave ? { id: wave.id, name: wave.name, kind: wave.kind, goLive: dayOf(wave.goLive) } : null,
      panel: Object.fromEntries(PANEL_ORDER.map((r) => [r, { name: byId.get(input.votes[r].membershipId)!.user.name, role: byId.get(input.votes[r].membershipId)!.role }])) as MeetingSnapshot['panel'],
      scorecard: frozenScorecard(card),
      signoffs: await signoffsOf(tx, scope, project.id),
      openDefects: await openDefectsOf(tx, scope, project.id),
    }
    const meeting = await tx.goNoGoMeeting.create({
      data: {
        organizationId: scope.organizationId,
        projectId: project.id,
        waveId: wave?.id ?? null,
        heldOn: dateOf(input.heldOn)!,
        decision: input.decision,
        conditions: input.decision === 'go_with_conditions' ? input.conditions!.trim() : null,
        notes: input.notes ?? null,
        snapshot: snapshot as unknown as Prisma.InputJsonValue,
        createdById: scope.membershipId,
        votes: {
          create: PANEL_ORDER.map((r) => ({ organizationId: scope.organizationId, panelRole: r, membershipId: input.votes[r].membershipId, vote: input.votes[r].vote, comment: input.votes[r].comment ?? null })),
        },
      },
    })
    await writeSnapshot(scope, { card, kind: 'go_no_go', waveId: wave?.id ?? null, takenAt: now }, { tx })
    await auditInScope(
      scope,
      {
        action: 'gonogo.recorded',
        targetType: 'project',
        targetId: project.id,
        targetLabel: wave ? `${project.name}: ${wave.name}` : project.name,
        metadata: { meetingId: meeting.id, heldOn: input.heldOn, decision: input.decision, waveId: wave?.id ?? null, scorePct: card.scorePct, votes: Object.fromEntries(PANEL_ORDER.map((r) => [r, input.votes[r].vote])) },
      },
      { tx },
    )
    return meeting
  })
}

// ───────────────────────────── reading ─────────────────────────────

const meetingSelect = {
  id: true,
  waveId: true,
  heldOn: true,
  decision: true,
  conditions: true,
  notes: true,
  snapshot: true,
  createdAt: true,
  createdBy: { select: { user: { select: { name: true } } } },
  votes: { select: { panelRole: true, vote: true, comment: true } },
} satisfies Prisma.GoNoGoMeetingSelect

type MeetingRow = Prisma.GoNoGoMeetingGetPayload<{ select: typeof meetingSelect }>

function meetingView(m: MeetingRow) {
  const snapshot = m.snapshot as unknown as MeetingSnapshot
  const votes: MeetingVote[] = PANEL_ORDER.flatMap((r) => {
    const v = m.votes.find((x) => x.panelRole === r)
    // The voter's name as it was: frozen in the snapshot (the membership may since be gone).
    return v ? [{ panelRole: r, vote: v.vote as Vote, comment: v.comment, name: snapshot.panel[r]?.name ?? 'Unknown' }] : []
  })
  return {
    id: m.id,
    heldOn: dayOf(m.heldOn)!,
    decision: m.decision as GoNoGoDecision,
    conditions: m.conditions,
    notes: m.notes,
    wave: snapshot.wave,
    recordedBy: m.createdBy?.user.name ?? null,
    recordedAt: m.createdAt.toISOString(),
    votes,
    snapshot,
  }
}
export type MeetingView = ReturnType<typeof meetingView>

/** The project's meetings, the latest held first (with what each froze). */
export async function listMeetings(scope: Scope, input: { projectId: string; take?: number }, options: TxOption = {}) {
  const rows = await dbOf(options).goNoGoMeeting.findMany({
    where: { organizationId: scope.organizationId, projectId: input.projectId },
    select: meetingSelect,
    orderBy: [{ heldOn: 'desc' }, { createdAt: 'desc' }],
    take: Math.min(input.take ?? 100, 500),
  })
  return rows.map(meetingView)
}

export async function getMeeting(scope: Scope, input: { projectId: string; meetingId: string }, options: TxOption = {}) {
  const row = await dbOf(options).goNoGoMeeting.findFirst({
    where: { id: input.meetingId, organizationId: scope.organizationId, projectId: input.projectId },
    select: { ...meetingSelect, project: { select: { id: true, name: true } } },
  })
  return row ? { ...meetingView(row), project: row.project } : null
}

/** The project as the go/no-go page needs it: name, waves (for the form and the trend's marks). Null when not the organisation's. */
export async function getGoNoGoProject(scope: Scope, input: { projectId: string }, options: TxOption = {}) {
  const project = await dbOf(options).project.findFirst({
    where: { id: input.projectId, organizationId: scope.organizationId },
    select: { id: true, name: true, waves: { select: { id: true, name: true, kind: true, status: true, goLive: true }, orderBy: [{ position: 'asc' }] } },
  })
  if (!project) return null
  return { id: project.id, name: project.name, waves: project.waves.map((w) => ({ ...w, goLive: dayOf(w.goLive) })) }
}
