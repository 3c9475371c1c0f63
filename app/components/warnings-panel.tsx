import type { EstateWarning } from '#app/models/inventory/estate.ts'

/** The estate's teaching warnings, each with its advice. */
export function WarningsPanel({ warnings, title = 'Warnings' }: { warnings: Pick<EstateWarning, 'kind' | 'message' | 'advice' | 'interfaceIds'>[]; title?: string }) {
  if (!warnings.length) return null
  return (
    <section aria-labelledby="warnings-h" className="rounded-lg bg-amber-50 p-4 ring-1 ring-amber-300">
      <h2 id="warnings-h" className="font-semibold text-amber-900">
        {title}
      </h2>
      <ul className="mt-2 space-y-2 text-sm text-amber-900">
        {warnings.map((w) => (
          <li key={`${w.kind}:${w.interfaceIds.join(',')}`}>
            <strong>{w.message}</strong> {w.advice}
          </li>
        ))}
      </ul>
    </section>
  )
}
