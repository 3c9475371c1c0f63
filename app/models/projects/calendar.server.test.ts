import { describe, expect, test } from 'vitest'
import { prisma } from '#app/utils/db.server.ts'
import { createOrgWithOwner, uniqueSuffix } from '#tests/factories.ts'
import { createFeed, calendarForToken, getMyFeed, revokeFeed } from './calendar.server.ts'
import { escapeText, foldLine, icalendar } from './ical.ts'
import { createProject } from './projects.server.ts'
import { ProjectSchema, WaveSchema } from './schemas.ts'
import { createWave } from './waves.server.ts'

/** Reads iCalendar text back (RFC 5545 §3.1: unfold, then split NAME;PARAMS:VALUE), into its VEVENTs. */
function parse(text: string) {
  expect(text.endsWith('\r\n')).toBe(true)
  const physical = text.slice(0, -2).split('\r\n')
  for (const l of physical) expect(new TextEncoder().encode(l).length, l).toBeLessThanOrEqual(75)
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean)
  const events: Record<string, string>[] = []
  let current: Record<string, string> | null = null
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {}
    else if (line === 'END:VEVENT') {
      events.push(current!)
      current = null
    } else if (current) {
      const i = line.indexOf(':')
      current[line.slice(0, i)] = line.slice(i + 1)
    }
  }
  return { lines, events }
}
const unescape = (v: string) => v.replace(/\\n/g, '\n').replace(/\\([\\;,])/g, '$1')

describe('iCalendar text', () => {
  test('escapes TEXT, folds at 75 octets without splitting a character, all-day dates, CRLF', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne')
    const long = `SUMMARY:${'Überweisung; '.repeat(20)}`
    const folded = foldLine(long)
    for (const l of folded.split('\r\n')) expect(new TextEncoder().encode(l).length).toBeLessThanOrEqual(75)
    expect(folded.replace(/\r\n /g, '')).toBe(long)
    const text = icalendar({ name: 'Riverside, projects', events: [{ uid: 'wave-1@liaison', day: '2027-06-30', summary: `Lab; results, “ED” pilot ${'x'.repeat(100)}`, description: 'Units: ED, ICU.\nLive.', stamp: new Date('2027-01-02T03:04:05.678Z') }] })
    const { lines, events } = parse(text)
    expect(lines.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0'])
    expect(lines).toContain('X-WR-CALNAME:Riverside\\, projects')
    expect(events[0]).toMatchObject({ UID: 'wave-1@liaison', DTSTAMP: '20270102T030405Z', 'DTSTART;VALUE=DATE': '20270630', 'DTEND;VALUE=DATE': '20270701' })
    expect(unescape(events[0]!.SUMMARY!)).toBe(`Lab; results, “ED” pilot ${'x'.repeat(100)}`)
    expect(unescape(events[0]!.DESCRIPTION!)).toBe('Units: ED, ICU.\nLive.')
  })
})

describe('calendar feeds', () => {
  test('a feed of the organisation’s milestones with stable UIDs; a new URL revokes the old; revoked, unknown or deactivated: nothing', async () => {
    const { org, scope } = await createOrgWithOwner()
    const other = await createOrgWithOwner()
    const name = `Lab results ${uniqueSuffix()}`
    const p = await createProject(scope, ProjectSchema.parse({ name, goal: 'Results', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30' }))
    const w = (await createWave(scope, { projectId: p.id, ...WaveSchema.parse({ kind: 'pilot', name: 'ED pilot', units: ['ED'], goLive: '2027-06-30' }) }))!
    await createProject(other.scope, ProjectSchema.parse({ name: 'Their secret project', goal: 'x', approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30' }))

    const first = await createFeed(scope)
    expect(first.url).toMatch(new RegExp(`/calendar/${first.token}\\.ics$`))
    expect(await prisma.calendarFeed.findFirst({ where: { id: first.feed.id } })).toMatchObject({ tokenHash: expect.not.stringContaining(first.token) })
    const text = (await calendarForToken(first.token))!
    const { events } = parse(text)
    const summaries = events.map((e) => unescape(e.SUMMARY!))
    expect(summaries).toContain(`${name}: target go-live`)
    expect(summaries).toContain(`${name}: Pilot go-live: ED pilot`)
    expect(summaries.filter((s) => s.includes('phase'))).toHaveLength(4)
    expect(text).not.toContain('Their secret project')
    expect(events.find((e) => e.UID === `wave-${w.id}@liaison`)).toMatchObject({ 'DTSTART;VALUE=DATE': '20270630' })
    // Stable: the same UIDs on the next fetch.
    expect(parse((await calendarForToken(first.token))!).events.map((e) => e.UID)).toEqual(events.map((e) => e.UID))
    expect((await getMyFeed(scope))!.lastUsedAt).not.toBeNull()

    const second = await createFeed(scope)
    expect(await calendarForToken(first.token)).toBeNull()
    expect(await calendarForToken(second.token)).not.toBeNull()
    expect(await revokeFeed(other.scope)).toBeNull()
    expect(await calendarForToken(second.token)).not.toBeNull()
    await revokeFeed(scope)
    expect(await calendarForToken(second.token)).toBeNull()
    expect(await getMyFeed(scope)).toBeNull()
    expect(await calendarForToken('x'.repeat(43))).toBeNull()
    expect(await calendarForToken('../../etc')).toBeNull()

    const third = await createFeed(scope)
    await prisma.membership.update({ where: { id: scope.membershipId }, data: { status: 'deactivated' } })
    expect(await calendarForToken(third.token)).toBeNull()
    const actions = (await prisma.auditEvent.findMany({ where: { organizationId: org.id, action: { startsWith: 'calendar.' } }, orderBy: { seq: 'asc' } })).map((e) => e.action)
    expect(actions).toEqual(['calendar.feed_created', 'calendar.feed_created', 'calendar.feed_revoked', 'calendar.feed_created'])
  })
})
