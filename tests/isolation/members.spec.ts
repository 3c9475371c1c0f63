/** Members and invitations. */
import { prisma } from '#app/utils/db.server.ts'
import { makeInvitation, makeMember } from './objects.ts'
import { defineSpecs, NO_INTENT } from './spec.ts'

export default defineSpecs('members', [
  {
    route: 'routes/o.$orgSlug+/members',
    objects: async (f) => ({ invitationId: await makeInvitation(f) }),
    loader: { can: 'members:read', search: (_, needle) => `?q=${encodeURIComponent(needle)}` },
    action: {
      can: 'members:invite',
      intents: {
        'revoke-invitation': { form: (o) => ({ invitationId: o.invitationId! }) },
        'resend-invitation': { form: (o) => ({ invitationId: o.invitationId! }) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/members_.$memberId',
    objects: async (f) => {
      const m = await makeMember(f)
      // Only a deactivated member can be reactivated.
      if (f.intent === 'reactivate') await prisma.membership.update({ where: { id: m.membershipId }, data: { status: 'deactivated' } })
      return { memberId: m.membershipId }
    },
    params: (o) => ({ memberId: o.memberId! }),
    loader: { can: 'members:manage' },
    action: {
      can: 'members:manage',
      intents: {
        details: { form: () => ({ role: 'analyst', function: 'clinical', unit: 'Ward 7' }) },
        deactivate: { form: () => ({}) },
        reactivate: { form: () => ({}) },
        remove: { form: () => ({}) },
      },
    },
  },
  {
    route: 'routes/o.$orgSlug+/members_.invite',
    loader: { can: 'members:invite' },
    action: {
      can: 'members:invite',
      intents: { [NO_INTENT]: { form: (_, unique) => ({ email: `invitee-${unique}@example.test`, role: 'staff', function: 'operations', unit: '' }) } },
    },
  },
])
