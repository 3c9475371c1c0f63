import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from '@remix-run/node'
import { isDomainError, statusOf } from './errors.server.ts'
import { MAX_UPLOAD_BYTES } from './csv.ts'
import { refuseNulFields, unreadableForm } from './route-guard.server.ts'

/**
 * What the three import pages (inventory, mapping, roster) share on the server: reading the
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
