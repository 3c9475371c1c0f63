import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportScenarios } from '#app/models/uat/scenario-io.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

/**
 * A project's UAT scenarios as CSV, one row per scenario (app/models/uat/uat-csv.ts). It imports
 * back unchanged (projects.$projectId_.uat_.import.tsx).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const file = await exportScenarios(scope, { projectId: params.projectId ?? '' })
  if (!file) notFound('No such project in this organisation.')
  return new Response(file.body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'no-store',
    },
  })
}
