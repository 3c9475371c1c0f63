import { z } from 'zod'
import { FUNCTIONS, ROLES } from '#app/models/people/vocabulary.ts'

// Field schemas shared by the server and the browser (conform validates with both).

export const PASSWORD_MIN = 12
export const PASSWORD_MAX = 256

/** Length is counted in Unicode code points; any character is allowed (NIST 800-63B). */
export const PasswordSchema = z
  .string({ required_error: 'Enter a password' })
  .refine((p) => [...p].length >= PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .refine((p) => [...p].length <= PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`)

export const EmailSchema = z
  .string({ required_error: 'Enter an email address' })
  .trim()
  .max(254)
  .email('Enter a valid email address')
  .transform((e) => e.toLowerCase())

export const NameSchema = z.string({ required_error: 'Enter a name' }).trim().min(1, 'Enter a name').max(120)

export const RoleSchema = z.enum(ROLES, { required_error: 'Choose a role' })
export const FunctionSchema = z.enum(FUNCTIONS, { required_error: 'Choose a function' })
export const UnitSchema = z
  .string()
  .trim()
  .max(120)
  .optional()
  .transform((u) => (u ? u : undefined))

/** Optional free text of at most `max` characters; empty is "not given" (undefined). */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .optional()
    .transform((v) => (v ? v : undefined))

/** One of a vocabulary's values (its keys), with one message for missing and wrong. */
export const enumOf = <T extends Record<string, unknown>>(map: T, message: string) =>
  z.enum(Object.keys(map) as [keyof T & string, ...(keyof T & string)[]], { required_error: message, invalid_type_error: message, message })
