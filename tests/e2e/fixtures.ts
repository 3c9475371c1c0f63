/**
 * What the browser tests share: Debian's Chromium through playwright-core, browser contexts
 * that are closed after the test (or the file), axe on every page, the SMTP catcher's mailbox,
 * screenshots for the docs, and what makes a failure debuggable:
 *  - a failed test leaves a screenshot of every open page in tests/e2e/screenshots/;
 *  - an error in the browser (uncaught exception, console.error, CSP violation) fails the test;
 *  - an error logged by the web server or the worker during the test fails it too.
 *
 *   const e2e = useBrowser()                    // in the file, at top level
 *   const page = await e2e.newPage()            // a fresh context (cookie jar) and page
 *   await goto(page, '/login')                  // 200 expected, hydrated
 *   await expectAccessible(page)
 */
import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AxeBuilder } from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, type Response } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest'
import type { CaughtMessage } from '../mocks/smtp-catcher.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const failureDir = join(root, 'tests', 'e2e', 'screenshots')
const docsDir = join(root, 'docs', 'screenshots')

export const app = inject('e2e')
export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Browser console lines that are not errors of the page: the HTTP status of a response we assert on. */
const EXPECTED_CONSOLE = [/^Failed to load resource: the server responded with a status of 4\d\d/]

export type E2E = {
  readonly browser: Browser
  /**
   * A new browser context (its own cookies: one "person") and a page in it. Closed after the
   * test, or after the file with `{ keep: true }` (a story whose steps are several tests).
   */
  newPage(options?: BrowserContextOptions & { keep?: boolean }): Promise<Page>
}

export function useBrowser(): E2E {
  let browser: Browser | undefined
  const testContexts = new Set<BrowserContext>()
  const fileContexts = new Set<BrowserContext>()
  let problems: string[] = []
  let logOffsets: Record<string, number> = {}

  const watch = (page: Page) => {
    page.on('pageerror', (e) => problems.push(`uncaught exception in the page (${page.url()}): ${e.stack ?? e.message}`))
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return
      const text = msg.text()
      if (EXPECTED_CONSOLE.some((re) => re.test(text))) return
      problems.push(`console.error in the page (${page.url()}): ${text}`)
    })
  }

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: LAUNCH_ARGS })
  })

  afterAll(async () => {
    for (const c of fileContexts) await c.close().catch(() => {})
    fileContexts.clear()
    await browser?.close()
  })

  beforeEach(() => {
    problems = []
    logOffsets = Object.fromEntries([app.serverLog, app.workerLog].map((f) => [f, sizeOf(f)]))
  })

  afterEach(async ({ task }) => {
    try {
      if (task.result?.state === 'fail') await saveFailureScreenshots(task.name, [...fileContexts, ...testContexts])
    } finally {
      for (const c of testContexts) await c.close().catch(() => {})
      testContexts.clear()
    }
    const serverErrors = [app.serverLog, app.workerLog].flatMap((f) => errorLogLines(f, logOffsets[f] ?? 0))
    const all = [...problems, ...serverErrors]
    problems = []
    if (all.length) throw new Error(`Errors during this test:\n${all.map((p) => `  • ${p}`).join('\n')}`)
  })

  return {
    get browser() {
      if (!browser) throw new Error('useBrowser(): the browser starts in beforeAll; use it inside a test')
      return browser
    },
    async newPage({ keep, ...options } = {}) {
      if (!browser) throw new Error('useBrowser(): the browser starts in beforeAll; use it inside a test')
      const context = await browser.newContext({ baseURL: app.baseURL, viewport: DESKTOP, locale: 'en-GB', ...options })
      context.setDefaultTimeout(15_000)
      context.setDefaultNavigationTimeout(30_000)
      context.on('page', watch)
      ;(keep ? fileContexts : testContexts).add(context)
      return context.newPage()
    },
  }
}

function sizeOf(file: string) {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/** Lines at level error (50) or fatal (60) that a log (pino JSON) gained since `offset`. */
function errorLogLines(file: string, offset: number) {
  let text: string
  try {
    text = readFileSync(file).subarray(offset).toString('utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .filter((line) => {
      if (!line.trim()) return false
      try {
        return (JSON.parse(line) as { level?: number }).level! >= 50
      } catch {
        return /error/i.test(line) // not JSON: a crash trace, say
      }
    })
    .map((line) => `${basename(file)}: ${line}`)
}

async function saveFailureScreenshots(testName: string, contexts: BrowserContext[]) {
  mkdirSync(failureDir, { recursive: true })
  const slug = testName.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 80)
  let n = 0
  for (const context of contexts) {
    for (const page of context.pages()) {
      const file = join(failureDir, `${slug}-${++n}.png`)
      try {
        await page.screenshot({ path: file, fullPage: true, timeout: 5_000 })
        process.stderr.write(`e2e: failure screenshot of ${page.url()}: ${file}\n`)
      } catch (e) {
        process.stderr.write(`e2e: could not screenshot ${page.url()}: ${(e as Error).message}\n`)
      }
    }
  }
}

// ─── Navigation ─────────────────────────────────────────────────────────────

/**
 * Resolves when React has hydrated the document and run its effects (the page's forms and links
 * are live): app/root.tsx marks <html data-hydrated> in an effect of the outermost component.
 * NOTE: React's fiber keys on <body> appear during hydration's render phase, before the commit:
 * a click then could land on a form whose handlers and state were not settled (a flaky test).
 */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true')
}

/** Opens a path as a new document; expects `status` (200) and waits for hydration. */
export async function goto(page: Page, path: string, status = 200): Promise<Response> {
  const response = await page.goto(path)
  if (!response) throw new Error(`no response for ${path}`)
  expect(response.status(), `HTTP status of ${path}`).toBe(status)
  await waitForHydration(page)
  return response
}

/** The path (and query) the page is at. */
export function pathOf(page: Page) {
  const u = new URL(page.url())
  return `${u.pathname}${u.search}`
}

// ─── Accessibility ──────────────────────────────────────────────────────────

/**
 * Runs axe on the page as it is now; fails on any violation of impact serious or critical,
 * naming each rule, where it is on the page and how to fix it.
 */
export async function expectAccessible(page: Page, what = pathOf(page)) {
  // A sandboxed frame without allow-scripts (the email preview) can't host axe: injecting it
  // only times out and floods the console. Such a frame's document is checked on its own.
  const results = await new AxeBuilder({ page }).exclude('iframe[sandbox]:not([sandbox~="allow-scripts"])').analyze()
  if (process.env.E2E_AXE_REPORT) {
    // E2E_AXE_REPORT=<file>: every violation, whatever its impact, appended for review.
    const lines = results.violations.map((v) => `${what}\t${v.impact}\t${v.id}\t${v.nodes.length}\t${v.nodes[0]?.target.join(' ')}\t${v.help}`)
    if (lines.length) appendFileSync(process.env.E2E_AXE_REPORT, `${lines.join('\n')}\n`)
  }
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  if (!bad.length) return
  const report = bad
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      at ${n.target.join(' ')}\n         ${n.html.slice(0, 200)}\n         ${n.failureSummary?.replace(/\n/g, '\n         ') ?? ''}`)
        .join('\n')
      const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : ''
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`
    })
    .join('\n')
  throw new Error(`Accessibility: ${bad.length} serious or critical axe violation(s) on ${what}:\n${report}`)
}

// ─── Email ──────────────────────────────────────────────────────────────────

/** Waits for an email the worker delivered to the SMTP catcher (what the recipient would get). */
export async function waitForEmail(match: { to: string; subject?: RegExp }, timeoutMs = 30_000): Promise<CaughtMessage> {
  const to = match.to.toLowerCase()
  const until = Date.now() + timeoutMs
  let seen: CaughtMessage[] = []
  for (;;) {
    seen = (await (await fetch(`${app.mailboxURL}/messages`)).json()) as CaughtMessage[]
    const found = seen.find((m) => m.recipients.includes(to) && (!match.subject || match.subject.test(m.subject)))
    if (found) return found
    if (Date.now() > until) {
      const caught = seen.map((m) => `${m.to} "${m.subject}"`).join('; ') || 'none'
      throw new Error(`No email to ${to}${match.subject ? ` with a subject matching ${match.subject}` : ''} within ${timeoutMs} ms (caught: ${caught})`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** The first link to this app in an email's text and HTML whose path matches `pathPattern`. */
export function linkIn(message: CaughtMessage, pathPattern: RegExp) {
  const escaped = app.baseURL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  for (const body of [message.text, message.html]) {
    for (const m of body.matchAll(new RegExp(`${escaped}[^\\s"'<>)]+`, 'g'))) {
      const url = m[0].replace(/&amp;/g, '&')
      if (pathPattern.test(new URL(url).pathname + new URL(url).search)) return url
    }
  }
  throw new Error(`No link matching ${pathPattern} in the email "${message.subject}":\n${message.text}`)
}

// ─── Docs ───────────────────────────────────────────────────────────────────

/** Saves the viewport (1280×800 unless the page was resized) to docs/screenshots/<name>.png. */
export async function docScreenshot(page: Page, name: string) {
  mkdirSync(docsDir, { recursive: true })
  // No caret or half-finished transitions in the docs.
  await page.screenshot({ path: join(docsDir, `${name}.png`), animations: 'disabled', caret: 'hide' })
}

// ─── People ─────────────────────────────────────────────────────────────────

/** Signs in through the login form; resolves once the app has left /login. */
export async function signIn(page: Page, email: string, password: string) {
  await goto(page, '/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => url.pathname !== '/login')
  await waitForHydration(page)
}

/** The main navigation's link names, in order. */
export async function navLinks(page: Page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts()
}

/** Waits (up to the context's timeout) until the locator shows exactly one visible element. */
export async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible' })
  return locator
}

/**
 * The navigation offers only what the user may open: every link in it answers 200 to them
 * (fetched with the page's cookies), and none of `absent` is there.
 */
export async function expectNavFor(page: Page, { present = [], absent = [] }: { present?: string[]; absent?: string[] }) {
  const links = await navLinks(page)
  for (const name of present) expect(links, `"${name}" in the navigation`).toContain(name)
  for (const name of absent) expect(links, `"${name}" in the navigation`).not.toContain(name)
  const hrefs = await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link')
    .evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''))
  for (const href of hrefs) {
    const res = await page.context().request.get(href, { maxRedirects: 0 })
    expect(res.status(), `GET ${href} (a link in the navigation)`).toBe(200)
  }
  return links
}
