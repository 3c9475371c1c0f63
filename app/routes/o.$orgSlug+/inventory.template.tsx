import type { LoaderFunctionArgs } from '@remix-run/node'
import { ImportKindSchema, templateCsv } from '#app/models/inventory/inventory-csv.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

/** The import's header row and one example row (?kind=systems|interfaces). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireTenant(request, params, { can: 'inventory:read' })
  const kind = ImportKindSchema.safeParse(new URL(request.url).searchParams.get('kind'))
  if (!kind.success) throw new Response('Say which template: ?kind=systems or ?kind=interfaces', { status: 400, statusText: 'Bad Request' })
  return new Response(templateCsv(kind.data), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${kind.data}-template.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
