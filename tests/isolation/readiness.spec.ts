/** Readiness: a project's scorecard (override, exemptions, revoke) and the organisation's portfolio. */
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema } from '#app/models/projects/schemas.ts'
import { prisma } from '#app/utils/db.server.ts'
import { scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { makeInterface } from './objects.ts'
import { defineSpecs, type Fixture } from './spec.ts'

/**
 * A project owned by the caller (so the caller is its accountable person: "Phased rollout" has no
 * A), with an interface in scope; for the revoke intents, an override by the caller and an
 * exemption granted by the owner.
 */
async function makeReadiness(f: Fixture) {
  const { interfaceId } = await makeInterface(f)
  const scope = await scopeFor(f.org, { id: f.owner.userId })
  const project = await createProject(
    scope,
    ProjectSchema.parse({ name: `${f.tag} project ${uniqueSuffix()}`, goal: `${f.tag} goal`, approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', ownerId: f.actor.membershipId, interfaceIds: [interfaceId] }),
  )
  const override = await prisma.gateOverride.create({ data: { organizationId: f.org.id, projectId: project.id, reason: `${f.tag} override`, grantedById: f.actor.membershipId } })
  if (f.intent !== 'revoke-override') await prisma.gateOverride.update({ where: { id: override.id }, data: { revokedAt: new Date() } })
  const exemption = await prisma.gateExemption.create({
    data: { organizationId: f.org.id, projectId: project.id, checkKey: 'security', reason: `${f.tag} exemption`, expiresOn: new Date('2099-01-01'), grantedById: f.owner.membershipId },
  })
  return { projectId: project.id, overrideId: override.id, exemptionId: exemption.id }
}

export default defineSpecs('readiness', [
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.readiness',
    objects: makeReadiness,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read' },
    // The route lets every reader in; the model refuses (403, audited) whoever is not the accountable person (override) or lacks gate:exempt.
    action: {
      can: 'projects:read',
      intents: {
        override: { form: (_o, unique) => ({ reason: `Go-live agreed by the board ${unique}` }) },
        'revoke-override': { form: (o) => ({ id: o.overrideId! }) },
        exempt: { can: 'gate:exempt', form: () => ({ checkKey: 'mapping_coverage', reason: 'Approved on paper by the lab.', expiresOn: '2099-06-30' }) },
        'revoke-exemption': { can: 'gate:exempt', form: (o) => ({ id: o.exemptionId! }) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/projects.readiness',
    objects: makeReadiness,
    loader: { can: 'projects:read', search: (_o, needle) => `?q=${encodeURIComponent(needle)}&band=failing&sort=score&dir=asc` },
  },
])
