import type { LoaderFunctionArgs } from '@remix-run/node'
import { mappingTemplateCsv } from '#app/models/mapping/mapping-csv.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

/** The header row and one example row of a mapping import (?kind=rows|codes). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireTenant(request, params, { can: 'mapping:read' })
  const kind = new URL(request.url).searchParams.get('kind')
  if (kind !== 'rows' && kind !== 'codes') throw new Response('Say which template: ?kind=rows or ?kind=codes', { status: 400, statusText: 'Bad Request' })
  return new Response(mappingTemplateCsv(kind), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="mapping-${kind === 'rows' ? 'rows' : 'code-maps'}-template.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
