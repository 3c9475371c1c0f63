import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { discoverIntents, discoverIntentsInSource } from './intents.ts'

const ROUTE = path.resolve('app/routes/o.$orgSlug+/example.tsx')

/** Discovers the intents of `code`, with other files of the app given as `files` (path → source). */
function discover(code: string, files: Record<string, string> = {}) {
  const load = (file: string) => {
    const rel = path.relative(process.cwd(), file)
    return rel in files ? ts.createSourceFile(file, files[rel]!, ts.ScriptTarget.Latest, true) : null
  }
  return discoverIntentsInSource(code, ROUTE, load)
}

describe('discoverIntents', () => {
  it('reads comparisons with form.get("intent"), directly or through a variable', () => {
    const r = discover(`
      export async function action({ request }) {
        const form = await request.formData()
        if (form.get('intent') === 'start') return 1
        const kind = String(form.get('intent') ?? '')
        if (kind !== 'stop' && 'pause' != kind) throw new Response('', { status: 400 })
      }`)
    expect(r).toEqual({ hasAction: true, intents: ['pause', 'start', 'stop'], unresolved: [] })
  })

  it('reads the cases of a switch on the intent, and of v.intent', () => {
    const r = discover(`
      export async function action({ request }) {
        const formData = await request.formData()
        const intent = formData.get('intent')
        switch (intent) { case 'save': case 'move-up': break; default: return null }
        const v = Schema.parse(formData)
        switch (v.intent) { case 'other': break }
      }`)
    expect(r.intents).toEqual(['move-up', 'other', 'save'])
  })

  it('reads a zod discriminated union, z.literal and z.enum of a schema the action uses', () => {
    const r = discover(`
      import { z } from 'zod'
      const Add = z.object({ intent: z.literal('add'), name: z.string() })
      const Union = z.discriminatedUnion('intent', [Add, z.object({ intent: z.literal('remove') })])
      const Status = z.object({ intent: z.enum(['deactivate', 'reactivate']).default('deactivate') })
      const Unused = z.object({ intent: z.literal('never-read-by-the-action') })
      export async function action({ request }) {
        return parse(Union) ?? parse(Status)
      }`)
    expect(r.intents).toEqual(['add', 'deactivate', 'reactivate', 'remove'])
  })

  it('reads z.enum(LIST) and lookups in a table, with the list and the table imported from another file', () => {
    const r = discover(
      `
      import { z } from 'zod'
      import { REVIEW_ACTIONS, LABELS as PAST } from '#app/models/review.server.ts'
      const CAN = { 'approve-version': 'mapping:review' }
      const Review = z.object({ intent: z.enum(REVIEW_ACTIONS) })
      export async function action({ request }) {
        const form = await request.formData()
        const intent = String(form.get('intent') ?? '')
        const can = CAN[intent as keyof typeof CAN]
        const v = Review.parse(form)
        return PAST[v.intent] ?? { remove: 1 }[v.intent]
      }`,
      {
        'app/models/review.server.ts': `export { REVIEW_ACTIONS } from './review-vocabulary.ts'\nexport const LABELS = { submit: 'submitted', approve: 'approved' }`,
        'app/models/review-vocabulary.ts': `const BASE = ['submit', 'approve'] as const\nexport const REVIEW_ACTIONS = [...BASE, 'reopen'] as const`,
      },
    )
    expect(r).toEqual({ hasAction: true, intents: ['approve', 'approve-version', 'remove', 'reopen', 'submit'], unresolved: [] })
  })

  it('reads destructured intents and [..].includes(intent)', () => {
    const r = discover(`
      export const action = async ({ request }) => {
        const { intent: what, id } = await parse(request)
        if (['archive', 'restore'].includes(what)) return id
        if (what === 'purge') return null
      }`)
    expect(r.intents).toEqual(['archive', 'purge', 'restore'])
  })

  it('follows helpers of the file the action calls, but not the component', () => {
    const r = discover(`
      function handle(form) { return form.get('intent') === 'from-helper' }
      export async function action({ request }) { return handle(await request.formData()) }
      export default function Page() {
        const data = useActionData()
        return data?.intent === 'from-the-component' ? <p /> : <button name="intent" value="from-jsx" />
      }`)
    expect(r.intents).toEqual(['from-helper'])
  })

  it('reports the places it cannot read, so the sweep fails instead of guessing', () => {
    const r = discover(`
      import { z } from 'zod'
      import { TABLE } from 'some-package'
      const S = z.object({ intent: z.enum(makeList()) })
      export async function action({ request }) {
        const intent = (await request.formData()).get('intent')
        const id = z.object({ intent: z.string() }) // names no values: not a place to read
        return TABLE[intent] ?? S.parse({ intent })
      }`)
    expect(r.intents).toEqual([])
    expect(r.unresolved.sort()).toEqual([
      expect.stringMatching(/example\.tsx:4 `intent: z\.enum\(makeList\(\)\)`: the schema of the intent is not a literal/),
      expect.stringMatching(/example\.tsx:8 `TABLE\[intent\]`: the table looked up by the intent/),
    ])
  })

  it('says a module without an action has none', () => {
    expect(discover(`export async function loader() { return null }`)).toEqual({ hasAction: false, intents: [], unresolved: [] })
  })

  it('reads the routes of the app: every intent a module page handles, not only those its forms send today', () => {
    const r = discoverIntents('app/routes/o.$orgSlug+/training.modules.$moduleId.tsx')
    expect(r.unresolved).toEqual([])
    expect(r.intents).toEqual(expect.arrayContaining(['save', 'move-up', 'move-down', 'activate-rule', 'deactivate-rule', 'archive', 'restore']))
    // The review intents of the version page come from a list in the mapping model.
    expect(discoverIntents('app/routes/o.$orgSlug+/mapping.v.$versionId.tsx').intents).toEqual(
      expect.arrayContaining(['submit', 'approve', 'request_changes', 'reopen', 'approve-version']),
    )
  })
})
