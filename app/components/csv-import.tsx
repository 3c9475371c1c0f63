import { Form, Link } from '@remix-run/react'
import { type ReactNode } from 'react'

/**
 * The pieces the file-import pages (inventory, mapping, staff roster) share: upload a file, see a
 * preview of what it would change, then apply it or start over. Each page keeps its own wording
 * and its own table of changes; these components hold only the structure that is really the same.
 */

/** The file input with its label and hint; the hint is `${id}-hint` and describes the input. */
export function FileUploadField({ id, label, accept, hint }: { id: string; label: ReactNode; accept: string; hint: ReactNode }) {
  const hintId = `${id}-hint`
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <p id={hintId} className="text-xs text-slate-600">
        {hint}
      </p>
      <input
        id={id}
        name="file"
        type="file"
        accept={accept}
        required
        aria-describedby={hintId}
        className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium"
      />
    </div>
  )
}

/** Submits the upload form with intent=preview. */
export function PreviewImportButton({ busy }: { busy: boolean }) {
  return (
    <button type="submit" name="intent" value="preview" className="btn-primary" disabled={busy}>
      Preview the import
    </button>
  )
}

export type ImportColumn = { name: string; required: boolean; help: string; values?: string | null }

/** The columns a file must have: name, whether a value is required, what to write (and the accepted values). */
export function ImportColumnsTable({
  caption,
  columns,
  captionHidden = false,
  requiredHeading = 'Required',
}: {
  caption: ReactNode
  columns: readonly ImportColumn[]
  /** A caption for screen readers only, where a heading above already names the table. */
  captionHidden?: boolean
  requiredHeading?: string
}) {
  return (
    <table className="table">
      <caption className={captionHidden ? 'sr-only' : 'py-2 text-left font-semibold'}>{caption}</caption>
      <thead className="bg-slate-50">
        <tr>
          <th scope="col">Column</th>
          <th scope="col">{requiredHeading}</th>
          <th scope="col">What to write</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {columns.map((c) => (
          <tr key={c.name}>
            <th scope="row" className="font-mono text-xs">
              {c.name}
            </th>
            <td>{c.required ? 'yes' : 'no'}</td>
            <td>
              {c.help}
              {c.values ? <span className="block text-xs text-slate-600">Values: {c.values}</span> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The preview section; its heading (id preview-title) names the file. */
export function ImportPreview({ title, children }: { title: ReactNode; children: ReactNode }) {
  return (
    <section className="card space-y-4" aria-labelledby="preview-title">
      <h2 id="preview-title" className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  )
}

// Whole class names, so that Tailwind finds them.
const COUNT_GRID: Record<number, string> = { 5: 'sm:grid-cols-5', 6: 'sm:grid-cols-6' }

/** The counts of a preview (rows, to create, …, problems), one tile each. */
export function ImportCounts({ counts }: { counts: ReadonlyArray<readonly [label: string, count: number]> }) {
  return (
    <dl className={`grid grid-cols-2 gap-3 text-sm ${COUNT_GRID[counts.length] ?? 'sm:grid-cols-5'}`}>
      {counts.map(([label, n]) => (
        <div key={label} className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
          <dt className="text-slate-600">{label}</dt>
          <dd className="text-xl font-semibold">{n}</dd>
        </div>
      ))}
    </dl>
  )
}

const count = (n: number) => n.toLocaleString('en-GB')

/**
 * The problems that block an import: how many, the page's own list or table of them (children),
 * and, where the page shows only the first ones, how many of how many.
 */
export function ImportProblems({ count: total, shown, children }: { count: number; shown: number; children: ReactNode }) {
  if (!total) return null
  return (
    <div role="alert" className="space-y-2">
      <p className="font-medium text-red-800">
        {total === 1 ? 'One problem' : `${count(total)} problems`} must be corrected before anything can be imported. Nothing has been
        written.
      </p>
      {children}
      {total > shown ? (
        <p className="text-sm text-slate-700">
          Showing the first {count(shown)} problems of {count(total)}.
        </p>
      ) : null}
    </div>
  )
}

export type CsvProblem = { line: number | null; column: string | null; columnNumber: number | null; value: string; message: string }

/** The problems in a CSV file as a table: line, column (name and number), value, problem. */
export function CsvProblemsTable({ errors, scrollClassName = 'max-h-[32rem]' }: { errors: readonly CsvProblem[]; scrollClassName?: string }) {
  return (
    <div className={`${scrollClassName} overflow-auto rounded-md ring-1 ring-red-200`}>
      <table className="table">
        <caption className="sr-only">Problems in the file, by line and column</caption>
        <thead className="sticky top-0 bg-red-50">
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Value</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {errors.map((e, i) => (
            <tr key={i}>
              <td className="tabular-nums">{e.line ?? '—'}</td>
              <td>
                {e.column ? <span className="font-mono text-xs">{e.column}</span> : null}
                {e.columnNumber ? <span className="block text-xs text-slate-600">column {e.columnNumber}</span> : null}
                {!e.column && !e.columnNumber ? '—' : null}
              </td>
              <td className="max-w-xs whitespace-pre-wrap break-words font-mono text-xs">{e.value}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The planned changes: a captioned table with four headings; each page writes its own rows. */
export function ImportChangesTable({
  caption,
  headings,
  scrollClassName = 'max-h-[32rem]',
  children,
}: {
  caption: ReactNode
  headings: readonly [ReactNode, ReactNode, ReactNode, ReactNode]
  scrollClassName?: string
  children: ReactNode
}) {
  return (
    <div className={`${scrollClassName} overflow-auto rounded-md ring-1 ring-slate-200`}>
      <table className="table">
        <caption className="py-2 text-left font-semibold">{caption}</caption>
        <thead className="sticky top-0 bg-slate-50">
          <tr>
            {headings.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  )
}

/** What an update changes, column by column: “column: old → new”; children add items to the list. */
export function FieldChanges({ changes, children }: { changes: ReadonlyArray<{ column: string; from: string; to: string }>; children?: ReactNode }) {
  return (
    <ul>
      {changes.map((c) => (
        <li key={c.column}>
          <span className="font-mono text-xs">{c.column}</span>: <del className="text-slate-600">{c.from || '(empty)'}</del> →{' '}
          <ins className="no-underline">{c.to || '(empty)'}</ins>
        </li>
      ))}
      {children}
    </ul>
  )
}

/** Apply the previewed batch (intent=apply), or start over; the hint (id apply-hint) says why the button may be disabled. */
export function ApplyImportForm({
  batchId,
  disabled,
  label,
  startOver,
  hint,
}: {
  batchId: string | null
  disabled: boolean
  label: string
  /** Where “Start over” leads: the page itself, without the preview. */
  startOver: string
  hint: ReactNode
}) {
  return (
    <Form method="post" className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="batchId" value={batchId ?? ''} />
      <button type="submit" name="intent" value="apply" className="btn-primary" disabled={disabled} aria-describedby="apply-hint">
        {label}
      </button>
      <Link to={startOver} className="btn-secondary">
        Start over
      </Link>
      <p id="apply-hint" className="text-sm text-slate-600">
        {hint}
      </p>
    </Form>
  )
}
