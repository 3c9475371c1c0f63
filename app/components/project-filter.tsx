import { Form } from '@remix-run/react'

export type ProjectFilterOption = { id: string; name: string; waves: { id: string; name: string; kind: string }[] }

/**
 * "Which people / which scope": the whole organisation, a project (all its waves), or one of
 * its waves. A plain GET form; the wave choice appears once a project is chosen (works without
 * JavaScript: choose the project, show, then the wave).
 */
export function ProjectFilterForm({ projects, project, wave, label }: { projects: ProjectFilterOption[]; project: string | null; wave: string | null; label: string }) {
  const chosen = projects.find((p) => p.id === project)
  return (
    <Form method="get" className="card flex flex-wrap items-end gap-3 print:hidden" aria-label={label}>
      <div>
        <label htmlFor="filter-project" className="label">
          Project
        </label>
        <select id="filter-project" name="project" defaultValue={project ?? ''} className="input mt-1" key={project ?? ''}>
          <option value="">Whole organisation</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {chosen ? (
        <div>
          <label htmlFor="filter-wave" className="label">
            Wave
          </label>
          <select id="filter-wave" name="wave" defaultValue={wave ?? ''} className="input mt-1" key={`${project}-${wave ?? ''}`}>
            <option value="">Every wave</option>
            {chosen.waves.map((w) => (
              <option key={w.id} value={w.id}>
                {w.kind === 'pilot' ? `Pilot: ${w.name}` : w.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <button type="submit" className="btn-secondary">
        Show
      </button>
    </Form>
  )
}
