/** Projects: the pilot group and waves page, the calendar feed's management page, and the feed itself (outside the session). */
import { randomBytes } from 'node:crypto'
import { createFeed } from '#app/models/projects/calendar.server.ts'
import { createProject } from '#app/models/projects/projects.server.ts'
import { ProjectSchema, WaveSchema } from '#app/models/projects/schemas.ts'
import { createWave } from '#app/models/projects/waves.server.ts'
import { scopeFor, uniqueSuffix } from '#tests/factories.ts'
import { openGate } from '#tests/readiness-factories.ts'
import { makeInterface, makeMember } from './objects.ts'
import { defineSpecs, type Fixture } from './spec.ts'

/** A project with a pilot (its unit the tag's ward, one named member) and one expansion wave; a member for the forms. */
async function makeWaves(f: Fixture) {
  const { interfaceId } = await makeInterface(f)
  const scope = await scopeFor(f.org, { id: f.owner.userId })
  const project = await createProject(
    scope,
    ProjectSchema.parse({ name: `${f.tag} project ${uniqueSuffix()}`, goal: `${f.tag} goal`, approach: 'via_engine', startDate: '2027-01-04', targetGoLive: '2027-06-30', interfaceIds: [interfaceId] }),
  )
  const named = await makeMember(f, 'clinical_lead')
  const pilot = (await createWave(scope, { projectId: project.id, ...WaveSchema.parse({ kind: 'pilot', name: `${f.tag} pilot`, units: [`${f.tag} ward`], goLive: '2027-06-30', memberIds: [named.membershipId] }) }))!
  const wave = (await createWave(scope, { projectId: project.id, ...WaveSchema.parse({ kind: 'expansion', name: `${f.tag} wave 1`, units: [`${f.tag} icu`], goLive: '2027-07-30' }) }))!
  // Its go-live gate stands overridden, so "mark live" reaches the change (readiness.spec.ts sweeps the gate).
  await openGate(project)
  return { projectId: project.id, pilotId: pilot.id, waveId: wave.id, memberId: (await makeMember(f, 'staff')).membershipId }
}

export default defineSpecs('waves', [
  {
    route: 'routes/o.$orgSlug+/projects.$projectId_.waves',
    objects: makeWaves,
    params: (o) => ({ projectId: o.projectId! }),
    loader: { can: 'projects:read', search: (o) => `?edit=${o.waveId}` },
    action: {
      can: 'projects:write',
      intents: {
        // The member named is an object of the form: another organisation's must be refused.
        'add-wave': { form: (o, unique) => ({ kind: 'expansion', name: `Wave ${unique}`, units: `Unit ${unique}`, goLive: '2027-08-30', memberIds: o.memberId! }) },
        'update-wave': { form: (o, unique) => ({ id: o.waveId!, name: `Wave ${unique}`, units: `Unit ${unique}`, goLive: '2027-08-15', memberIds: o.memberId! }) },
        'delete-wave': { form: (o) => ({ id: o.waveId! }) },
        'mark-live': { form: (o) => ({ id: o.pilotId! }) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/projects.calendar',
    // "Revoke" needs a feed of the caller's to revoke.
    objects: async (f) => {
      if (f.intent === 'revoke') await createFeed(await scopeFor(f.org, { id: f.actor.userId }))
      return {}
    },
    loader: { can: 'projects:read' },
    action: { can: 'projects:read', intents: { create: { form: () => ({}) }, revoke: { form: () => ({}) } } },
  },
  {
    route: 'routes/calendar.$token',
    public: 'the iCal feed: the secret token in the URL is the credential (calendar apps send no cookies); unknown, revoked or of a deactivated member: 404',
    params: () => ({ token: `${randomBytes(32).toString('base64url')}.ics` }),
    expect: { loader: 404 },
  },
])
