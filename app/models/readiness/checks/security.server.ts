/**
 * Security risk assessment complete and attested: every item in scope is done or not applicable
 * and compliance has attested the assessment (app/models/projects/security.server.ts). A change
 * after attestation re-opens it, and the check fails again until compliance attests anew.
 */
import { byProject, defineCheck, plural } from './define.server.ts'

type Assessment = { attested: boolean; open: number; reopenReason: string | null } | null

export default defineCheck<Assessment>({
  key: 'security',
  title: 'Security risk assessment complete and attested',
  description: 'Every item of the security risk assessment is done or not applicable, and compliance has attested it.',
  weight: 2,
  level: 'golive',
  appliesTo: 'project',
  async load({ db, organizationId, projects }) {
    const out = byProject<Assessment>(projects, () => null)
    const rows = await db.securityAssessment.findMany({
      where: { organizationId, projectId: { in: projects.map((p) => p.id) } },
      select: { projectId: true, attestedAt: true, reopenReason: true, _count: { select: { items: { where: { outOfScope: false, status: { notIn: ['done', 'not_applicable'] } } } } } },
    })
    for (const r of rows) out.set(r.projectId, { attested: !!r.attestedAt, open: r._count.items, reopenReason: r.reopenReason })
    return out
  },
  evaluate(_project, a, { links }) {
    if (!a) return { status: 'fail', why: 'The security risk assessment has not been started.', link: links.security }
    if (a.open) return { status: 'fail', why: `${plural(a.open, 'item')} of the security risk assessment still open.`, link: links.security }
    if (!a.attested) return { status: 'fail', why: `Every item is complete, but compliance has not attested the assessment${a.reopenReason ? ` (re-opened: ${a.reopenReason})` : ''}.`, link: links.security }
    return { status: 'pass', why: 'Complete and attested by compliance.', link: null }
  },
})
