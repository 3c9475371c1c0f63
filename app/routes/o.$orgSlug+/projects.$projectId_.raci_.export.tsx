import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportRaci } from '#app/models/projects/raci.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

/**
 * A project's RACI as CSV: one row per cell (activity × person or function, with its letter;
 * app/models/projects/raci-csv.ts). It imports back unchanged (projects.$projectId_.raci_.import.tsx).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'projects:read' })
  const file = await exportRaci(scope, params.projectId ?? '')
  if (!file) notFound('No such project in this organisation.')
  return new Response(file.body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'no-store',
    },
  })
}
