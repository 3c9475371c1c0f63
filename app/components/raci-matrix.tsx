import { Form, Link, useFetchers, useSubmit } from '@remix-run/react'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { formatDay } from '#app/models/projects/plan.ts'
import { FUNCTION_LETTERS, letterOfKey, moveInGrid, RACI_PROBLEM_KINDS, RACI_PROBLEM_ORDER, RACI_TEMPLATES, type RaciProblem, type RaciProblemKind, type RaciSummary } from '#app/models/projects/raci.ts'
import { RACI_CATEGORIES, RACI_LETTERS, type RaciCategory, type RaciLetter } from '#app/models/projects/vocabulary.ts'

export type MatrixColumn = { key: string; kind: 'member' | 'function'; label: string; detail: string; inactive: boolean }
export type MatrixRow = {
  id: string
  kind: 'step' | 'interface' | 'custom'
  title: string
  category: RaciCategory
  group: { key: string; label: string }
  due: string | null
  stepStatus: string | null
  cells: Record<string, RaciLetter>
  problems: RaciProblem[]
}

const LETTER_STYLE: Record<RaciLetter, string> = {
  R: 'bg-sky-100 text-sky-950',
  A: 'bg-violet-100 text-violet-950',
  C: 'bg-amber-50 text-amber-950',
  I: 'bg-slate-100 text-slate-800',
}

/** The summary at the top: problems counted by kind, each with links to its rows. */
export function RaciSummaryPanel({ summary, rows }: { summary: RaciSummary; rows: MatrixRow[] }) {
  const kinds = RACI_PROBLEM_ORDER.filter((k) => summary.byKind[k] > 0)
  const rowsWith = (k: RaciProblemKind) => rows.filter((r) => r.problems.some((p) => p.kind === k))
  return (
    <section aria-labelledby="raci-summary-heading" className={`rounded-lg p-4 ring-1 ${summary.total ? 'bg-amber-50 ring-amber-300' : 'bg-emerald-50 ring-emerald-300'}`}>
      <h2 id="raci-summary-heading" className="font-semibold" data-testid="raci-summary">
        {summary.total ? `${summary.total} problem${summary.total === 1 ? '' : 's'} in ${summary.activities} activit${summary.activities === 1 ? 'y' : 'ies'}` : 'No problems: every activity has one A, an R, and the people it must consult'}
      </h2>
      {kinds.length ? (
        <ul className="mt-2 space-y-1 text-sm">
          {kinds.map((k) => {
            const list = rowsWith(k)
            return (
              <li key={k}>
                <strong>
                  {RACI_PROBLEM_KINDS[k]}: {summary.byKind[k]}
                </strong>{' '}
                —{' '}
                {list.slice(0, 8).map((r, i) => (
                  <span key={r.id}>
                    {i ? ', ' : ''}
                    <a href={`#row-${r.id}`} className="link">
                      {r.title}
                    </a>
                  </span>
                ))}
                {list.length > 8 ? ` and ${list.length - 8} more` : ''}
              </li>
            )
          })}
        </ul>
      ) : null}
    </section>
  )
}

type CellAt = { row: number; col: number }

/**
 * The matrix. For an editor it is a grid with one tab stop (a roving tabindex): arrow keys move,
 * Home/End go to the row's ends (with Ctrl, the grid's), R, A, C or I sets the letter and Delete
 * or Backspace clears it — each a form submission the server answers (it is authoritative; the
 * letter shows as pending until it does). Without JavaScript each row's "Edit" opens a plain form.
 */
export function RaciGrid({ rows, columns, canEdit, editHref }: { rows: MatrixRow[]; columns: MatrixColumn[]; canEdit: boolean; editHref: (activityId: string) => string }) {
  const [at, setAt] = useState<CellAt>({ row: 0, col: 0 })
  const [moved, setMoved] = useState(false)
  const [message, setMessage] = useState('')
  const table = useRef<HTMLTableElement>(null)
  const submit = useSubmit()
  const fetchers = useFetchers()
  const pending = new Map<string, string>()
  for (const f of fetchers) {
    if (f.state === 'idle' || !f.formData) continue
    const intent = f.formData.get('intent')
    if (intent !== 'set-cell' && intent !== 'clear-cell') continue
    pending.set(`${f.formData.get('activityId')}|${f.formData.get('holder')}`, intent === 'clear-cell' ? '' : String(f.formData.get('letter') ?? ''))
  }
  const failed = fetchers.find((f) => f.state === 'idle' && f.data && typeof f.data === 'object' && 'error' in (f.data as object))
  const failure = failed ? String((failed.data as { error: string }).error) : null

  useEffect(() => {
    if (!moved) return
    table.current?.querySelector<HTMLElement>(`[data-cell="${at.row}:${at.col}"]`)?.focus()
  }, [at, moved])

  const send = (row: MatrixRow, col: MatrixColumn, letter: RaciLetter | null) => {
    if (letter && col.kind === 'function' && !FUNCTION_LETTERS.includes(letter)) {
      setMessage(`${col.label} holds only C or I: R and A go to a person.`)
      return
    }
    setMessage(letter ? `${letter} for ${col.label} on ${row.title}` : `Cleared ${col.label} on ${row.title}`)
    const form = new FormData()
    form.set('intent', letter ? 'set-cell' : 'clear-cell')
    form.set('activityId', row.id)
    form.set('holder', col.key)
    if (letter) form.set('letter', letter)
    submit(form, { method: 'post', navigate: false, fetcherKey: `cell-${row.id}-${col.key}`, preventScrollReset: true })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTableCellElement>, r: number, c: number) => {
    const next = moveInGrid(e.key, { row: r, col: c }, { rows: rows.length, cols: columns.length }, e.ctrlKey || e.metaKey)
    if (next) {
      e.preventDefault()
      setMoved(true)
      setAt(next)
      return
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return
    const letter = letterOfKey(e.key)
    if (letter) {
      e.preventDefault()
      send(rows[r]!, columns[c]!, letter)
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault()
      send(rows[r]!, columns[c]!, null)
    }
  }

  const groups: { key: string; label: string; rows: { row: MatrixRow; index: number }[] }[] = []
  rows.forEach((row, index) => {
    const last = groups[groups.length - 1]
    if (last && last.key === row.group.key) last.rows.push({ row, index })
    else groups.push({ key: row.group.key, label: row.group.label, rows: [{ row, index }] })
  })

  return (
    <div className="space-y-2">
      {canEdit ? (
        <p id="raci-grid-help" className="text-sm text-slate-700">
          Keyboard: Tab into the matrix, arrow keys move, <kbd>R</kbd>, <kbd>A</kbd>, <kbd>C</kbd> or <kbd>I</kbd> sets the letter, <kbd>Delete</kbd> clears it. Or use
          “Edit” on a row.
        </p>
      ) : null}
      <p aria-live="polite" className="sr-only">
        {message}
      </p>
      {failure || message.includes('only C or I') ? (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-900 ring-1 ring-red-300">
          {failure ?? message}
        </p>
      ) : null}
      <div className="overflow-x-auto rounded-lg ring-1 ring-slate-200">
        <table ref={table} role={canEdit ? 'grid' : undefined} aria-label="RACI matrix" aria-describedby={canEdit ? 'raci-grid-help' : undefined} className="min-w-full border-collapse bg-white text-sm">
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className="sticky left-0 z-10 min-w-64 bg-slate-50 px-3 py-2 text-left font-semibold">
                Activity and its problems
              </th>
              {columns.map((c) => (
                <th key={c.key} scope="col" className="min-w-20 px-2 py-2 text-center align-bottom font-medium">
                  <span className="block">{c.label}</span>
                  <span className="block text-xs font-normal text-slate-600">
                    {c.detail}
                    {c.inactive ? ' · deactivated' : ''}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          {groups.map((g) => (
            <tbody key={g.key} className="border-t border-slate-200">
              <tr>
                <th scope="colgroup" colSpan={columns.length + 1} className="bg-slate-100 px-3 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-700">
                  {g.label}
                </th>
              </tr>
              {g.rows.map(({ row, index: r }) => (
                <tr key={row.id} id={`row-${row.id}`} className={`border-t border-slate-100 ${row.problems.length ? 'bg-amber-50/40' : ''}`}>
                  <th scope="row" className="sticky left-0 z-10 bg-white px-3 py-2 text-left font-normal">
                    <span className="block font-medium">{row.title}</span>
                    <span className="block text-xs text-slate-600">
                      {RACI_CATEGORIES[row.category]}
                      {row.due ? ` · due ${formatDay(row.due)}` : ''}
                      {row.stepStatus === 'done' ? ' · done' : row.stepStatus === 'skipped' ? ' · skipped' : ''}
                    </span>
                    {row.problems.length ? (
                      <ul className="mt-1 max-w-72 space-y-0.5 text-xs text-red-900">
                        {row.problems.map((p) => (
                          <li key={p.kind + p.message}>
                            <span className="font-semibold">Problem:</span> {p.message}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    {canEdit ? (
                      <Link to={editHref(row.id)} className="link text-xs" preventScrollReset aria-label={`Edit ${row.title}`}>
                        Edit
                      </Link>
                    ) : null}
                  </th>
                  {columns.map((c, ci) => {
                    const key = `${row.id}|${c.key}`
                    const waiting = pending.get(key)
                    const letter = (waiting !== undefined ? waiting : (row.cells[c.key] ?? '')) as RaciLetter | ''
                    const focusable = canEdit && at.row === r && at.col === ci
                    return (
                      <td
                        key={c.key}
                        data-cell={`${r}:${ci}`}
                        tabIndex={canEdit ? (focusable ? 0 : -1) : undefined}
                        aria-label={`${row.title}, ${c.label}: ${letter ? RACI_LETTERS[letter].split(' —')[0] : 'no letter'}${waiting !== undefined ? ' (saving)' : ''}`}
                        onKeyDown={canEdit ? (e) => onKeyDown(e, r, ci) : undefined}
                        onFocus={canEdit ? () => (at.row !== r || at.col !== ci ? setAt({ row: r, col: ci }) : undefined) : undefined}
                        className="px-1 py-1 text-center outline-none focus:ring-2 focus:ring-inset focus:ring-sky-700"
                      >
                        {letter ? (
                          <span aria-hidden="true" className={`inline-block w-7 rounded py-0.5 font-bold ${LETTER_STYLE[letter]} ${waiting !== undefined ? 'opacity-60' : ''}`}>
                            {letter}
                          </span>
                        ) : (
                          <span aria-hidden="true" className="text-slate-400">
                            ·
                          </span>
                        )}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
    </div>
  )
}

/** The form without JavaScript: a select per column for one row, saved together. */
export function RaciRowForm({ row, columns, cancelHref }: { row: MatrixRow; columns: MatrixColumn[]; cancelHref: string }) {
  return (
    <Form method="post" className="space-y-3" aria-label={`Letters for ${row.title}`} preventScrollReset>
      <input type="hidden" name="activityId" value={row.id} />
      <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-4">
        {columns.map((c) => (
          <div key={c.key}>
            <label htmlFor={`cell-${c.key}`} className="label">
              {c.label}
            </label>
            <select id={`cell-${c.key}`} name={`cell:${c.key}`} defaultValue={row.cells[c.key] ?? ''} className="input mt-1">
              <option value="">— none</option>
              {(c.kind === 'function' ? FUNCTION_LETTERS : (['R', 'A', 'C', 'I'] as const)).map((l) => (
                <option key={l} value={l}>
                  {l} · {RACI_LETTERS[l].split(' —')[0]}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <div className="flex gap-2">
        <button type="submit" name="intent" value="save-row" className="btn-primary">
          Save letters
        </button>
        <Link to={cancelHref} className="btn-secondary" preventScrollReset>
          Cancel
        </Link>
      </div>
    </Form>
  )
}

export function ActivityForm({ row, cancelHref }: { row: MatrixRow; cancelHref: string }) {
  const custom = row.kind === 'custom'
  return (
    <div className="space-y-3">
      <Form method="post" className="flex flex-wrap items-end gap-3" aria-label={`Details of ${row.title}`} preventScrollReset>
        <input type="hidden" name="activityId" value={row.id} />
        {custom ? (
          <>
            <div>
              <label htmlFor="edit-title" className="label">
                Title
              </label>
              <input id="edit-title" name="title" required maxLength={200} defaultValue={row.title} className="input mt-1" />
            </div>
            <div>
              <label htmlFor="edit-due" className="label">
                Due date
              </label>
              <input id="edit-due" name="dueDate" type="date" defaultValue={row.due ?? ''} className="input mt-1" />
            </div>
          </>
        ) : null}
        <div>
          <label htmlFor="edit-category" className="label">
            Category
          </label>
          <CategorySelect id="edit-category" defaultValue={row.category} />
        </div>
        <button type="submit" name="intent" value="update-activity" className="btn-secondary">
          Save details
        </button>
        <Link to={cancelHref} className="btn-secondary" preventScrollReset>
          Cancel
        </Link>
      </Form>
      {custom ? (
        <Form method="post" preventScrollReset>
          <input type="hidden" name="activityId" value={row.id} />
          <button type="submit" name="intent" value="delete-activity" className="btn-secondary text-red-900">
            Delete “{row.title}”
          </button>
        </Form>
      ) : (
        <p className="text-xs text-slate-600">The title and due date come from the {row.kind === 'step' ? 'plan' : 'inventory'}.</p>
      )}
    </div>
  )
}

export function CategorySelect({ id, defaultValue }: { id: string; defaultValue?: string }) {
  return (
    <select id={id} name="category" defaultValue={defaultValue ?? 'other'} className="input mt-1">
      {Object.entries(RACI_CATEGORIES).map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  )
}

export function TemplateForm({ holders }: { holders: { value: string; label: string }[] }) {
  return (
    <Form method="post" className="flex flex-wrap items-end gap-3" aria-label="Fill from a template">
      <div>
        <label htmlFor="template" className="label">
          Template
        </label>
        <select id="template" name="template" className="input mt-1">
          {Object.entries(RACI_TEMPLATES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="template-holder" className="label">
          Who (for the C templates)
        </label>
        <select id="template-holder" name="holder" className="input mt-1">
          <option value="">The template’s function (any clinical / compliance member)</option>
          {holders.map((h) => (
            <option key={h.value} value={h.value}>
              {h.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" name="intent" value="apply-template" className="btn-secondary">
        Fill
      </button>
      <p className="w-full text-xs text-slate-600">A template never overwrites a letter: it fills only the cells that are empty for that person.</p>
    </Form>
  )
}
