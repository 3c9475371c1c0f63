import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportAuditEvents } from '#app/models/audit/audit.server.ts'
import { AUDIT_FILTER, toAuditFilter } from '#app/models/audit/audit-filter.ts'
import { csvLines } from '#app/utils/csv.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'
import { parseListQuery } from '#app/utils/list.ts'

const COLUMNS = ['seq', 'createdAt', 'actorEmail', 'action', 'targetType', 'targetId', 'targetLabel', 'ip', 'requestId', 'metadata', 'prevHash', 'hash'] as const

/** The filtered trail as CSV, streamed in batches, with the hashes so a copy can be verified offline. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'audit:export' })
  const raw = parseListQuery(request, AUDIT_FILTER)
  const filter = toAuditFilter(raw)
  const batches = await exportAuditEvents(scope, { filter, rawFilter: raw })
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLines([COLUMNS])))
    },
    async pull(controller) {
      const next = await batches.next()
      if (next.done) return controller.close()
      const rows = next.value.map((e) =>
        COLUMNS.map((c) => {
          const v = c === 'createdAt' ? e.createdAt.toISOString() : c === 'metadata' ? JSON.stringify(e.metadata) : e[c]
          return v == null ? '' : String(v)
        }),
      )
      controller.enqueue(encoder.encode(csvLines(rows)))
    },
  })
  const date = new Date().toISOString().slice(0, 10)
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${scope.orgSlug}-${date}.csv"`,
      'Cache-Control': 'no-store',
    },
  })
}
