/**
 * Pilot group defined: the project has a pilot (waves.server.ts: at most one) with a go-live date
 * and people — units, named members, or both. Expansion waves are listed beside it.
 */
import { defineCheck, plural } from './define.server.ts'

export default defineCheck({
  key: 'pilot_defined',
  title: 'Pilot group defined',
  description: 'A pilot group with its go-live date and its units or named members.',
  weight: 1,
  level: 'golive',
  appliesTo: 'wave',
  evaluate(project, _data, { links }) {
    const pilot = project.waves.find((w) => w.kind === 'pilot')
    const items = project.waves.map((w) => {
      const missing = [!w.goLive ? 'a go-live date' : '', !w.units.length && !w.members ? 'units or named members' : ''].filter(Boolean)
      return missing.length
        ? { kind: 'wave' as const, id: w.id, status: 'fail' as const, why: `Needs ${missing.join(' and ')}.`, link: links.waves }
        : { kind: 'wave' as const, id: w.id, status: 'pass' as const, why: `${w.units.length ? plural(w.units.length, 'unit') : ''}${w.units.length && w.members ? ', ' : ''}${w.members ? plural(w.members, 'named member') : ''}, live ${w.goLive}.`, link: null }
    })
    if (!pilot) return { status: 'fail', why: 'No pilot group: go live with a small group first, then expand in waves.', link: links.waves, items }
    const mine = items.find((i) => i.id === pilot.id)!
    if (mine.status === 'fail') return { status: 'fail', why: `The pilot “${pilot.name}” ${mine.why.toLowerCase().replace(/^needs/, 'needs')}`, link: links.waves, items }
    return { status: 'pass', why: `Pilot “${pilot.name}”: ${mine.why}`, link: null, items }
  },
})
