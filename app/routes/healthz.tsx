import { json } from '@remix-run/node'
import { checkHealth } from '#app/models/platform/health.server.ts'

/** Liveness and readiness: Postgres and Redis reachable. 503 names what is down. */
export async function loader() {
  const health = await checkHealth()
  return json(health, { status: health.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
}
