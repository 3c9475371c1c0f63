/** The organisation itself: its layout, home page and settings. */
import { defineSpecs } from './spec.ts'

export default defineSpecs('org', [
  { route: 'routes/o.$orgSlug+/_layout', loader: { can: 'org:read' } },
  { route: 'routes/o.$orgSlug+/_index', loader: { can: 'org:read' } },
  {
    route: 'routes/o.$orgSlug+/settings',
    loader: { can: 'org:settings' },
    action: {
      can: 'org:settings',
      intents: {
        '(no intent)': { form: (_, unique) => ({ name: `Renamed ${unique}`, timeZone: 'Europe/London' }) },
        'high-risk-roles': { form: () => ({ highRiskRoles: 'clinical_lead' }) },
      },
    },
  },
])
