/** The audit trail. */
import { defineSpecs, NO_INTENT } from './spec.ts'

export default defineSpecs('audit', [
  {
    route: 'routes/o.$orgSlug+/audit',
    loader: { can: 'audit:read', search: (_, needle) => `?target=${encodeURIComponent(needle)}` },
    // Verifies the chain: reads only.
    action: { can: 'audit:read', intents: { [NO_INTENT]: { form: () => ({}) } } },
  },
  { route: 'routes/o.$orgSlug+/audit.export', loader: { can: 'audit:export', search: (_, needle) => `?target=${encodeURIComponent(needle)}` } },
])
