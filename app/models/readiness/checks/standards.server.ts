/**
 * Standards used, or an exception written: an interface in scope speaks HL7 v2, FHIR, DICOM or
 * X12; a proprietary or flat-file one passes only with a written exception — the interface's
 * `standardsException`, or an ACCEPTED decision of the project's decision log linked to it.
 */
import { STANDARDS } from '#app/models/inventory/vocabulary.ts'
import { byProject, defineCheck, plural, someOf } from './define.server.ts'

const NON_STANDARD = new Set(['proprietary', 'flat_file'])

export default defineCheck<Set<string>>({
  key: 'standards',
  title: 'Standards used or an exception written',
  description: 'Every interface in scope uses HL7 v2, FHIR, DICOM or X12, or has a written exception (on the interface, or an accepted decision linked to it).',
  weight: 2,
  level: 'design',
  appliesTo: 'interface',
  // The interfaces with an accepted decision linked to them, per project: one query.
  async load({ db, organizationId, projects }) {
    const out = byProject(projects, () => new Set<string>())
    const rows = await db.projectDecision.findMany({
      where: { organizationId, projectId: { in: projects.map((p) => p.id) }, status: 'accepted', interfaceId: { not: null } },
      select: { projectId: true, interfaceId: true },
    })
    for (const r of rows) out.get(r.projectId)?.add(r.interfaceId!)
    return out
  },
  evaluate(project, decided, { links }) {
    if (!project.interfaces.length) return { status: 'na', why: 'No interface in scope.', link: null }
    const items = project.interfaces.map((i) => {
      const label = STANDARDS[i.standard]
      if (!NON_STANDARD.has(i.standard)) return { kind: 'interface' as const, id: i.id, status: 'pass' as const, why: `Uses ${label}.`, link: null }
      if (i.standardsException?.trim()) return { kind: 'interface' as const, id: i.id, status: 'pass' as const, why: `${label}, with a written exception.`, link: null }
      if (decided?.has(i.id)) return { kind: 'interface' as const, id: i.id, status: 'pass' as const, why: `${label}, with an accepted decision as its exception.`, link: links.decisions }
      return { kind: 'interface' as const, id: i.id, status: 'fail' as const, why: `${label} without a written exception.`, link: links.interfaceEdit(i.id) }
    })
    const failing = project.interfaces.filter((_, n) => items[n]!.status === 'fail')
    if (!failing.length) return { status: 'pass', why: items.length === 1 ? 'The interface in scope uses a standard or has a written exception.' : `All ${plural(items.length, 'interface')} use a standard or have a written exception.`, link: null, items }
    return {
      status: 'fail',
      why: `${someOf(failing.map((i) => i.name))} ${failing.length === 1 ? 'uses' : 'use'} a non-standard format without a written exception: prefer HL7 v2 or FHIR, or write the exception (or accept a decision linked to the interface).`,
      link: items.find((i) => i.status === 'fail')!.link,
      items,
    }
  },
})
