import type { SubmissionResult } from '@conform-to/react'
import { json } from '@remix-run/node'
import { isDomainError, statusOf } from './errors.server.ts'

type Replyable = { reply: (options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]>; hideFields?: string[] }) => SubmissionResult<string[]> }

/**
 * Turns a business-rule error into the form's error (on its field when it names one), with the
 * user's input kept and the status from the one error table. Anything else is rethrown.
 */
export function replyWithError<D extends Record<string, unknown> = Record<string, never>>(
  submission: Replyable,
  error: unknown,
  options: { hideFields?: string[]; data?: D } = {},
) {
  if (!isDomainError(error)) throw error
  const result = error.field
    ? submission.reply({ fieldErrors: { [error.field]: [error.message] }, hideFields: options.hideFields })
    : submission.reply({ formErrors: [error.message], hideFields: options.hideFields })
  return json({ ...(options.data as D), result }, { status: statusOf(error) })
}

/**
 * The same for an action without a conform form: the business rule's message in the shape the
 * page reads (`{ error }` unless `shape` says otherwise), with the status from the one table.
 * Anything that is not a DomainError is rethrown (to the one error path in route-guard).
 */
export function errorReply<D extends Record<string, unknown> = { error: string }>(
  error: unknown,
  shape: (message: string) => D = (message) => ({ error: message }) as unknown as D,
) {
  if (!isDomainError(error)) throw error
  return json(shape(error.message), { status: statusOf(error) })
}

/** Only same-site paths: never "//evil.example" or absolute URLs. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/') {
  if (!to || typeof to !== 'string') return fallback
  if (!to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  return to
}
