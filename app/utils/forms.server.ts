import type { SubmissionResult } from '@conform-to/react'
import { json } from '@remix-run/node'
import { isDomainError, statusOf } from './errors.server.ts'

type Replyable = { reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]>; hideFields?: string[] }) => SubmissionResult<string[]> }

/**
 * Turns a business-rule error into the form's error (on its field when it names one), with the
 * user's input kept and the status from the one error table. Anything else is rethrown.
 */
export function replyWithError(submission: Replyable, error: unknown, options: { hideFields?: string[] } = {}) {
  if (!isDomainError(error)) throw error
  const result = error.field
    ? submission.reply({ fieldErrors: { [error.field]: [error.message] }, hideFields: options.hideFields })
    : submission.reply({ formErrors: [error.message], hideFields: options.hideFields })
  return json({ result }, { status: statusOf(error) })
}

/** Only same-site paths: never "//evil.example" or absolute URLs. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/') {
  if (!to || typeof to !== 'string') return fallback
  if (!to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  return to
}
