/** Routes outside any organisation: signing in and out, the account, the list of one's organisations. */
import { randomBytes } from 'node:crypto'
import { defineSpecs } from './spec.ts'

export default defineSpecs('account', [
  { route: 'root', public: 'the signed-in user, the toast and the public env: nothing of any organisation' },
  { route: 'routes/_index', public: 'landing page; sends a signed-in user to their own organisation(s)' },
  { route: 'routes/_auth+/login', public: 'sign in' },
  { route: 'routes/_auth+/signup', public: 'creates a user and a new organisation they own' },
  { route: 'routes/_auth+/forgot-password', public: 'asks for a reset email; answers the same for any address' },
  { route: 'routes/_auth+/reset-password', public: 'the reset token is the credential' },
  { route: 'routes/logout', public: "ends the caller's own session" },
  { route: 'routes/healthz', public: 'liveness/readiness: up or down, no data' },
  { route: 'routes/account', public: "user-level: the signed-in user's own account (requireUser)", intents: ['password', 'profile'] },
  { route: 'routes/orgs', public: "user-level: lists and creates the signed-in user's own organisations (requireUser)" },
  {
    route: 'routes/invitations.$token',
    public: 'the one-time token is the credential; an unknown token is 404',
    intents: ['accept', 'create-account'],
    params: () => ({ token: randomBytes(24).toString('base64url') }),
    expect: { loader: 404, action: { form: { intent: 'accept' }, status: 404 } },
  },
])
