/**
 * Shared pieces of the browser tests: the real `donghanh` process (started with tsx, stopped
 * by pid), Chromium through playwright-core (the one global-setup.ts found: CHROMIUM_PATH, a
 * system Chromium, or the npm one), screenshots, TOTP codes, and the small page helpers every
 * flow uses.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ParsedMail, simpleParser } from 'mailparser'
import pg from 'pg'
import { authenticator } from 'otplib'
import { type BrowserContext, chromium, type Locator, type Page, type Response } from 'playwright-core'
import { SMTPServer } from 'smtp-server'
import { expect, inject, it } from 'vitest'
import { freePort, runningEmbeddedUrl } from '../../src/db/embedded.ts'
import type { DemoManifest } from '../../src/modules/demo/seed-demo.ts'
import { type ChromiumChoice, resolveChromium } from './global-setup.ts'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }
const TSX = path.join(ROOT, 'node_modules/.bin/tsx')

// --- small helpers ----------------------------------------------------------------------

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** PIDs of processes whose command line mentions `dir` (the embedded PostgreSQL). */
export async function processesUsing(dir: string): Promise<number[]> {
  const found: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ')
      if (cmdline.includes(dir)) found.push(Number(entry))
    } catch {
      // the process ended while we looked
    }
  }
  return found
}

/**
 * TOTP codes as an authenticator app would give them, one per 30-second step at most: the
 * server refuses a code of a step it has already accepted (replay protection) but accepts
 * the next step's code (±1 step of clock skew), so a second sign-in within the same step
 * uses the next step's code instead of sleeping.
 */
const lastStepOf = new Map<string, number>()
export function totpCode(secret: string): string {
  const current = Math.floor(Date.now() / 30_000)
  const last = lastStepOf.get(secret)
  const step = last === undefined ? current : Math.max(current, last + 1)
  lastStepOf.set(secret, step)
  return step === current ? authenticator.generate(secret) : authenticator.clone({ epoch: step * 30_000 }).generate(secret)
}

// --- the server under test --------------------------------------------------------------

/** The environment of a `donghanh` child: always the embedded server of DATA_DIR, never DATABASE_URL. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...inherited } = process.env
  return { ...inherited, ...env }
}

/** Runs a one-shot `donghanh` command (`tsx src/main.ts …`) to its end; rejects on a non-zero exit. */
export function runDonghanh(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      TSX,
      ['src/main.ts', ...args],
      { cwd: ROOT, env: childEnv(env), timeout: timeoutMs, killSignal: 'SIGTERM' },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`donghanh ${args.join(' ')} failed: ${error.message}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`))
        else resolve(stdout)
      },
    )
  })
}

export interface Server {
  child: ChildProcess
  baseUrl: string
  /** The first group of `ready.pattern` in what the server printed. */
  printed: string
  output: () => string
}

/**
 * Starts `tsx src/main.ts serve` (what `npx tsx src/main.ts serve` runs) and waits for
 * `ready.pattern` on its stdout. tsx is started directly, not through npx: `npm exec` runs
 * the bin under `sh -c`, and that shell dies on SIGTERM without passing it on, which would
 * leave the server and its PostgreSQL running. tsx relays SIGTERM to the server and exits with it.
 */
export async function startServer(env: Record<string, string>, ready: { what: string; pattern: RegExp }): Promise<Server> {
  const child = spawn(TSX, ['src/main.ts', 'serve'], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    stdout += s
  })
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s
  })
  const output = () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`
  let exited: number | string | null | undefined
  child.once('exit', (code, signal) => {
    exited = code ?? signal
  })
  const printed = await waitFor(
    `${ready.what} on stdout of \`donghanh serve\``,
    () => {
      if (exited !== undefined) throw new Error(`donghanh serve exited (${exited}) before printing ${ready.what}\n${output()}`)
      return ready.pattern.exec(stdout)?.[1]
    },
    90_000,
  ).catch((e: Error) => {
    child.kill('SIGTERM')
    throw new Error(`${e.message}\n${output()}`)
  })
  return { child, baseUrl: env.PUBLIC_URL as string, printed, output }
}

/** SIGTERM to the child, then waits for it to exit (it stops its PostgreSQL first). */
export async function stopServer(server: Server): Promise<number | string | null> {
  const { child } = server
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  try {
    return await exited
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Stops the server by pid and checks that it logged its shutdown and that nothing started
 * from `work` (its embedded PostgreSQL) lingers; kills what does. Returns the problems seen.
 */
export async function stopServerAndCheck(server: Server | undefined, work: string | undefined): Promise<string[]> {
  const problems: string[] = []
  if (server) {
    const code = await stopServer(server)
    if (code !== 0) problems.push(`donghanh serve did not stop cleanly on SIGTERM (exit ${code})`)
    else if (!server.output().includes('SIGTERM: đang dừng')) problems.push('donghanh serve did not log its SIGTERM shutdown')
  }
  if (work) {
    // The server stops its embedded PostgreSQL before it exits: nothing from the temp dir may linger.
    const lingering = await waitFor(
      'the embedded PostgreSQL to be gone',
      async () => {
        const pids = await processesUsing(work)
        return pids.length === 0 ? [] : undefined
      },
      10_000,
    ).catch(async () => processesUsing(work))
    if (lingering.length > 0) {
      problems.push(`processes of ${work} still running after the server exited: ${lingering.join(', ')}`)
      for (const pid of lingering) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    }
  }
  return problems
}

// --- the browser ------------------------------------------------------------------------

let chromiumChoice: Promise<ChromiumChoice> | undefined

/**
 * The browser of this run: the one the `browser` project's globalSetup found, or (a file run
 * under another config) found here the same way. Fails early, saying to set CHROMIUM_PATH,
 * when there is none.
 */
export function requireChromium(): Promise<ChromiumChoice> {
  chromiumChoice ??= Promise.resolve(inject('chromium') ?? resolveChromium())
  return chromiumChoice
}

/** Chromium, headless, with its profile in `profileDir` (its own cookies). */
export async function launchBrowser(profileDir: string): Promise<BrowserContext> {
  const browser = await requireChromium()
  return chromium.launchPersistentContext(profileDir, {
    executablePath: browser.executablePath,
    env: { ...process.env, ...browser.env } as Record<string, string>,
    headless: true,
    viewport: DESKTOP,
    locale: 'vi-VN',
    // A profile folder of its own comes from launchPersistentContext (--user-data-dir here is refused).
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** The bits of the browser's DOM used in `page.evaluate` (the project compiles without lib.dom). */
export interface Dom {
  documentElement: { scrollWidth: number; clientWidth: number }
  querySelectorAll(
    selector: string,
  ): Iterable<{ type: string; name: string; labels: { length: number } | null; getAttribute(name: string): string | null }>
  fonts: Iterable<{ family: string; weight: string; status: string; unicodeRange: string }> & { ready: Promise<unknown> }
}

/** The page does not scroll sideways at its current width (a phone layout that fits). */
export async function expectNoHorizontalOverflow(page: Page, label: string): Promise<void> {
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: Dom }).document.documentElement
    return root.scrollWidth - root.clientWidth
  })
  expect(overflow, `horizontal overflow on ${label} at ${page.viewportSize()?.width ?? '?'} px`).toBeLessThanOrEqual(0)
}

/** Saves a full-page screenshot at desktop width, and at phone width when asked. */
export type Shot = (page: Page, name: string, opts?: { phone?: boolean }) => Promise<void>

/** A `shot` numbering its screenshots `NN-name.png` in `dir`. */
export function screenshots(dir: string): Shot {
  let shotNo = 0
  return async (page, name, opts = {}) => {
    shotNo += 1
    const nn = String(shotNo).padStart(2, '0')
    await page.screenshot({ path: path.join(dir, `${nn}-${name}.png`), fullPage: true })
    if (opts.phone) {
      await page.setViewportSize(PHONE)
      await page.screenshot({ path: path.join(dir, `${nn}-${name}-phone.png`), fullPage: true })
      // The layout must not overflow sideways on a phone.
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: Dom }).document.documentElement
        return root.scrollWidth - root.clientWidth
      })
      expect(overflow, `horizontal overflow on ${name} at phone width`).toBeLessThanOrEqual(0)
      await page.setViewportSize(DESKTOP)
    }
  }
}

/** Runs `act` (a click, a goto) and returns the main-frame response it navigated to. */
export async function navigate(page: Page, act: () => Promise<unknown>): Promise<Response> {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), act()])
  if (!response) throw new Error(`no response for the navigation to ${page.url()}`)
  return response
}

/** The text of `locator` as rendered, the way a reader sees it (not textContent). */
export function seen(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text, which is what is asserted.
  return locator.innerText()
}

export async function heading(page: Page): Promise<string> {
  return (await seen(page.locator('h1'))).trim()
}

/** Every visible input, select and textarea of the page's forms has a label. */
export async function expectLabelledFields(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(() =>
    [...(globalThis as unknown as { document: Dom }).document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden')
      // aria-labelledby names a field by visible text elsewhere (the commune picker's search box).
      .filter((el) => (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.name),
  )
  expect(unlabelled, `fields without a label on ${page.url()}`).toEqual([])
}

/** What axe-core reports of one violated rule (the part the message shows). */
interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown[]; failureSummary?: string }[]
}

let axeSource: Promise<string> | undefined

/**
 * axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page as it is now; fails on every
 * violation of impact serious or critical, listing rule, elements and what to fix. The source
 * is evaluated in the page through the DevTools protocol, not added as a `<script>`: the
 * product's CSP (`script-src 'self'`) rightly refuses inline scripts, and the page under test
 * keeps its real CSP. Moderate and minor findings are not failures (they are not blockers for
 * a reader; axe itself ranks them so).
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  const source = await axeSource
  await page.evaluate(source)
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }))
  })
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  const report = blocking
    .map(
      (v) =>
        `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 8)
          .map((n) => `    ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`)
          .join('\n')}${v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : ''}`,
    )
    .join('\n')
  expect(
    blocking.map((v) => v.id),
    `accessibility of ${label} (${page.url()}):\n${report}`,
  ).toEqual([])
}

/** The self-hosted Be Vietnam Pro, Vietnamese subset, was loaded and used for the page. */
export async function expectVietnameseFont(page: Page): Promise<void> {
  const faces = await page.evaluate(async () => {
    const { fonts } = (globalThis as unknown as { document: Dom }).document
    await fonts.ready
    return [...fonts].filter((f) => f.status === 'loaded').map((f) => `${f.family} ${f.weight} ${f.unicodeRange}`)
  })
  // The Vietnamese subset is the face whose range covers U+1EA0-1EF9 (ạ … ỹ).
  expect(
    faces.some((f) => f.includes('Be Vietnam Pro') && f.includes('U+1EA0-1EF9')),
    `loaded faces: ${faces.join('; ')}`,
  ).toBe(true)
}

export async function submitButton(page: Page, formAction: string): Promise<Response> {
  return navigate(page, () => page.locator(`main form[action="${formAction}"] button[type="submit"]`).click())
}

export async function signOut(page: Page): Promise<void> {
  const res = await navigate(page, () => page.locator('header form[action="/console/sign-out"] button').click())
  expect(res.status()).toBe(200)
  expect(new URL(page.url()).pathname).toBe('/console/sign-in')
}

/** Signs in on the sign-in page (password, then TOTP) and lands on the dashboard. */
export async function signIn(
  page: Page,
  shot: Shot,
  who: string,
  user: { email: string; password: string },
  secret: string,
): Promise<void> {
  await page.getByLabel('Thư điện tử').fill(user.email)
  await page.getByLabel('Mật khẩu', { exact: true }).fill(user.password)
  const res = await submitButton(page, '/console/sign-in')
  expect(res.status()).toBe(200)
  expect(new URL(page.url()).pathname).toBe('/console/totp/verify')
  expect(await heading(page)).toBe('Xác thực hai lớp')
  await expectLabelledFields(page)
  await shot(page, `${who}-totp-verify`)
  await page.getByLabel('Mã 6 số hoặc mã khôi phục').fill(totpCode(secret))
  const verified = await submitButton(page, '/console/totp/verify')
  expect(verified.status()).toBe(200)
  expect(new URL(page.url()).pathname).toBe('/console')
}

/** What `donghanh serve` prints once it listens: its public address. */
export const LISTENING = { what: 'the public URL', pattern: /^Đồng Hành: (http:\/\/\S+)/m }

/**
 * Starts a flow: a Chromium must be found, the screenshot folder is emptied, and a temp working
 * folder is made that the `postgres` user can enter (as root the embedded server runs as it).
 */
export async function prepareRun(shotsDir: string, prefix: string): Promise<string> {
  await requireChromium()
  await rm(shotsDir, { recursive: true, force: true })
  await mkdir(shotsDir, { recursive: true })
  const work = await mkdtemp(path.join(tmpdir(), prefix))
  await chmod(work, 0o755)
  return work
}

/** A flow on the demo newsroom: `seed-demo`, then `donghanh serve`, then browsers. */
export interface DemoRun {
  work: string
  server: Server
  manifest: DemoManifest
  /** One browser (own cookies) per name asked. */
  browsers: BrowserContext[]
}

/**
 * Prepares a flow ({@link prepareRun}), seeds the demo data into a fresh data folder, starts
 * `donghanh serve` on a free port (NODE_ENV=test, plus `env`) and launches `browsers` Chromium
 * profiles (one by default).
 */
export async function startDemoRun(
  shotsDir: string,
  prefix: string,
  o: { browsers?: number; env?: Record<string, string> } = {},
): Promise<DemoRun> {
  const browsers = o.browsers ?? 1
  const work = await prepareRun(shotsDir, prefix)
  const port = await freePort()
  const env = {
    DATA_DIR: path.join(work, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    NODE_ENV: 'test',
    ...o.env,
  }
  // Demo users first (same data folder), then the server.
  const manifestPath = path.join(work, 'm.json')
  let server: Server | undefined
  const contexts: BrowserContext[] = []
  try {
    await runDonghanh(['seed-demo', '--manifest', manifestPath], env)
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as DemoManifest
    server = await startServer(env, LISTENING)
    for (let i = 0; i < browsers; i++) contexts.push(await launchBrowser(path.join(work, `chromium-${i}`)))
    return { work, server, manifest, browsers: contexts }
  } catch (e) {
    // The caller gets no run to stop: what was started is stopped here and the folder removed.
    for (const context of contexts) await context.close().catch(() => undefined)
    await stopServerAndCheck(server, work).catch(() => undefined)
    await rm(work, { recursive: true, force: true })
    throw e
  }
}

/**
 * Ends a flow: browsers closed, the server stopped by pid, nothing left running in the work
 * folder, the folder removed; then throws with everything that went wrong (and the server's output).
 */
export async function stopDemoRun(run: DemoRun | undefined): Promise<void> {
  if (!run) return
  const problems: string[] = []
  for (const context of run.browsers) await context.close().catch((e: Error) => problems.push(`closing the browser: ${e.message}`))
  problems.push(...(await stopServerAndCheck(run.server, run.work)))
  await rm(run.work, { recursive: true, force: true })
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${run.server.output()}`)
}

/**
 * Runs one read on the database of a running flow (the embedded server of its data folder,
 * reached through the runtime record the server keeps beside it: port and password), to
 * check what the product stored.
 */
export async function queryRun<T>(run: DemoRun, text: string): Promise<T[]> {
  const serverUrl = runningEmbeddedUrl(path.join(run.work, 'data', 'postgres'))
  if (!serverUrl) throw new Error(`no running embedded PostgreSQL in ${run.work}/data\n${run.server.output()}`)
  const url = new URL(serverUrl)
  url.pathname = '/donghanh'
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    return (await client.query(text)).rows as T[]
  } finally {
    await client.end()
  }
}

/** A demo user of the manifest, with what signing in needs. */
export function demoUser(manifest: DemoManifest, role: string): { email: string; password: string; secret: string; name: string } {
  const u = manifest.users.find((x) => x.role === role)
  if (!u?.totpSecret) throw new Error(`no demo ${role} with TOTP in the manifest`)
  return { email: u.email, password: u.password, secret: u.totpSecret, name: u.name }
}

/** A real SMTP server on loopback that parses every message. */
export interface TestSmtp {
  port: number
  close(): Promise<void>
}

/** Starts the SMTP server; `onMail` gets each parsed message with its envelope recipients. */
export async function startSmtp(onMail: (mail: ParsedMail, to: string[]) => void): Promise<TestSmtp> {
  const port = await freePort()
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((a) => a.address.toLowerCase())
      simpleParser(stream).then(
        (mail) => {
          onMail(mail, to)
          callback()
        },
        (e: Error) => callback(e),
      )
    },
  })
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject)
    smtp.listen(port, '127.0.0.1', () => resolve())
  })
  return { port, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) }
}

/**
 * The steps of a browser flow: each a test of its own, skipped once an earlier step failed
 * (each step builds on the one before, and a cascade of failures would hide the first).
 */
export function flowSteps(): (name: string, body: () => Promise<void>, timeoutMs: number) => void {
  let failedStep: string | undefined
  return (name, body, timeoutMs) =>
    it(
      name,
      async (ctx) => {
        if (failedStep) ctx.skip(`step "${failedStep}" failed`)
        try {
          await body()
        } catch (e) {
          failedStep = name
          throw e
        }
      },
      timeoutMs,
    )
}
