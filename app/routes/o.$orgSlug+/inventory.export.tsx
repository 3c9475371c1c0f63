import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportInventoryCsv } from '#app/models/inventory/inventory-csv.server.ts'
import { ImportKindSchema } from '#app/models/inventory/inventory-csv.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

/**
 * All systems or all interfaces of the organisation as CSV (?kind=systems|interfaces), in the
 * import's columns, by name, with formula-looking cells escaped: the file imports back unchanged.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:read' })
  const kind = ImportKindSchema.safeParse(new URL(request.url).searchParams.get('kind'))
  if (!kind.success) throw new Response('Say what to export: ?kind=systems or ?kind=interfaces', { status: 400, statusText: 'Bad Request' })
  const csv = await exportInventoryCsv(scope, kind.data)
  const date = new Date().toISOString().slice(0, 10)
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${kind.data}-${scope.orgSlug}-${date}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
