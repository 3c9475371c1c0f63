import nodemailer, { type Transporter } from 'nodemailer'
import { getEnv } from './env.server.ts'

let transport: Transporter | null | undefined

/** The SMTP transport from SMTP_URL, or null when none is configured (development). */
export function getMailTransport(): Transporter | null {
  if (transport !== undefined) return transport
  const url = getEnv().SMTP_URL
  transport = url ? nodemailer.createTransport(url) : null
  return transport
}

export function resetMailTransport() {
  transport?.close()
  transport = undefined
}
