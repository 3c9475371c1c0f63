import type { LookupAddress } from 'node:dns'
import net from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { assertSafeUrl, fetchPublicJson, isPublicAddress, safeLookup, UnsafeUrlError } from './safe-fetch.server.ts'

/**
 * The DNS of these tests: names answer what a test puts in `records`, anything else is
 * ENOTFOUND. No query leaves the machine, and a test can play a hostile domain whose name
 * resolves to the server's own network (the check the name filter alone can't do).
 */
const dns = vi.hoisted(() => ({ records: new Map<string, LookupAddress[]>(), asked: [] as string[] }))
vi.mock('node:dns', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns')>()
  const lookup = (hostname: string, _options: unknown, callback: (err: NodeJS.ErrnoException | null, addresses?: LookupAddress[]) => void) => {
    dns.asked.push(hostname)
    const answer = dns.records.get(hostname)
    if (!answer) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }))
    callback(null, answer)
  }
  return { ...real, default: { ...real, lookup }, lookup }
})

beforeEach(() => {
  dns.records.clear()
  dns.asked = []
})

describe('isPublicAddress', () => {
  test.each([
    ['0.0.0.0', 'this network'],
    ['10.0.0.1', 'private 10/8'],
    ['10.255.255.255', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12'],
    ['172.31.255.254', 'private 172.16/12'],
    ['192.168.1.10', 'private 192.168/16'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link local (cloud metadata)'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast / reserved'],
    ['192.0.2.10', 'documentation TEST-NET-1'],
    ['198.51.100.7', 'documentation TEST-NET-2'],
    ['203.0.113.5', 'documentation TEST-NET-3'],
    ['198.18.0.1', 'benchmarking'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback, written out'],
    ['fc00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['fe80::1', 'link local'],
    ['FE80::abcd', 'link local, upper case'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['64:ff9b::a00:1', 'NAT64 of 10.0.0.1'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped 169.254.169.254, hex'],
    ['fe80::1%eth0', 'link local with a zone'],
    ['localhost', 'not an address at all'],
    ['127.1', 'not an address at all'],
    ['', 'empty'],
  ])('%s is not public (%s)', (ip) => {
    expect(isPublicAddress(ip)).toBe(false)
  })

  test.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['93.184.215.14'],
    ['172.15.255.255'],
    ['172.32.0.1'],
    ['100.63.255.255'],
    ['100.128.0.1'],
    ['11.0.0.1'],
    ['2606:4700:4700::1111'],
    ['2001:4860:4860::8888'],
    ['::ffff:8.8.8.8'],
    ['::ffff:808:808'],
  ])('%s is public', (ip) => {
    expect(isPublicAddress(ip)).toBe(true)
  })
})

describe('assertSafeUrl', () => {
  const PRIVATE = /private or local/

  test('accepts a public https address and returns it parsed', () => {
    const url = assertSafeUrl('https://fhir.vendor.example/r4/metadata')
    expect(url.hostname).toBe('fhir.vendor.example')
    expect(url.pathname).toBe('/r4/metadata')
    expect(assertSafeUrl('https://8.8.8.8/metadata').hostname).toBe('8.8.8.8')
  })

  test.each([
    ['http://fhir.vendor.example/r4', /Only https/],
    ['ftp://fhir.vendor.example/r4', /Only https/],
    ['file:///etc/passwd', /Only https/],
    ['https://user:secret@fhir.vendor.example/r4', /credentials/],
    ['https://token@fhir.vendor.example/r4', /credentials/],
    ['not a url', /full address/],
    ['fhir.vendor.example/r4', /full address/],
  ])('refuses %s', (raw, message) => {
    expect(() => assertSafeUrl(raw)).toThrow(UnsafeUrlError)
    expect(() => assertSafeUrl(raw)).toThrow(message)
  })

  test.each([
    'https://localhost/metadata',
    'https://LOCALHOST:8443/metadata',
    'https://localhost./metadata',
    'https://fhir.localhost/metadata',
    'https://printer.local/metadata',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://metadata.google.internal./computeMetadata/v1/',
    'https://127.0.0.1/metadata',
    'https://127.0.0.1:8443/metadata',
    'https://2130706433/metadata', // 127.0.0.1 as one number
    'https://0x7f.1/metadata', // 127.0.0.1 in hex, short form
    'https://10.0.0.5/metadata',
    'https://192.168.0.1/metadata',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.64.1.1/metadata',
    'https://[::1]/metadata',
    'https://[fd00::5]/metadata',
    'https://[fe80::1]/metadata',
    'https://[::ffff:127.0.0.1]/metadata',
    'https://[::ffff:169.254.169.254]/latest/meta-data/',
  ])('refuses the local or private address %s', (raw) => {
    expect(() => assertSafeUrl(raw)).toThrow(UnsafeUrlError)
    expect(() => assertSafeUrl(raw)).toThrow(PRIVATE)
  })
})

describe('safeLookup (the DNS-level guard)', () => {
  function lookUp(hostname: string, options: { all?: boolean } = {}) {
    return new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((resolve) =>
      safeLookup(hostname, options, (err, address, family) => resolve({ err, address, family })),
    )
  }

  test('refuses a name that resolves to loopback, even when a public address comes with it', async () => {
    dns.records.set('rebind.attacker.example', [{ address: '127.0.0.1', family: 4 }])
    dns.records.set('mixed.attacker.example', [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ])
    dns.records.set('v6.attacker.example', [{ address: '::ffff:7f00:1', family: 6 }])

    for (const name of ['rebind.attacker.example', 'mixed.attacker.example', 'v6.attacker.example']) {
      const { err, address } = await lookUp(name, { all: true })
      expect(err).toBeInstanceOf(UnsafeUrlError)
      expect(err).toMatchObject({ code: 'EUNSAFE', message: `${name} resolves to a private or local address` })
      expect(address).toBe('')
    }
  })

  test('passes public answers through in the shape the caller asked for', async () => {
    const answer = [
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]
    dns.records.set('fhir.vendor.example', answer)

    expect(await lookUp('fhir.vendor.example', { all: true })).toEqual({ err: null, address: answer, family: undefined })
    expect(await lookUp('fhir.vendor.example')).toEqual({ err: null, address: '93.184.215.14', family: 4 })
  })

  test('passes a DNS failure on as it is', async () => {
    const { err } = await lookUp('nowhere.example')
    expect(err).toMatchObject({ code: 'ENOTFOUND' })
    expect(err).not.toBeInstanceOf(UnsafeUrlError)
  })
})

describe('fetchPublicJson', () => {
  // A listener on loopback that counts connections: if a guard failed, the request would land here.
  let server: net.Server
  let port: number
  let connections = 0

  beforeAll(async () => {
    server = net.createServer((socket) => {
      connections++
      socket.destroy()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as net.AddressInfo).port
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })
  beforeEach(() => {
    connections = 0
  })

  async function expectRefused(url: string, message: RegExp) {
    const error = await fetchPublicJson(url, { timeoutMs: 2_000 }).then(
      () => {
        throw new Error(`expected ${url} to be refused`)
      },
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UnsafeUrlError)
    expect((error as Error).message).toMatch(message)
  }

  test.each([
    (p: number) => `https://127.0.0.1:${p}/metadata`,
    (p: number) => `https://localhost:${p}/metadata`,
    (p: number) => `https://[::1]:${p}/metadata`,
    (p: number) => `https://[::ffff:127.0.0.1]:${p}/metadata`,
    (p: number) => `https://2130706433:${p}/metadata`,
  ])('refuses a loopback address before connecting (%#)', async (url) => {
    await expectRefused(url(port), /private or local/)
    expect(dns.asked).toEqual([])
    expect(connections).toBe(0)
  })

  test('refuses a harmless-looking name that resolves to loopback, without connecting', async () => {
    dns.records.set('fhir.rebinding.example', [{ address: '127.0.0.1', family: 4 }])
    await expectRefused(`https://fhir.rebinding.example:${port}/r4/metadata`, /fhir\.rebinding\.example resolves to a private or local address/)
    expect(dns.asked).toContain('fhir.rebinding.example')
    expect(connections).toBe(0)
  })

  test('refuses http:// without any lookup', async () => {
    await expectRefused(`http://127.0.0.1:${port}/metadata`, /Only https/)
    await expectRefused(`http://fhir.vendor.example/metadata`, /Only https/)
    expect(dns.asked).toEqual([])
    expect(connections).toBe(0)
  })
})
