import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation, type ShouldRevalidateFunction } from '@remix-run/react'
import { useEffect, useMemo, useState, type ReactNode } from 'react'
import { GeneralErrorBoundary } from '#app/components/error-boundary.tsx'
import { EstateMap, type MapFocus } from '#app/components/estate-map.tsx'
import { EmptyState } from '#app/components/forms.tsx'
import { getEstate } from '#app/models/inventory/estate.server.ts'
import { computeWarnings, impactOf, type EstateEdge, type EstateNode, type EstateWarning } from '#app/models/inventory/estate.ts'
import { getEstateLayout } from '#app/models/inventory/estate-layout.server.ts'
import {
  APPROACH_DASHES,
  applyEstateFilter,
  DEFAULT_FILTER,
  FILTER_GROUPS,
  isDefaultFilter,
  KIND_COLOURS,
  kindLabel,
  matchSystems,
  parseEstateFilter,
  STANDARD_COLOURS,
  writeEstateFilter,
  type EstateFilter,
} from '#app/models/inventory/estate-view.ts'
import { APPROACHES, CRITICALITIES, LIFECYCLES, STANDARDS, SYSTEM_KINDS } from '#app/models/inventory/vocabulary.ts'
import { useCan, useOrg } from '#app/utils/org.ts'
import { requireTenant } from '#app/utils/tenant.server.ts'

export const meta: MetaFunction = () => [{ title: 'Estate · Liaison' }]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const scope = await requireTenant(request, params, { can: 'inventory:read' })
  const { nodes, edges } = await getEstate(scope)
  const warnings = computeWarnings(nodes, edges)
  // Retired interfaces do not pull systems together: the picture is of the estate as it runs.
  const layout = getEstateLayout(
    nodes,
    edges.filter((e) => e.lifecycle !== 'retired'),
  )
  return json({ nodes, edges, warnings, layout })
}

// Filters, search and the selection live in the query string but are applied in the browser:
// the loader's data does not depend on them, so don't fetch it again when only they change.
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  if (!formMethod && currentUrl.pathname === nextUrl.pathname) return false
  return defaultShouldRevalidate
}

type PageView = { filter: EstateFilter; system: string | null }

function readView(search: string): PageView {
  const sp = new URLSearchParams(search)
  return { filter: parseEstateFilter(sp), system: sp.get('system') }
}

function viewQuery({ filter, system }: PageView) {
  const sp = writeEstateFilter(filter, system ? new URLSearchParams({ system }) : undefined)
  const s = sp.toString()
  return s ? `?${s}` : ''
}

const WARNING_GROUPS: { kind: EstateWarning['kind']; title: string }[] = [
  { kind: 'nonstandard_without_exception', title: 'Proprietary or flat-file interfaces without a written exception' },
  { kind: 'point_to_point_sprawl', title: 'Point-to-point sprawl' },
  { kind: 'fhir_resource_unsupported', title: 'FHIR resources the receiving system does not list' },
]

export default function EstatePage() {
  const { nodes, edges, warnings, layout } = useLoaderData<typeof loader>()
  const { org } = useOrg()
  const canWrite = useCan('inventory:write')
  const base = `/o/${org.slug}`
  // What is shown (filter, search, selection) is state of the page, mirrored into the query
  // string so that a view can be linked or reloaded. Mirrored with history.replaceState, not a
  // Remix navigation: a navigation would run the root and organisation loaders again on every
  // keystroke and tick. A real navigation (a link, Back) brings its own query string back in.
  const location = useLocation()
  const [view, setView] = useState(() => readView(location.search))
  // Keyed on the navigation, not only the string: a link to the URL the page was opened with
  // must still reset it (every navigation has a new key; replaceState above changes neither).
  useEffect(() => setView(readView(location.search)), [location.key, location.search])
  const { filter, system: requested } = view
  const update = (next: PageView) => {
    setView(next)
    window.history.replaceState(window.history.state, '', `${location.pathname}${viewQuery(next)}${window.location.hash}`)
  }
  const setFilter = (f: EstateFilter) => update({ ...view, filter: f })
  const select = (id: string | null) => update({ ...view, system: id })
  /** The link each system, list entry and "Clear" carries: what a click does without JavaScript. */
  const hrefWith = (system: string | null) => viewQuery({ ...view, system }) || '?'

  // Filters apply as they change once the page is live; before that (or without JavaScript) they need Apply.
  const [hydrated, setHydrated] = useState(false)
  useEffect(() => setHydrated(true), [])

  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes])
  const selected = requested ? (byId.get(requested) ?? null) : null

  const visible = useMemo(() => applyEstateFilter(nodes, edges, filter), [nodes, edges, filter])
  const matches = useMemo(() => matchSystems(visible.nodes, filter.q), [visible.nodes, filter.q])
  const impact = useMemo(() => (selected ? impactOf(selected.id, nodes, edges) : null), [selected, nodes, edges])
  const focus = useMemo<MapFocus | null>(() => {
    if (!selected || !impact) return null
    const downstream = new Set(impact.downstream.map((d) => d.id))
    return {
      selectedId: selected.id,
      neighbours: new Set([...impact.interfaces.map((i) => i.otherId), ...impact.upstream.map((u) => u.id)]),
      downstream,
      relays: new Set([...downstream].filter((id) => byId.get(id)?.kind === 'integration_engine')),
      relayed: new Set(impact.downstream.filter((d) => d.via).map((d) => d.id)),
    }
  }, [selected, impact, byId])

  // Close an open filter menu on a click elsewhere, as drop-downs do.
  useEffect(() => {
    const close = (e: MouseEvent) => {
      for (const d of document.querySelectorAll<HTMLDetailsElement>('details.estate-filter[open]')) {
        if (!d.contains(e.target as Node)) d.open = false
      }
    }
    document.addEventListener('click', close)
    return () => document.removeEventListener('click', close)
  }, [])

  const liveEdges = useMemo(() => edges.filter((e) => e.lifecycle !== 'retired'), [edges])
  const header = (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-bold">Estate</h1>
        <p className="text-slate-700">
          {nodes.length ? (
            <>
              {nodes.length} {nodes.length === 1 ? 'system' : 'systems'} and {liveEdges.length} {liveEdges.length === 1 ? 'interface' : 'interfaces'} in use
              {edges.length > liveEdges.length ? ` (${edges.length - liveEdges.length} retired)` : ''}. Select a system to see what depends on it.
            </>
          ) : (
            'Your systems and the interfaces between them, as a picture: what depends on what, and what breaks the standards policy.'
          )}
        </p>
      </div>
      <div className="flex gap-2">
        <Link to={`${base}/systems`} className="btn-secondary">
          Systems list
        </Link>
        <Link to={`${base}/interfaces`} className="btn-secondary">
          Interfaces list
        </Link>
      </div>
    </div>
  )

  if (!nodes.length) {
    return (
      <div className="space-y-6">
        {header}
        <EmptyState
          title="No systems yet, so nothing to draw"
          action={
            canWrite ? (
              <div className="flex flex-wrap justify-center gap-2">
                <Link to={`${base}/systems/new`} className="btn-primary">
                  Add a system
                </Link>
                <Link to={`${base}/inventory/import`} className="btn-secondary">
                  Import systems and interfaces from CSV
                </Link>
              </div>
            ) : null
          }
        >
          {canWrite
            ? 'The picture draws itself from your inventory. Add the systems you run (the EHR, the lab, the engine…) and the interfaces between them, one by one or from a spreadsheet.'
            : 'The picture draws itself from the inventory, which integration analysts and project managers keep. Ask one of them to add your systems.'}
        </EmptyState>
      </div>
    )
  }

  return (
    <div className="space-y-6">
      {header}

      <Form
        method="get"
        className="card flex flex-wrap items-end gap-3 p-3"
        aria-label="Filter the estate picture"
        preventScrollReset
        // With JavaScript every change applies at once; Apply is for browsers without it.
        onSubmit={(e) => e.preventDefault()}
      >
        {selected ? <input type="hidden" name="system" value={selected.id} /> : null}
        <div className="w-full sm:w-64">
          <label htmlFor="estate-q" className="label">
            Find systems by name
          </label>
          <input
            id="estate-q"
            name="q"
            type="search"
            className="input mt-1"
            value={filter.q}
            onChange={(e) => setFilter({ ...filter, q: e.target.value })}
            aria-describedby="estate-q-result"
          />
        </div>
        <FilterMenu
          title="Standards"
          param="standard"
          options={Object.entries(STANDARDS).map(([value, label]) => ({ value, label, swatch: <LineSwatch colour={STANDARD_COLOURS[value as keyof typeof STANDARDS]} /> }))}
          checked={filter.standards}
          onChange={(values) => setFilter({ ...filter, standards: values as EstateFilter['standards'] })}
        />
        <FilterMenu
          title="Approaches"
          param="approach"
          options={Object.entries(APPROACHES).map(([value, label]) => ({ value, label, swatch: <LineSwatch colour="#334155" dash={APPROACH_DASHES[value as keyof typeof APPROACHES]} /> }))}
          checked={filter.approaches}
          onChange={(values) => setFilter({ ...filter, approaches: values as EstateFilter['approaches'] })}
        />
        <FilterMenu
          title="Lifecycle"
          param="lifecycle"
          options={Object.entries(LIFECYCLES).map(([value, label]) => ({ value, label: value === 'retired' ? `${label} (drawn faded)` : label }))}
          checked={filter.lifecycles}
          onChange={(values) => setFilter({ ...filter, lifecycles: values as EstateFilter['lifecycles'] })}
          defaults={FILTER_GROUPS.lifecycle.defaults}
        />
        <FilterMenu
          title="Kinds"
          param="kind"
          options={Object.entries(SYSTEM_KINDS).map(([value, label]) => ({ value, label, swatch: <DotSwatch colour={KIND_COLOURS[value] ?? '#fff'} square={value === 'integration_engine'} /> }))}
          checked={filter.kinds}
          onChange={(values) => setFilter({ ...filter, kinds: values })}
        />
        {hydrated ? null : (
          <button type="submit" className="btn-secondary">
            Apply
          </button>
        )}
        {!isDefaultFilter(filter) ? (
          <Link
            to={{ search: selected ? `?system=${selected.id}` : '' }}
            className="link self-center text-sm"
            preventScrollReset
            onClick={(e) => {
              e.preventDefault()
              setFilter(DEFAULT_FILTER)
            }}
          >
            Reset filters
          </Link>
        ) : null}
        <div id="estate-q-result" role="status" className="w-full text-sm empty:hidden">
          {filter.q ? (
            matches.size ? (
              <div className="flex flex-wrap items-center gap-2">
                <span>
                  {matches.size} {matches.size === 1 ? 'system matches' : 'systems match'}, highlighted in yellow:
                </span>
                {[...matches].slice(0, 12).map((id) => (
                  <Link
                    key={id}
                    to={hrefWith(id)}
                    preventScrollReset
                    className="rounded bg-yellow-100 px-2 py-0.5 font-medium ring-1 ring-yellow-500 hover:bg-yellow-200"
                    onClick={(e) => {
                      e.preventDefault()
                      select(id)
                    }}
                  >
                    {byId.get(id)?.name}
                  </Link>
                ))}
                {matches.size > 12 ? <span className="text-slate-600">and {matches.size - 12} more</span> : null}
              </div>
            ) : (
              <span>No system shown matches “{filter.q}”.</span>
            )
          ) : null}
        </div>
      </Form>

      <a href="#estate-table" className="sr-only focus:not-sr-only focus:underline">
        Skip the picture: go to the table of systems
      </a>
      <div id="estate-picture" className="grid scroll-mt-4 gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="card flex flex-col overflow-hidden p-0">
          <div className="h-[68vh] min-h-[460px]">
          {visible.nodes.length ? (
            <EstateMap
              nodes={visible.nodes}
              edges={visible.edges}
              layout={layout}
              focus={focus}
              matches={matches}
              hrefFor={hrefWith}
              onSelect={select}
              describedBy="estate-help"
            />
          ) : (
            <div className="flex h-full items-center justify-center p-8">
              <EmptyState title="No system passes these filters">Tick at least one kind of system, or reset the filters.</EmptyState>
            </div>
          )}
          </div>
          <Legend />
        </div>
        <aside className="card max-h-[calc(68vh+7rem)] min-h-[460px] space-y-4 overflow-y-auto p-4" aria-label={selected ? `If ${selected.name} is down` : 'About the picture'}>
          {selected && impact ? (
            <ImpactPanel system={selected} impact={impact} edges={edges} warnings={warnings} base={base} hrefWith={hrefWith} onSelect={select} />
          ) : (
            <div className="space-y-3 text-sm text-slate-700">
              <h2 className="text-lg font-semibold text-slate-900">What depends on what</h2>
              <p id="estate-help">
                Arrows run from the system that sends to the one that receives. Select a system (click it, or Tab to the picture, move with the
                arrow keys and press Enter) to see what stops if it is down. Drag to pan; zoom with the buttons, the mouse wheel or + and −; 0 fits
                the whole estate again.
              </p>
              <p>
                {warnings.length ? (
                  <a href="#warnings" className="link">
                    {warnings.length} {warnings.length === 1 ? 'warning' : 'warnings'} about how the estate is wired
                  </a>
                ) : (
                  'No warnings: every non-standard interface has a written exception, nothing is wired point-to-point across three or more systems, and FHIR interfaces match their targets’ capabilities.'
                )}
              </p>
            </div>
          )}
        </aside>
      </div>

      <WarningsSection warnings={warnings} byId={byId} edges={edges} base={base} hrefWith={hrefWith} onSelect={select} />

      <SystemsTable nodes={visible.nodes} edges={visible.edges} warnings={warnings} base={base} hrefWith={hrefWith} onSelect={select} filtered={!isDefaultFilter({ ...filter, q: '' })} />
    </div>
  )
}

/** A filter as a drop-down of checkboxes (a native <details>: works without JavaScript). */
function FilterMenu({
  title,
  param,
  options,
  checked,
  onChange,
  defaults,
}: {
  title: string
  param: keyof typeof FILTER_GROUPS
  options: { value: string; label: string; swatch?: ReactNode }[]
  checked: readonly string[]
  onChange: (values: string[]) => void
  defaults?: readonly string[]
}) {
  const summary =
    checked.length === options.length
      ? 'all'
      : defaults && checked.length === defaults.length && defaults.every((d) => checked.includes(d))
        ? 'all but retired'
        : checked.length === 0
          ? 'none'
          : `${checked.length} of ${options.length}`
  return (
    <details
      className="estate-filter relative"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return
        const details = e.currentTarget
        details.open = false
        details.querySelector('summary')?.focus()
      }}
    >
      <summary className="btn-secondary cursor-pointer list-none">
        {title}: <span className="font-normal">{summary}</span> <span aria-hidden="true">▾</span>
      </summary>
      <fieldset className="absolute left-0 z-30 mt-1 w-72 rounded-md bg-white p-3 shadow-lg ring-1 ring-slate-300">
        <legend className="sr-only">{title}</legend>
        {/* Sent with the ticked boxes, so "none ticked" differs from "not filtered" without JavaScript. */}
        <input type="hidden" name={param} value="" />
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-2 py-1 text-sm">
            <input
              type="checkbox"
              name={param}
              value={o.value}
              checked={checked.includes(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...checked, o.value] : checked.filter((v) => v !== o.value))}
              className="h-4 w-4 rounded border-slate-400"
            />
            {o.swatch}
            <span>{o.label}</span>
          </label>
        ))}
        <div className="mt-2 flex gap-3 border-t border-slate-200 pt-2 text-xs">
          <button type="button" className="link" onClick={() => onChange(options.map((o) => o.value))}>
            All
          </button>
          <button type="button" className="link" onClick={() => onChange([])}>
            None
          </button>
        </div>
      </fieldset>
    </details>
  )
}

/** What the colours, lines, sizes and rings mean. */
function Legend() {
  return (
    <div className="flex flex-wrap gap-x-6 gap-y-2 border-t border-slate-200 px-3 py-2 text-xs text-slate-700">
      <LegendGroup title="Arrow colour: standard">
        {Object.entries(STANDARDS).map(([value, label]) => (
          <span key={value} className="inline-flex items-center gap-1">
            <LineSwatch colour={STANDARD_COLOURS[value as keyof typeof STANDARDS]} /> {label}
          </span>
        ))}
      </LegendGroup>
      <LegendGroup title="Line: approach">
        {Object.entries(APPROACHES).map(([value, label]) => (
          <span key={value} className="inline-flex items-center gap-1">
            <LineSwatch colour="#334155" dash={APPROACH_DASHES[value as keyof typeof APPROACHES]} /> {label}
          </span>
        ))}
        <span className="inline-flex items-center gap-1">
          <LineSwatch colour="#334155" both /> both ways
        </span>
        <span className="inline-flex items-center gap-1">
          <span className="opacity-40">
            <LineSwatch colour="#334155" />
          </span>{' '}
          retired (faded)
        </span>
      </LegendGroup>
      <LegendGroup title="Fill: kind of system · size: criticality">
        {Object.entries(SYSTEM_KINDS).map(([value, label]) => (
          <span key={value} className="inline-flex items-center gap-1">
            <DotSwatch colour={KIND_COLOURS[value] ?? '#fff'} square={value === 'integration_engine'} /> {label}
          </span>
        ))}
      </LegendGroup>
      <LegendGroup title="Rings">
        <span className="inline-flex items-center gap-1">
          <RingSwatch colour="#1d5fbf" width={3} /> selected
        </span>
        <span className="inline-flex items-center gap-1">
          <RingSwatch colour="#b91c1c" width={2.5} /> loses data from it, directly
        </span>
        <span className="inline-flex items-center gap-1">
          <RingSwatch colour="#dc2626" width={1.2} dash="2 2" /> through an engine
        </span>
        <span className="inline-flex items-center gap-1">
          <RingSwatch colour="#ca8a04" width={2} fill="#fde047" /> matches the search
        </span>
      </LegendGroup>
    </div>
  )
}

function LegendGroup({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <p className="font-semibold text-slate-800">{title}</p>
      <p className="mt-0.5 flex flex-wrap gap-x-3 gap-y-1">{children}</p>
    </div>
  )
}

function RingSwatch({ colour, width, dash, fill = 'none' }: { colour: string; width: number; dash?: string; fill?: string }) {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" className="inline-block shrink-0">
      <circle cx="8" cy="8" r="6" fill={fill} stroke={colour} strokeWidth={width} strokeDasharray={dash} />
    </svg>
  )
}

function LineSwatch({ colour, dash, both }: { colour: string; dash?: string; both?: boolean }) {
  return (
    <svg width="30" height="10" viewBox="0 0 30 10" aria-hidden="true" className="inline-block shrink-0 align-middle">
      <line x1={both ? 6 : 1} y1="5" x2="23" y2="5" stroke={colour} strokeWidth="2" strokeDasharray={dash} strokeLinecap="round" />
      <path d="M22,1 L29,5 L22,9 z" fill={colour} />
      {both ? <path d="M8,1 L1,5 L8,9 z" fill={colour} /> : null}
    </svg>
  )
}

function DotSwatch({ colour, square }: { colour: string; square?: boolean }) {
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" className="inline-block shrink-0">
      {square ? <rect x="1" y="1" width="12" height="12" rx="3" fill={colour} stroke="#0f172a" /> : <circle cx="7" cy="7" r="6" fill={colour} stroke="#334155" />}
    </svg>
  )
}

type Impact = ReturnType<typeof impactOf>

function ImpactPanel({
  system,
  impact,
  edges,
  warnings,
  base,
  hrefWith,
  onSelect,
}: {
  system: EstateNode
  impact: Impact
  edges: EstateEdge[]
  warnings: EstateWarning[]
  base: string
  hrefWith: (id: string | null) => string
  onSelect: (id: string | null) => void
}) {
  const edgeById = new Map(edges.map((e) => [e.id, e]))
  const own = warnings.filter((w) => w.systemIds.includes(system.id))
  const direct = impact.downstream.filter((d) => !d.via)
  const byEngine = new Map<string, Impact['downstream']>()
  for (const d of impact.downstream) if (d.via) byEngine.set(d.via, [...(byEngine.get(d.via) ?? []), d])
  const relayed = [...byEngine].sort((a, b) => (a[0] < b[0] ? -1 : 1))
  const selectLink = (id: string, name: string) => (
    <Link
      to={hrefWith(id)}
      preventScrollReset
      className="link"
      onClick={(e) => {
        e.preventDefault()
        onSelect(id)
      }}
    >
      {name}
    </Link>
  )
  return (
    <div className="space-y-4 text-sm">
      <div>
        <div className="flex items-start justify-between gap-2">
          <h2 className="text-lg font-semibold">If {system.name} is down</h2>
          <Link
            to={hrefWith(null)}
            preventScrollReset
            className="btn-secondary shrink-0 px-2 py-1 text-xs"
            onClick={(e) => {
              e.preventDefault()
              onSelect(null)
            }}
          >
            Clear
          </Link>
        </div>
        <p className="text-slate-600">
          {kindLabel(system.kind)} · {CRITICALITIES[system.criticality as keyof typeof CRITICALITIES] ?? system.criticality} criticality ·{' '}
          <Link to={`${base}/systems/${system.id}`} className="link">
            Open its page
          </Link>
        </p>
        <p className="mt-1 text-xs text-slate-600">Counts every interface that is not retired, whatever the filters show.</p>
      </div>

      <ImpactList title="These interfaces stop" count={impact.interfaces.length} empty="None: nothing is wired to it.">
        {impact.interfaces.map((i) => {
          const e = edgeById.get(i.id)
          return (
            <li key={i.id}>
              <Link to={`${base}/interfaces/${i.id}`} className="link">
                {i.name}
              </Link>
              <span className="block text-xs text-slate-600">
                {i.direction === 'out' ? `sends to ${i.otherName}` : i.direction === 'in' ? `receives from ${i.otherName}` : `exchanges with ${i.otherName}`}
                {e ? ` · ${STANDARDS[e.standard]} · ${APPROACHES[e.approach].toLowerCase()} · ${LIFECYCLES[e.lifecycle].toLowerCase()}` : ''}
              </span>
            </li>
          )
        })}
      </ImpactList>

      <section>
        <h3 className="font-semibold">These systems lose data from it ({impact.downstream.length})</h3>
        {impact.downstream.length ? (
          <>
            <p className="text-xs text-slate-600">Ringed in red on the picture: solid if it sends to them directly, dotted through an engine.</p>
            {direct.length ? (
              <ul className="mt-1 space-y-1">
                {direct.map((d) => (
                  <li key={d.id}>{selectLink(d.id, d.name)}</li>
                ))}
              </ul>
            ) : null}
            {relayed.map(([engine, list]) => (
              <details key={engine} className="mt-2" open={list.length <= 8}>
                <summary className="cursor-pointer font-medium">
                  Through {engine}: {list.length} {list.length === 1 ? 'system' : 'systems'}
                </summary>
                <p className="mt-1 text-xs text-slate-600">
                  Everything {engine} sends on, unless its routes say otherwise: check which of these carry data from {system.name}.
                </p>
                <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1">
                  {list.map((d) => (
                    <li key={d.id}>{selectLink(d.id, d.name)}</li>
                  ))}
                </ul>
              </details>
            ))}
          </>
        ) : (
          <p className="text-slate-600">None: it sends nothing onwards.</p>
        )}
      </section>

      <ImpactList title="It stops receiving from" count={impact.upstream.length} empty="Nothing: it receives from no system.">
        {impact.upstream.map((u) => (
          <li key={u.id}>{selectLink(u.id, u.name)}</li>
        ))}
      </ImpactList>

      <section>
        <h3 className="font-semibold">Units affected</h3>
        <UnitChips units={impact.unitsDirect} empty="No units recorded as using it." label="Directly (they use it):" />
        <UnitChips units={impact.unitsDownstream} empty="No further units downstream." label="Downstream (they use a system that loses data):" />
      </section>

      {own.length ? (
        <section>
          <h3 className="font-semibold">Warnings about it ({own.length})</h3>
          <ul className="mt-1 space-y-2">
            {own.map((w, k) => (
              <li key={k} className="rounded-md bg-amber-50 p-2 text-amber-950 ring-1 ring-amber-300">
                {w.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  )
}

function ImpactList({ title, count, empty, note, children }: { title: string; count: number; empty: string; note?: string; children: ReactNode }) {
  return (
    <section>
      <h3 className="font-semibold">
        {title} ({count})
      </h3>
      {note ? <p className="text-xs text-slate-600">{note}</p> : null}
      {count ? <ul className="mt-1 space-y-1">{children}</ul> : <p className="text-slate-600">{empty}</p>}
    </section>
  )
}

function UnitChips({ units, empty, label }: { units: string[]; empty: string; label: string }) {
  return (
    <div className="mt-1">
      <p className="text-xs text-slate-600">{label}</p>
      {units.length ? (
        <ul className="mt-1 flex flex-wrap gap-1">
          {units.map((u) => (
            <li key={u} className="rounded bg-slate-100 px-2 py-0.5 text-xs ring-1 ring-slate-300">
              {u}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-600">{empty}</p>
      )}
    </div>
  )
}

function WarningsSection({
  warnings,
  byId,
  edges,
  base,
  hrefWith,
  onSelect,
}: {
  warnings: EstateWarning[]
  byId: Map<string, EstateNode>
  edges: EstateEdge[]
  base: string
  hrefWith: (id: string | null) => string
  onSelect: (id: string | null) => void
}) {
  const edgeById = new Map(edges.map((e) => [e.id, e]))
  const MAX_LINKS = 8
  const SHOWN = 5
  const renderWarning = (w: EstateWarning) => (
    <>
      <p>{w.message}</p>
      <p className="mt-0.5 text-slate-600">{w.advice}</p>
      <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs">
        {w.interfaceIds.slice(0, MAX_LINKS).map((id) => (
          <Link key={id} to={`${base}/interfaces/${id}`} className="link">
            Interface: {edgeById.get(id)?.name ?? id}
          </Link>
        ))}
        {w.interfaceIds.length > MAX_LINKS ? <span>and {w.interfaceIds.length - MAX_LINKS} more interfaces</span> : null}
        {[...new Set(w.systemIds)].slice(0, MAX_LINKS).map((id) => (
          <Link
            key={id}
            to={hrefWith(id)}
            preventScrollReset
            className="link"
            onClick={(e) => {
              e.preventDefault()
              onSelect(id)
              document.getElementById('estate-picture')?.scrollIntoView({ behavior: 'smooth', block: 'start' })
            }}
          >
            Show {byId.get(id)?.name ?? 'system'} on the picture
          </Link>
        ))}
        {w.systemIds.length > MAX_LINKS ? <span>and {w.systemIds.length - MAX_LINKS} more systems</span> : null}
      </p>
    </>
  )
  return (
    <section id="warnings" aria-labelledby="warnings-title" className="space-y-3">
      <h2 id="warnings-title" className="text-xl font-semibold">
        Warnings ({warnings.length})
      </h2>
      {!warnings.length ? <p className="text-slate-700">None. The estate follows the standards policy as far as the inventory tells.</p> : null}
      {WARNING_GROUPS.map((g) => {
        const list = warnings.filter((w) => w.kind === g.kind)
        if (!list.length) return null
        return (
          <div key={g.kind} className="card p-4">
            <h3 className="font-semibold">
              {g.title} ({list.length})
            </h3>
            <WarningList warnings={list.slice(0, SHOWN)} render={renderWarning} />
            {list.length > SHOWN ? (
              <details className="mt-1">
                <summary className="cursor-pointer text-sm font-medium text-brand-700">Show the other {list.length - SHOWN}</summary>
                <WarningList warnings={list.slice(SHOWN)} render={renderWarning} />
              </details>
            ) : null}
          </div>
        )
      })}
    </section>
  )
}

function WarningList({ warnings, render }: { warnings: EstateWarning[]; render: (w: EstateWarning) => ReactNode }) {
  return (
    <ul className="mt-2 divide-y divide-slate-100">
      {warnings.map((w) => (
        <li key={`${w.kind}:${w.interfaceIds.join(',')}`} className="py-2 text-sm">
          {render(w)}
        </li>
      ))}
    </ul>
  )
}

function SystemsTable({
  nodes,
  edges,
  warnings,
  base,
  hrefWith,
  onSelect,
  filtered,
}: {
  nodes: EstateNode[]
  edges: EstateEdge[]
  warnings: EstateWarning[]
  base: string
  hrefWith: (id: string | null) => string
  onSelect: (id: string | null) => void
  filtered: boolean
}) {
  const counts = new Map<string, { out: number; in: number; warnings: number }>()
  const get = (id: string) => counts.get(id) ?? counts.set(id, { out: 0, in: 0, warnings: 0 }).get(id)!
  for (const e of edges) {
    get(e.sourceId).out++
    get(e.targetId).in++
  }
  for (const w of warnings) for (const id of new Set(w.systemIds)) get(id).warnings++
  return (
    <section id="estate-table" aria-labelledby="estate-table-title" className="space-y-2" tabIndex={-1}>
      <h2 id="estate-table-title" className="text-xl font-semibold">
        The same estate as a table
      </h2>
      <p className="text-sm text-slate-700">
        {nodes.length} systems{filtered ? ' passing the filters above' : ''}, with the interfaces shown in the picture. For search, sorting and
        every detail, open the{' '}
        <Link to={`${base}/systems`} className="link">
          systems list
        </Link>{' '}
        or the{' '}
        <Link to={`${base}/interfaces`} className="link">
          interfaces list
        </Link>
        .
      </p>
      <div className="card relative overflow-x-auto p-0">
        <table className="table">
          <caption className="sr-only">Systems with the number of interfaces they send and receive</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col">System</th>
              <th scope="col">Kind</th>
              <th scope="col">Criticality</th>
              <th scope="col">Sends</th>
              <th scope="col">Receives</th>
              <th scope="col">Units</th>
              <th scope="col">Warnings</th>
              <th scope="col">
                <span className="sr-only">Impact</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {nodes.map((n) => {
              const c = counts.get(n.id)
              return (
                <tr key={n.id}>
                  <th scope="row" className="font-medium">
                    <Link to={`${base}/systems/${n.id}`} className="link">
                      {n.name}
                    </Link>
                  </th>
                  <td>{kindLabel(n.kind)}</td>
                  <td>{CRITICALITIES[n.criticality as keyof typeof CRITICALITIES] ?? n.criticality}</td>
                  <td>{c?.out ?? 0}</td>
                  <td>{c?.in ?? 0}</td>
                  <td className="max-w-xs text-slate-700">{n.unitsServed.join(', ')}</td>
                  <td>{c?.warnings ?? 0}</td>
                  <td>
                    <Link
                      to={hrefWith(n.id)}
                      preventScrollReset
                      className="link whitespace-nowrap"
                      onClick={(e) => {
                        e.preventDefault()
                        onSelect(n.id)
                        document.getElementById('estate-picture')?.scrollIntoView({ behavior: 'smooth', block: 'start' })
                      }}
                    >
                      {/* The name read out starts with the words on screen (WCAG 2.5.3): "If down… Main EHR". */}
                      If down…<span className="sr-only"> {n.name}</span>
                    </Link>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </section>
  )
}

export const ErrorBoundary = GeneralErrorBoundary
