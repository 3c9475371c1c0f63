/**
 * Mapping coverage for every interface in scope: its current mapping version (the draft if there
 * is one, else the newest — as the mapping overview counts) has every required row approved and
 * every code map mapped. The coverage figures are the mapping domain's own (`coverageOf`).
 */
import type { Coverage } from '#app/models/mapping/mapping.ts'
import { coverageOf } from '#app/models/mapping/mapping.server.ts'
import type { Tx } from '#app/utils/db.server.ts'
import { systemScope } from '#app/utils/scope.server.ts'
import { byProject, defineCheck, plural, someOf } from './define.server.ts'

type Current = Map<string, { versionId: string; number: number; coverage: Coverage }>

export default defineCheck<Current>({
  key: 'mapping_coverage',
  title: 'Mapping coverage',
  description: 'Every interface in scope has a mapping whose required rows are all approved and whose code maps are complete.',
  weight: 3,
  level: 'design',
  appliesTo: 'interface',
  // The current version of every interface in every scope (one query), their coverage (two).
  async load({ db, organizationId, projects }) {
    const interfaceIds = [...new Set(projects.flatMap((p) => p.interfaces.map((i) => i.id)))]
    const current = interfaceIds.length
      ? await db.$queryRaw<{ id: string; interfaceId: string; number: number }[]>`
          SELECT DISTINCT ON ("interfaceId") "id", "interfaceId", "number" FROM "MappingVersion"
           WHERE "organizationId" = ${organizationId} AND "interfaceId" = ANY(${interfaceIds}::text[])
           ORDER BY "interfaceId", ("status" = 'draft') DESC, "number" DESC`
      : []
    // coverageOf reads only the organisation's rows: the system scope here names the organisation, no actor.
    const coverage = await coverageOf(systemScope(organizationId), current.map((v) => v.id), { tx: db as Tx })
    const all: Current = new Map(current.map((v) => [v.interfaceId, { versionId: v.id, number: v.number, coverage: coverage.get(v.id)! }]))
    return byProject(projects, () => all)
  },
  evaluate(project, current, { links }) {
    if (!project.interfaces.length) return { status: 'na', why: 'No interface in scope.', link: null }
    const items = project.interfaces.map((i) => {
      const v = current?.get(i.id)
      const link = links.mapping(i.id)
      if (!v) return { kind: 'interface' as const, id: i.id, status: 'fail' as const, why: 'No mapping yet.', link }
      const c = v.coverage
      const problems: string[] = []
      if (!c.rows) problems.push('the mapping has no rows')
      if (c.requiredApproved < c.requiredRows) problems.push(`${plural(c.requiredRows - c.requiredApproved, 'required row')} not approved`)
      if (c.codeMapsMapped < c.codeMaps) problems.push(`${plural(c.codeMaps - c.codeMapsMapped, 'code map')} not mapped`)
      return problems.length
        ? { kind: 'interface' as const, id: i.id, status: 'fail' as const, why: `v${v.number}: ${problems.join('; ')}.`, link }
        : { kind: 'interface' as const, id: i.id, status: 'pass' as const, why: `v${v.number}: ${plural(c.requiredRows, 'required row')} approved, ${plural(c.codeMaps, 'code map')} complete.`, link: null }
    })
    const failing = project.interfaces.map((i, n) => ({ i, v: items[n]! })).filter((x) => x.v.status === 'fail')
    if (!failing.length) return { status: 'pass', why: `Every interface in scope is mapped: required rows approved, code maps complete.`, link: null, items }
    return {
      status: 'fail',
      why: failing.length === 1 ? `${failing[0]!.i.name}: ${failing[0]!.v.why}` : `${plural(failing.length, 'interface')} not covered: ${someOf(failing.map((f) => `${f.i.name} (${f.v.why.replace(/\.$/, '')})`), 2)}.`,
      link: failing[0]!.v.link,
      items,
    }
  },
})
