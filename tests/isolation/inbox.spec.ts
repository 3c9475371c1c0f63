/** The inbox: every member has one; a notice is its addressee's alone. */
import { makeNotification } from './objects.ts'
import { defineSpecs } from './spec.ts'

export default defineSpecs('inbox', [
  {
    route: 'routes/o.$orgSlug+/inbox',
    objects: async (f) => ({ notificationId: await makeNotification(f, f.actor.membershipId, `/o/${f.org.slug}/training`) }),
    loader: { can: 'org:read', search: () => '?show=unread' },
    action: {
      can: 'org:read',
      intents: {
        read: { form: (o) => ({ notificationId: o.notificationId! }) },
        open: { form: (o) => ({ notificationId: o.notificationId! }) },
        'read-all': { form: () => ({}) },
      },
    },
    perPerson: {
      why: "a colleague's notice is not in the caller's inbox",
      expect: {
        loader: { status: () => 200, why: "the caller's own inbox; the colleague's notice is not listed (the leak check holds)" },
        'read-all': { status: () => 302, why: "names no notice: marks the caller's own read" },
      },
    },
  },
])
