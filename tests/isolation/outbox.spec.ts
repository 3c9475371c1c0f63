/** The email outbox. Platform emails (password resets) belong to no organisation: nobody's outbox shows them. */
import { uniqueSuffix } from '#tests/factories.ts'
import { makeEmail } from './objects.ts'
import { defineSpecs, type TenantRouteSpec } from './spec.ts'

const platformEmail: TenantRouteSpec['foreign'] = async () => [{ whose: 'a platform', objects: { emailId: await makeEmail(`p-secret-${uniqueSuffix()}`, null) } }]

const emailRoute = (route: string): TenantRouteSpec => ({
  route,
  objects: async (f) => ({ emailId: await makeEmail(f.tag, f.org.id) }),
  params: (o) => ({ emailId: o.emailId! }),
  loader: { can: 'outbox:read' },
  foreign: platformEmail,
})

export default defineSpecs('outbox', [
  { route: 'routes/o.$orgSlug+/outbox', loader: { can: 'outbox:read' } },
  emailRoute('routes/o.$orgSlug+/outbox_.$emailId'),
  emailRoute('routes/o.$orgSlug+/outbox_.$emailId.html'),
])
