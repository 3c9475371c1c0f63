import { updateRows, type SqlColumns } from '#app/utils/bulk-sql.server.ts'
import { prisma, type Db } from '#app/utils/db.server.ts'
import type { CsvIssue } from '#app/utils/csv.ts'
import { assignableRoles } from '#app/utils/permissions.ts'
import { ROLE_LABELS, type MemberFunction, type Role } from '#app/models/people/vocabulary.ts'
import { parseRosterCsv, type RosterParse, type RosterRecord } from '#app/models/training/roster-csv.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { applyImportBatch, auditImport, cleanFileName, importAuditMetadata, invalidImport, keepRows, keptRows, previewImportBatch, type KeptRows } from '../imports/import-batch.server.ts'
import { dispatchEmail } from '../messages/email-outbox.server.ts'
import { createInvitation } from '../people/invitation.server.ts'
import { syncTrainingAssignments } from './training-assignment.server.ts'

/**
 * The staff roster import (capability members:invite): the inventory import's approach
 * (docs/decisions/009-inventory-csv-import.md) for people.
 *
 * preview: read the file, match each row to the organisation by email — an active member is
 *   updated (function, unit, line manager; never their role), anybody else is invited (with the
 *   row's role, function, unit and manager), someone with the same pending invitation is left
 *   alone, a deactivated member is skipped (reactivating is a decision for the People page).
 *   Nothing is written but the batch (ImportBatch, kind "roster", with the rows read) when the
 *   file has no problem.
 * apply: in ONE transaction, claim the batch, plan the kept rows again, write the changes and the
 *   invitations, and sync training assignments of the members who changed; invitation emails are
 *   dispatched after the commit (the outbox keeps them). Any problem and nothing is written.
 * audit: ONE `training.roster_imported` event per applied batch (docs/decisions/029-import-audit.md)
 *   names the batch, the file's SHA-256, the counts and each changed member with the before and
 *   after; each invitation is audited as the People page's are (it has its own token and email).
 */

const KIND = 'roster'
const MEMBER_COLUMNS_SQL: SqlColumns = [
  ['function', '"MemberFunction"'],
  ['unit', 'text'],
  ['managerId', 'text'],
]

export type RosterAction = 'invite' | 'update' | 'unchanged' | 'pending' | 'skipped'
export type RosterChange = { column: string; from: string; to: string }
export type RosterPlannedRow = { line: number; email: string; name: string | null; action: RosterAction; changes: RosterChange[]; note?: string }
export type RosterPlan = {
  fileName: string
  total: number
  counts: Record<RosterAction, number>
  rows: RosterPlannedRow[]
  errors: CsvIssue[]
}

type Planned = {
  plan: RosterPlan
  updates: { membershipId: string; email: string; from: { function: MemberFunction; unit: string | null; managerId: string | null }; to: { function: MemberFunction; unit: string | null; managerId: string | null } }[]
  invites: { email: string; role: Role; function: MemberFunction; unit: string | null; managerId: string | null }[]
}

async function plan(db: Db, scope: TenantScope, parsed: RosterParse, fileName: string): Promise<Planned> {
  const errors = [...parsed.errors]
  const emails = new Set<string>()
  // The people the file names (a Set: asking the rows for each bad manager was quadratic, seconds at 50,000 rows).
  const inFile = new Set(parsed.rows.map((r) => r.record.email))
  for (const r of parsed.rows) {
    emails.add(r.record.email)
    if (r.record.managerEmail) emails.add(r.record.managerEmail)
  }
  const list = [...emails]
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      where: { organizationId: scope.organizationId, user: { email: { in: list } } },
      select: { id: true, status: true, role: true, function: true, unit: true, managerId: true, user: { select: { email: true } } },
    }),
    db.invitation.findMany({
      where: { organizationId: scope.organizationId, email: { in: list }, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      select: { email: true, role: true, function: true, unit: true, managerId: true },
    }),
  ])
  const memberByEmail = new Map(members.map((m) => [m.user.email, m]))
  const emailById = new Map(members.map((m) => [m.id, m.user.email]))
  // Managers of members who are not in the file: their current manager's email, for the "from" column.
  const otherManagerIds = members.map((m) => m.managerId).filter((id): id is string => Boolean(id) && !emailById.has(id!))
  if (otherManagerIds.length) {
    const others = await db.membership.findMany({
      where: { organizationId: scope.organizationId, id: { in: otherManagerIds } },
      select: { id: true, user: { select: { email: true } } },
    })
    for (const o of others) emailById.set(o.id, o.user.email)
  }
  const pendingByEmail = new Map(invitations.map((i) => [i.email, i]))
  const allowedRoles = assignableRoles(scope.role)

  const counts: Record<RosterAction, number> = { invite: 0, update: 0, unchanged: 0, pending: 0, skipped: 0 }
  const rows: RosterPlannedRow[] = []
  const updates: Planned['updates'] = []
  const invites: Planned['invites'] = []
  for (const row of parsed.rows) {
    const rec: RosterRecord = row.record
    const issue = (column: string, value: string, message: string) =>
      errors.push({ line: row.line, column, columnNumber: row.positions[column] ?? null, value, message })
    let managerId: string | null = null
    if (rec.managerEmail) {
      const manager = memberByEmail.get(rec.managerEmail)
      if (!manager || manager.status !== 'active') {
        issue(
          'manager_email',
          rec.managerEmail,
          inFile.has(rec.managerEmail)
            ? 'The manager is not a member yet (this file invites them): import again once they have accepted, or leave the cell empty for now.'
            : 'No active member of this organisation has this email.',
        )
        continue
      }
      managerId = manager.id
    }
    const member = memberByEmail.get(rec.email)
    if (member && member.status !== 'active') {
      rows.push({ line: row.line, email: rec.email, name: rec.name, action: 'skipped', changes: [], note: 'Deactivated member: reactivate them on the People page first.' })
      counts.skipped++
      continue
    }
    if (member) {
      const to = { function: rec.function, unit: rec.unit, managerId }
      const from = { function: member.function, unit: member.unit, managerId: member.managerId }
      const changes: RosterChange[] = []
      if (from.function !== to.function) changes.push({ column: 'function', from: from.function, to: to.function })
      if ((from.unit ?? '') !== (to.unit ?? '')) changes.push({ column: 'unit', from: from.unit ?? '', to: to.unit ?? '' })
      if (from.managerId !== to.managerId) changes.push({ column: 'manager_email', from: from.managerId ? (emailById.get(from.managerId) ?? '') : '', to: rec.managerEmail ?? '' })
      const note = rec.role && rec.role !== member.role ? `Role stays ${ROLE_LABELS[member.role]} (change roles on the People page).` : undefined
      if (changes.length) {
        updates.push({ membershipId: member.id, email: rec.email, from, to })
        counts.update++
        rows.push({ line: row.line, email: rec.email, name: rec.name, action: 'update', changes, note })
      } else {
        counts.unchanged++
        rows.push({ line: row.line, email: rec.email, name: rec.name, action: 'unchanged', changes: [], note })
      }
      continue
    }
    const role = rec.role ?? 'staff'
    if (!allowedRoles.includes(role)) {
      issue('role', rec.role ?? '', `Your role cannot invite someone as ${ROLE_LABELS[role]}.`)
      continue
    }
    const pending = pendingByEmail.get(rec.email)
    if (pending && pending.role === role && pending.function === rec.function && (pending.unit ?? null) === rec.unit && (pending.managerId ?? null) === managerId) {
      counts.pending++
      rows.push({ line: row.line, email: rec.email, name: rec.name, action: 'pending', changes: [], note: 'Already invited (the invitation is still open).' })
      continue
    }
    invites.push({ email: rec.email, role, function: rec.function, unit: rec.unit, managerId })
    counts.invite++
    rows.push({
      line: row.line,
      email: rec.email,
      name: rec.name,
      action: 'invite',
      changes: [],
      note: `${ROLE_LABELS[role]}${rec.unit ? ` · ${rec.unit}` : ''}${pending ? ' · replaces their open invitation' : ''}`,
    })
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.columnNumber ?? 1e9) - (b.columnNumber ?? 1e9))
  return { plan: { fileName, total: parsed.total, counts, rows, errors }, updates, invites }
}

const emptyCounts = (): Record<RosterAction, number> => ({ invite: 0, update: 0, unchanged: 0, pending: 0, skipped: 0 })

/** Reads and checks a roster; keeps it as a batch when it has no problem. Writes nothing else. */
export async function previewRoster(scope: TenantScope, input: { fileName?: string | null; content: string | Uint8Array }) {
  const fileName = cleanFileName(input.fileName, 'roster.csv')
  return previewImportBatch(
    scope,
    { kind: KIND, fileName, content: input.content },
    {
      plan: async (text) => {
        const parsed = parseRosterCsv(text)
        return { plan: (await plan(prisma, scope, parsed, fileName)).plan, keep: keepRows(parsed) }
      },
      unreadable: (issue): RosterPlan => ({ fileName, total: 0, counts: emptyCounts(), rows: [], errors: [issue] }),
    },
  )
}

export type RosterApplyResult = { status: 'applied'; plan: RosterPlan; training: { created: number; cancelled: number } } | { status: 'invalid'; plan: RosterPlan }

/**
 * Applies a previewed roster: all rows or none. Null when the batch is not this organisation's
 * roster (→ 404); `invalid` when the organisation changed so that the file no longer fits;
 * CONFLICT when applied already; RULE_VIOLATION when the preview is more than an hour old.
 */
export async function applyRoster(scope: TenantScope, { batchId, inviterName }: { batchId: string; inviterName: string }): Promise<RosterApplyResult | null> {
  type Applied = { status: 'applied'; plan: RosterPlan; training: { created: number; cancelled: number }; emailIds: string[] }
  const result = await applyImportBatch<RosterPlan, Applied>(scope, { batchId }, {
    kinds: [KIND],
    noun: 'roster',
    apply: async (tx, batch) => {
      const parsed = batch.records ? keptRows(batch.records as KeptRows<RosterRecord>) : parseRosterCsv(batch.content)
      const planned = await plan(tx, scope, parsed, batch.fileName)
      if (planned.plan.errors.length) invalidImport(planned.plan)
      // One UPDATE per 5,000 members, not one per member (app/utils/bulk-sql.server.ts).
      await updateRows(tx, scope, 'Membership', MEMBER_COLUMNS_SQL, planned.updates.map((u) => ({ id: u.membershipId, ...u.to, updatedAt: new Date() })))
      const emailIds: string[] = []
      for (const inv of planned.invites) {
        const { emailId } = await createInvitation(scope, { email: inv.email, role: inv.role, function: inv.function, unit: inv.unit ?? undefined, managerId: inv.managerId }, { inviterName, tx })
        emailIds.push(emailId)
      }
      const training = await syncTrainingAssignments(scope, { membershipIds: planned.updates.map((u) => u.membershipId), trigger: 'roster_import' }, { tx })
      await auditImport(scope, {
        action: 'training.roster_imported',
        targetType: 'import_batch',
        targetId: batch.id,
        targetLabel: batch.fileName,
        metadata: importAuditMetadata(batch, {
          rows: planned.plan.total,
          counts: planned.plan.counts,
          extra: { training },
          // The members' details as member.details_changed names them: before and after.
          updated: planned.updates.map((u) => ({ id: u.membershipId, email: u.email, from: u.from, to: u.to })),
        }),
      }, { tx })
      return { status: 'applied', plan: planned.plan, training, emailIds }
    },
  })
  if (!result || result.status === 'invalid') return result
  // After the commit: the outbox keeps the emails, so a failed send is retried, never lost.
  for (const id of result.emailIds) await dispatchEmail(scope, id)
  return { status: 'applied', plan: result.plan, training: result.training }
}
