import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import https from 'node:https'
import { isIP } from 'node:net'

/**
 * Fetches a document from a user-supplied https URL without letting the server be used against
 * its own network (SSRF): the host must resolve only to public addresses, checked inside the
 * connection's own DNS lookup (so a rebinding DNS can't swap the address after the check),
 * with a timeout, a size limit and at most 3 redirects, each checked the same way.
 */

export class UnsafeUrlError extends Error {}

const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
]

function v4ToInt(ip: string) {
  return ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0
}

export function isPublicAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const n = v4ToInt(ip)
    return !BLOCKED_V4.some(([base, bits]) => (n >>> (32 - bits)) === (v4ToInt(base) >>> (32 - bits)))
  }
  if (isIP(ip) === 6) {
    // NOTE: the URL parser writes an IPv4-mapped address in hex (https://[::ffff:127.0.0.1]/ has
    // the hostname [::ffff:7f00:1]), and Node connects to a literal without calling our lookup:
    // canonicalise first, so every spelling of one address gets the same answer.
    let canonical: string
    try {
      canonical = new URL(`http://[${ip}]`).hostname.slice(1, -1)
    } catch {
      return false // a zone id (fe80::1%eth0) or anything else the URL parser refuses
    }
    const mapped = canonical.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/)
    if (mapped) {
      const hi = parseInt(mapped[1]!, 16)
      const lo = parseInt(mapped[2]!, 16)
      return isPublicAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`)
    }
    // Only 2000::/3 is global unicast (this excludes ::, ::1, fc00::/7 unique local, fe80::/10
    // link local, ff00::/8 multicast, 64:ff9b::/96 NAT64); within it, 2001:db8::/32 is documentation.
    return /^[23][0-9a-f]{3}:/.test(canonical) && !/^2001:db8:/.test(canonical)
  }
  return false
}

export function assertSafeUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UnsafeUrlError('Enter a full address, e.g. https://fhir.vendor.example/r4')
  }
  if (url.protocol !== 'https:') throw new UnsafeUrlError('Only https:// addresses can be fetched.')
  if (url.username || url.password) throw new UnsafeUrlError('Addresses with credentials are not fetched.')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host) && !isPublicAddress(host)) throw new UnsafeUrlError('That address is private or local: Liaison only fetches from public servers.')
  if (/^(localhost|.*\.localhost|.*\.local|.*\.internal)\.?$/i.test(host)) {
    throw new UnsafeUrlError('That address is private or local: Liaison only fetches from public servers.')
  }
  return url
}

/** The `lookup` of every connection: refuses a name with any non-public address. Exported for its test. */
export function safeLookup(hostname: string, options: object, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '')
    const list = addresses as LookupAddress[]
    const bad = list.find((a) => !isPublicAddress(a.address))
    if (bad || !list.length) {
      return callback(Object.assign(new UnsafeUrlError(`${hostname} resolves to a private or local address`), { code: 'EUNSAFE' }), '')
    }
    if ((options as { all?: boolean }).all) return callback(null, list)
    callback(null, list[0]!.address, list[0]!.family)
  })
}

export async function fetchPublicJson(raw: string, opts: { maxBytes?: number; timeoutMs?: number; redirects?: number } = {}): Promise<string> {
  const { maxBytes = 5 * 1024 * 1024, timeoutMs = 10_000, redirects = 3 } = opts
  const url = assertSafeUrl(raw)
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      { lookup: safeLookup as never, headers: { Accept: 'application/fhir+json, application/json;q=0.9' }, timeout: timeoutMs },
      (res) => {
        const status = res.statusCode ?? 0
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume()
          if (redirects <= 0) return reject(new UnsafeUrlError('Too many redirects.'))
          return resolve(fetchPublicJson(new URL(res.headers.location, url).toString(), { maxBytes, timeoutMs, redirects: redirects - 1 }))
        }
        if (status !== 200) {
          res.resume()
          return reject(new Error(`The server answered HTTP ${status}.`))
        }
        let size = 0
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > maxBytes) {
            req.destroy(new Error(`The document is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`))
            return
          }
          chunks.push(chunk)
        })
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`No answer within ${timeoutMs / 1000} s.`)))
    req.on('error', (e) => reject(e instanceof UnsafeUrlError || (e as NodeJS.ErrnoException).code === 'EUNSAFE' ? new UnsafeUrlError(e.message) : e))
  })
}
