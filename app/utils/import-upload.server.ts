import {
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from '@remix-run/node'
import { isDomainError, notFound, statusOf } from './errors.server.ts'
import { MAX_UPLOAD_BYTES } from './csv.ts'
import { refuseNulFields, unreadableForm } from './route-guard.server.ts'

/**
 * What the import pages (inventory, mapping, roster, RACI, UAT) share on the server: reading the
 * upload form within the size limit, picking the file out of it, shortening cells for the
 * preview, and turning a business-rule refusal into the page's form error.
 */

/** The posted form (a multipart upload or a plain form), or the message for a file that is too large. */
export async function readImportForm(request: Request): Promise<{ form: FormData } | { tooLarge: string }> {
  if (!(request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) return { form: await request.formData() }
  let form: FormData
  try {
    // Remix's multipart parser reads the body itself, past the route guard's formData check.
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }))
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) {
      return { tooLarge: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it into smaller files.` }
    }
    // A part without a name, a missing boundary, a body cut short: the body is not a form.
    throw unreadableForm()
  }
  return { form: refuseNulFields(form) }
}

/** The uploaded file of the form's `file` field, or null when none (or an empty one) was chosen. */
export function uploadedFile(form: FormData): File | null {
  const file = form.get('file')
  return !file || typeof file === 'string' || file.size === 0 ? null : file
}

/** A cell as the preview shows it: at most 120 characters. */
export const clipCell = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s)

/** A planned row's field changes, clipped for the preview. */
export function clipChanges<C extends { column: string; from: string; to: string }>(changes: C[]) {
  return changes.map((c) => ({ column: c.column, from: clipCell(c.from), to: clipCell(c.to) }))
}

/** Runs an import step; a business-rule refusal comes back as its message and status, anything else is thrown. */
export async function refusedOr<T>(step: () => Promise<T>): Promise<{ value: T } | { refused: string; status: number }> {
  try {
    return { value: await step() }
  } catch (e) {
    if (!isDomainError(e)) throw e
    return { refused: e.message, status: statusOf(e) }
  }
}

/** What an import page's action answers: a form error, the preview, or both. */
export type ImportActionData<S> = { formError?: string; preview?: S }

/**
 * The whole action of an import page whose preview and apply take only the file and the batch
 * (the RACI, UAT scenarios): `intent=preview` reads the upload and previews it (422 when it has
 * problems), `intent=apply` applies the kept batch — a refusal of the person is the one error
 * path's 403, another business-rule refusal the form's error, a file that no longer fits the
 * data a 422 with its lines — and `done` answers a success.
 */
export async function importAction<P extends { errors: readonly unknown[] }, S>(
  request: Request,
  steps: {
    preview: (file: { name: string; content: Uint8Array }) => Promise<{ batchId: string | null; plan: P } | null>
    apply: (batchId: string) => Promise<{ status: 'applied'; plan: P } | { status: 'invalid'; plan: P } | null>
    summarise: (batchId: string | null, plan: P) => S
    /** "This RACI import does not exist." */
    missing: string
    /** What changed since the preview, as the page says it. */
    changedMeanwhile: string
    done: (plan: P) => Response | Promise<Response>
  },
): Promise<Response> {
  const read = await readImportForm(request)
  if ('tooLarge' in read) return json<ImportActionData<S>>({ formError: read.tooLarge }, { status: 413 })
  const { form } = read
  const intent = form.get('intent')
  if (intent === 'preview') {
    const file = uploadedFile(form)
    if (!file) return json<ImportActionData<S>>({ formError: 'Choose a CSV file to upload.' }, { status: 400 })
    const previewed = await steps.preview({ name: file.name, content: new Uint8Array(await file.arrayBuffer()) })
    if (!previewed) notFound('No such project in this organisation.')
    return json<ImportActionData<S>>({ preview: steps.summarise(previewed.batchId, previewed.plan) }, { status: previewed.plan.errors.length ? 422 : 200 })
  }
  if (intent === 'apply') {
    const batchId = form.get('batchId')
    if (typeof batchId !== 'string' || !batchId) return json<ImportActionData<S>>({ formError: 'Upload a file first.' }, { status: 400 })
    const applied = await refusedOr(() => steps.apply(batchId))
    if ('refused' in applied) {
      // A refusal of the person (403) is the one error path's, as the guard's would be.
      if (applied.status === 403) throw new Response(applied.refused, { status: 403, statusText: 'Forbidden' })
      return json<ImportActionData<S>>({ formError: applied.refused }, { status: applied.status })
    }
    const result = applied.value
    if (!result) notFound(steps.missing)
    if (result.status === 'invalid') {
      return json<ImportActionData<S>>({ formError: `${steps.changedMeanwhile} Nothing was imported: correct the lines below and upload again.`, preview: steps.summarise(null, result.plan) }, { status: 422 })
    }
    return steps.done(result.plan)
  }
  return json<ImportActionData<S>>({ formError: 'Unknown action.' }, { status: 400 })
}
