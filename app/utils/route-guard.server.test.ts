import { PrismaPg } from '@prisma/adapter-pg'
import { describe, expect, test } from 'vitest'
import { PrismaClient } from '#app/generated/prisma/client.ts'
import { DomainError } from './errors.server.ts'
import { readImportForm } from './import-upload.server.ts'
import { guardDataFunction, guardRouteModule, toHttpError, unavailableService } from './route-guard.server.ts'

const args = (request: Request) => ({ request, params: {}, context: {} })
const post = (body: BodyInit | null, type?: string) =>
  new Request('http://x/o/a/systems', { method: 'POST', body, headers: type ? { 'content-type': type } : {} })

async function thrownBy(p: Promise<unknown>): Promise<Response> {
  const e = await p.then(
    () => {
      throw new Error('expected a thrown Response')
    },
    (e: unknown) => e,
  )
  expect(e).toBeInstanceOf(Response)
  return e as Response
}

describe('the one error path', () => {
  const echo = guardDataFunction(async ({ request }) => Object.fromEntries(await request.formData()), 'action')

  test('a body that is not form data is 415, whatever the action would have done', async () => {
    for (const [body, type] of [
      ['{"a":1}', 'application/json'],
      ['hello', 'text/plain'],
      ['<a/>', 'application/xml'],
      ['x', undefined],
    ] as const) {
      const res = await thrownBy(echo(args(post(body, type))))
      expect(res.status, `${type}`).toBe(415)
      expect(await res.text()).toMatch(/form/)
    }
  })

  test('a broken multipart body is 400 with a message, not a TypeError', async () => {
    const res = await thrownBy(echo(args(post('--nope\r\ngarbage', 'multipart/form-data; boundary=zzz'))))
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/not valid form data/)
  })

  test('a NUL byte in a field or in the address is 400; a clean form goes through', async () => {
    expect((await thrownBy(echo(args(post('systemId=ab%00c', 'application/x-www-form-urlencoded'))))).status).toBe(400)
    const loader = guardDataFunction(async (_: unknown) => 'ok', 'loader')
    expect((await thrownBy(loader(args(new Request('http://x/o/a/systems?q=%00'))))).status).toBe(400)
    expect(await echo(args(post('name=Lab', 'application/x-www-form-urlencoded')))).toEqual({ name: 'Lab' })
  })

  test('the upload reader (which parses multipart itself) answers a nameless part and a NUL field with 400 too', async () => {
    const nameless = new FormData()
    nameless.append('', 'Systems')
    nameless.append('file', new Blob(['name\n']), 'x.csv')
    const upload = guardDataFunction(async ({ request }) => readImportForm(request), 'action')
    expect((await thrownBy(upload(args(new Request('http://x/', { method: 'POST', body: nameless }))))).status).toBe(400)
    const nul = new FormData()
    nul.append('intent', 'pre\u0000view')
    expect((await thrownBy(upload(args(new Request('http://x/', { method: 'POST', body: nul }))))).status).toBe(400)
    const fine = new FormData()
    fine.append('intent', 'preview')
    expect(((await upload(args(new Request('http://x/', { method: 'POST', body: fine })))) as { form: FormData }).form.get('intent')).toBe('preview')
  })

  test('a route may name other body types it reads itself', async () => {
    const mod = guardRouteModule({ bodyTypes: ['application/json'], action: async ({ request }: { request: Request }) => request.json() })
    expect(await (mod.action as (a: unknown) => Promise<unknown>)(args(post('{"a":1}', 'application/json')))).toEqual({ a: 1 })
  })

  test('a DomainError escaping a loader is its status from the one table, with its message', async () => {
    const cases = [
      ['CONFLICT', 409],
      ['RULE_VIOLATION', 422],
      ['FORBIDDEN', 403],
      ['NOT_FOUND', 404],
      ['RATE_LIMITED', 429],
    ] as const
    for (const [code, status] of cases) {
      const loader = guardDataFunction(async (_: unknown) => {
        throw new DomainError(code, `because ${code}`)
      }, 'loader')
      const res = await thrownBy(loader(args(new Request('http://x/'))))
      expect(res.status).toBe(status)
      expect(await res.text()).toBe(`because ${code}`)
    }
  })

  test('other errors stay errors (a 500 that is logged), Responses pass through', async () => {
    const boom = new Error('bug')
    expect(toHttpError(boom, new Request('http://x/'))).toBe(boom)
    const redirect = new Response(null, { status: 302 })
    expect(toHttpError(redirect, new Request('http://x/'))).toBe(redirect)
  })

  test('the database unreachable is 503 with the request id as reference and no host in it', async () => {
    const down = new PrismaClient({ adapter: new PrismaPg({ connectionString: 'postgresql://postgres@127.0.0.1:1/nowhere', connectionTimeoutMillis: 500 }) })
    const error = await down.user.findFirst().catch((e: unknown) => e)
    await down.$disconnect()
    expect(unavailableService(error)).toBe('database')
    const loader = guardDataFunction(async (_: unknown) => {
      throw error
    }, 'loader')
    const res = await thrownBy(loader(args(new Request('http://x/', { headers: { 'x-request-id': 'req-12345678' } }))))
    expect(res.status).toBe(503)
    const text = await res.text()
    expect(text).toMatch(/Reference: req-12345678/)
    expect(text).not.toMatch(/127\.0\.0\.1|nowhere|:1\b/)
    expect(unavailableService(new Error('unrelated'))).toBeNull()
  })
})
