/**
 * A person's calendar feed of the organisation's project milestones (target go-lives, phase
 * ends, the pilot's and each wave's go-live) as an iCal URL a calendar app subscribes to.
 *
 * The URL's token is the credential (calendar apps fetch without cookies): only its SHA-256 is
 * stored, it is shown once when made, and making a new one revokes the old. A revoked or
 * unknown token, or the feed of a member who has been deactivated, finds nothing (404).
 */
import { getEnv } from '#app/utils/env.server.ts'
import { generateToken, sha256 } from '#app/utils/crypto.server.ts'
import { inTx, prisma, type TxOption } from '#app/utils/db.server.ts'
import type { TenantScope } from '#app/utils/tenant.server.ts'
import { auditInScope } from '../audit/audit.server.ts'
import { icalendar, type CalendarEvent } from './ical.ts'
import { dayOf } from './plan.ts'
import { PHASES, phaseNumber, waveMilestoneLabel } from './vocabulary.ts'

/** lastUsedAt is written at most this often: a calendar app polling every minute writes a row every few minutes. */
const TOUCH_EVERY_MS = 5 * 60_000

export const calendarUrl = (token: string) => `${getEnv().APP_URL.replace(/\/$/, '')}/calendar/${token}.ics`

/** The caller's live feed (never its token: that was shown once). */
export function getMyFeed(scope: TenantScope) {
  return prisma.calendarFeed.findFirst({
    where: { organizationId: scope.organizationId, membershipId: scope.membershipId, revokedAt: null },
    select: { id: true, createdAt: true, lastUsedAt: true },
    orderBy: { createdAt: 'desc' },
  })
}

/** A new feed for the caller; their older one stops working. Returns the URL, to be shown once. */
export async function createFeed(scope: TenantScope, options: TxOption = {}) {
  return inTx(options, async (tx) => {
    const revoked = await tx.calendarFeed.updateMany({ where: { organizationId: scope.organizationId, membershipId: scope.membershipId, revokedAt: null }, data: { revokedAt: new Date() } })
    const token = generateToken(32)
    const feed = await tx.calendarFeed.create({ data: { organizationId: scope.organizationId, membershipId: scope.membershipId, tokenHash: sha256(token) } })
    await auditInScope(scope, { action: 'calendar.feed_created', targetType: 'calendar_feed', targetId: feed.id, targetLabel: scope.userEmail, metadata: { replaced: revoked.count } }, { tx })
    return { feed, token, url: calendarUrl(token) }
  })
}

/** Revokes the caller's feed; null when they have none. */
export async function revokeFeed(scope: TenantScope, options: TxOption = {}) {
  return inTx(options, async (tx) => {
    const feed = await tx.calendarFeed.findFirst({ where: { organizationId: scope.organizationId, membershipId: scope.membershipId, revokedAt: null } })
    if (!feed) return null
    await tx.calendarFeed.updateMany({ where: { id: feed.id, organizationId: scope.organizationId }, data: { revokedAt: new Date() } })
    await auditInScope(scope, { action: 'calendar.feed_revoked', targetType: 'calendar_feed', targetId: feed.id, targetLabel: scope.userEmail }, { tx })
    return feed
  })
}

/**
 * The feed a token opens, as iCalendar text; null for an unknown, revoked or malformed token,
 * or when its member is no longer active. The token is the scope: every query below carries
 * the feed's organisation.
 */
export async function calendarForToken(token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null
  const feed = await prisma.calendarFeed.findFirst({
    where: { tokenHash: sha256(token), revokedAt: null, membership: { status: 'active' } },
    select: { id: true, organizationId: true, lastUsedAt: true, organization: { select: { name: true, slug: true } } },
  })
  if (!feed) return null
  if (!feed.lastUsedAt || now.getTime() - feed.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await prisma.calendarFeed.updateMany({ where: { id: feed.id, organizationId: feed.organizationId }, data: { lastUsedAt: now } })
  }
  const events = await milestoneEvents(feed.organizationId, feed.organization.slug)
  return icalendar({ name: `${feed.organization.name} · project milestones`, events })
}

async function milestoneEvents(organizationId: string, slug: string): Promise<CalendarEvent[]> {
  const projects = await prisma.project.findMany({
    where: { organizationId, status: { not: 'cancelled' } },
    select: {
      id: true,
      name: true,
      targetGoLive: true,
      updatedAt: true,
      phases: { select: { id: true, kind: true, plannedEnd: true } },
      waves: { select: { id: true, kind: true, name: true, units: true, goLive: true, status: true, updatedAt: true } },
    },
    orderBy: { name: 'asc' },
  })
  const base = `${getEnv().APP_URL.replace(/\/$/, '')}/o/${slug}/projects`
  const uid = (kind: string, id: string) => `${kind}-${id}@liaison`
  return projects.flatMap((p) => [
    { uid: uid('golive', p.id), day: dayOf(p.targetGoLive)!, summary: `${p.name}: target go-live`, url: `${base}/${p.id}`, stamp: p.updatedAt },
    ...p.phases
      .filter((ph) => ph.plannedEnd && ph.kind !== 'maintenance')
      .sort((a, b) => phaseNumber(a.kind) - phaseNumber(b.kind))
      .map((ph) => ({ uid: uid('phase', ph.id), day: dayOf(ph.plannedEnd)!, summary: `${p.name}: phase ${phaseNumber(ph.kind)} (${PHASES[ph.kind]}) ends`, url: `${base}/${p.id}/timeline`, stamp: p.updatedAt })),
    ...p.waves
      .filter((w) => w.goLive)
      .map((w) => ({
        uid: uid('wave', w.id),
        day: dayOf(w.goLive)!,
        summary: `${p.name}: ${waveMilestoneLabel(w)}`,
        description: `${w.units.length ? `Units: ${w.units.join(', ')}.` : ''}${w.status === 'live' ? ' Live.' : ''}`.trim() || undefined,
        url: `${base}/${p.id}/waves`,
        stamp: w.updatedAt,
      })),
  ])
}
