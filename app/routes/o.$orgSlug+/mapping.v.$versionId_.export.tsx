import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportMapping } from '#app/models/mapping/mapping-io.server.ts'
import { notFound } from '#app/utils/errors.server.ts'
import { MappingImportKindSchema } from '#app/models/mapping/mapping-csv.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

/**
 * A mapping version as a file (?kind=rows|codes|conceptmap): the rows as CSV, the code maps as
 * CSV, or the code maps as a FHIR R4 ConceptMap. Each imports back unchanged
 * (mapping.v.$versionId_.import.tsx).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'mapping:read' })
  const kind = MappingImportKindSchema.safeParse(new URL(request.url).searchParams.get('kind'))
  if (!kind.success) throw new Response('Say what to export: ?kind=rows, ?kind=codes or ?kind=conceptmap', { status: 400, statusText: 'Bad Request' })
  const file = await exportMapping(scope, { versionId: params.versionId ?? '', kind: kind.data })
  if (!file) notFound()
  return new Response(file.body, {
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="${file.fileName}"`,
      'Cache-Control': 'no-store',
    },
  })
}
