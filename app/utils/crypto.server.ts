import { createHash, randomBytes } from 'node:crypto'

/** A random URL-safe token (for invitations, password resets, sessions): 160+ bits. */
export function generateToken(bytes = 24) {
  return randomBytes(bytes).toString('base64url')
}

export function sha256(value: string) {
  return createHash('sha256').update(value).digest('hex')
}
