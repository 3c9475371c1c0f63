import { hash, verify } from '@node-rs/argon2'

// OWASP's argon2id minimum: m=19 MiB, t=2, p=1.
const OPTIONS = { algorithm: 2 /* Argon2id (a const enum upstream) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string) {
  return hash(password.normalize('NFKC'), OPTIONS)
}

export async function verifyPassword(passwordHash: string, password: string) {
  try {
    return await verify(passwordHash, password.normalize('NFKC'))
  } catch {
    return false
  }
}

// Verified against when the email is unknown, so both answers take the same time.
let dummyHash: Promise<string> | undefined
export async function burnPasswordCheck(password: string) {
  dummyHash ??= hashPassword('liaison-timing-equaliser')
  await verifyPassword(await dummyHash, password)
}
