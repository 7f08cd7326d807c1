/**
 * The foundation in a real browser, the way a newcomer meets it: `donghanh serve` on a fresh
 * data folder prints a one-time setup URL; the first admin is created in the wizard, enrols
 * TOTP, signs out and in again, invites an editor; the invitation arrives at a real SMTP
 * server started here; the editor follows the link, sets a password, enrols TOTP and lands
 * on the dashboard. Every page is saved as a screenshot under test-output/e2e/foundation/.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ParsedMail, simpleParser } from 'mailparser'
import { authenticator } from 'otplib'
import { type BrowserContext, chromium, type Locator, type Page, type Response } from 'playwright-core'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../src/db/embedded.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SHOTS = path.join(ROOT, 'test-output/e2e/foundation')
const CHROMIUM = '/usr/bin/chromium'
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }

const ADMIN = { name: 'Nguyễn Văn Hùng', email: 'hung.nv@congan.thanhhoa.gov.vn', password: 'Sông Mã chảy về biển 2024' }
const EDITOR = { name: 'Trần Thị Ngọc Ánh', email: 'anh.ttn@congan.thanhhoa.gov.vn', password: 'Đồi thông Hàm Rồng xanh mãi' }

// --- small helpers ----------------------------------------------------------------------

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes. */
async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** PIDs of processes whose command line mentions `dir` (the embedded PostgreSQL). */
async function processesUsing(dir: string): Promise<number[]> {
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
function totpCode(secret: string): string {
  const current = Math.floor(Date.now() / 30_000)
  const last = lastStepOf.get(secret)
  const step = last === undefined ? current : Math.max(current, last + 1)
  lastStepOf.set(secret, step)
  return step === current ? authenticator.generate(secret) : authenticator.clone({ epoch: step * 30_000 }).generate(secret)
}

// --- the server under test --------------------------------------------------------------

interface Server {
  child: ChildProcess
  baseUrl: string
  setupUrl: string
  output: () => string
}

/**
 * Starts `tsx src/main.ts serve` (what `npx tsx src/main.ts serve` runs) and waits for the
 * setup URL it prints. tsx is started directly, not through npx: `npm exec` runs the bin
 * under `sh -c`, and that shell dies on SIGTERM without passing it on, which would leave
 * the server and its PostgreSQL running. tsx relays SIGTERM to the server and exits with it.
 */
async function startServer(env: Record<string, string>): Promise<Server> {
  // Always the embedded server in the fresh DATA_DIR, even when the run has DATABASE_URL.
  const { DATABASE_URL: _ignored, ...inherited } = process.env
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...inherited, ...env },
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
  const setupUrl = await waitFor(
    'the setup URL on stdout of `donghanh serve`',
    () => {
      if (exited !== undefined) throw new Error(`donghanh serve exited (${exited}) before printing the setup URL\n${output()}`)
      return /(http:\/\/\S+\/console\/setup\?token=[\w-]+)/.exec(stdout)?.[1]
    },
    90_000,
  ).catch((e: Error) => {
    child.kill('SIGTERM')
    throw new Error(`${e.message}\n${output()}`)
  })
  return { child, baseUrl: env.PUBLIC_URL as string, setupUrl, output }
}

/** SIGTERM to the child, then waits for it to exit (it stops its PostgreSQL first). */
async function stopServer(server: Server): Promise<number | string | null> {
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

// --- the browser ------------------------------------------------------------------------

/** The bits of the browser's DOM used in `page.evaluate` (the project compiles without lib.dom). */
interface Dom {
  documentElement: { scrollWidth: number; clientWidth: number }
  querySelectorAll(selector: string): Iterable<{ type: string; name: string; labels: { length: number } | null; getAttribute(name: string): string | null }>
  fonts: Iterable<{ family: string; weight: string; status: string; unicodeRange: string }> & { ready: Promise<unknown> }
}

let shotNo = 0
/** Saves a full-page screenshot at desktop width, and at phone width when asked. */
async function shot(page: Page, name: string, opts: { phone?: boolean } = {}): Promise<void> {
  shotNo += 1
  const nn = String(shotNo).padStart(2, '0')
  await page.screenshot({ path: path.join(SHOTS, `${nn}-${name}.png`), fullPage: true })
  if (opts.phone) {
    await page.setViewportSize(PHONE)
    await page.screenshot({ path: path.join(SHOTS, `${nn}-${name}-phone.png`), fullPage: true })
    // The layout must not overflow sideways on a phone.
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: Dom }).document.documentElement
      return root.scrollWidth - root.clientWidth
    })
    expect(overflow, `horizontal overflow on ${name} at phone width`).toBeLessThanOrEqual(0)
    await page.setViewportSize(DESKTOP)
  }
}

/** Runs `act` (a click, a goto) and returns the main-frame response it navigated to. */
async function navigate(page: Page, act: () => Promise<unknown>): Promise<Response> {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), act()])
  if (!response) throw new Error(`no response for the navigation to ${page.url()}`)
  return response
}

/** The text of `locator` as rendered, the way a reader sees it (not textContent). */
function seen(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text, which is what is asserted.
  return locator.innerText()
}

async function heading(page: Page): Promise<string> {
  return (await seen(page.locator('h1'))).trim()
}

/** Every visible input, select and textarea of the page's forms has a label. */
async function expectLabelledFields(page: Page): Promise<void> {
  const unlabelled = await page.evaluate(() =>
    [...(globalThis as unknown as { document: Dom }).document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.type !== 'hidden')
      .filter((el) => (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label'))
      .map((el) => el.name),
  )
  expect(unlabelled, `fields without a label on ${page.url()}`).toEqual([])
}

/** The self-hosted Be Vietnam Pro, Vietnamese subset, was loaded and used for the page. */
async function expectVietnameseFont(page: Page): Promise<void> {
  const faces = await page.evaluate(async () => {
    const { fonts } = (globalThis as unknown as { document: Dom }).document
    await fonts.ready
    return [...fonts].filter((f) => f.status === 'loaded').map((f) => `${f.family} ${f.weight} ${f.unicodeRange}`)
  })
  // The Vietnamese subset is the face whose range covers U+1EA0-1EF9 (ạ … ỹ).
  expect(faces.some((f) => f.includes('Be Vietnam Pro') && f.includes('U+1EA0-1EF9')), `loaded faces: ${faces.join('; ')}`).toBe(true)
}

async function submitButton(page: Page, formAction: string): Promise<Response> {
  return navigate(page, () => page.locator(`main form[action="${formAction}"] button[type="submit"]`).click())
}

async function signOut(page: Page): Promise<void> {
  const res = await navigate(page, () => page.locator('header form[action="/console/sign-out"] button').click())
  expect(res.status()).toBe(200)
  expect(new URL(page.url()).pathname).toBe('/console/sign-in')
}

/** Enrols TOTP on the enrolment page; returns the secret. Leaves the page on the recovery codes. */
async function enrolTotp(page: Page, who: string): Promise<string> {
  expect(new URL(page.url()).pathname).toBe('/console/totp/enrol')
  expect(await heading(page)).toBe('Bật xác thực hai lớp')
  expect(await seen(page.locator('main'))).toContain('Xác thực hai lớp')
  expect(await page.locator('.qr img').getAttribute('src')).toMatch(/^data:image\/png;base64,/)
  const secret = (await seen(page.locator('#totp-secret'))).replace(/\s+/g, '')
  expect(secret).toMatch(/^[A-Z2-7]{32}$/)
  await expectLabelledFields(page)
  await shot(page, `${who}-totp-enrol`, { phone: true })
  await page.getByLabel('Mã 6 số trong ứng dụng xác thực').fill(totpCode(secret))
  const res = await submitButton(page, '/console/totp/enrol')
  expect(res.status()).toBe(200)
  expect(await heading(page)).toBe('Mã khôi phục')
  const codes = await page.locator('#recovery-codes span').allInnerTexts()
  expect(codes).toHaveLength(10)
  for (const c of codes) expect(c).toMatch(/^[0-9a-f]{5}-[0-9a-f]{5}$/)
  await shot(page, `${who}-recovery-codes`, { phone: true })
  return secret
}

async function signIn(page: Page, who: string, user: { email: string; password: string }, secret: string): Promise<void> {
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

// --- the flow ---------------------------------------------------------------------------

describe('foundation in a browser: setup wizard → admin → invite → editor', () => {
  let work: string
  let server: Server | undefined
  let smtp: SMTPServer | undefined
  let context: BrowserContext | undefined
  const mails: ParsedMail[] = []

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: the browser test needs Debian's Chromium. Install it with:\n  apt-get update && apt-get install -y chromium`)
    }
    await rm(SHOTS, { recursive: true, force: true })
    await mkdir(SHOTS, { recursive: true })
    work = await mkdtemp(path.join(tmpdir(), 'donghanh-e2e-'))
    // As root the embedded server runs as `postgres`, which must be able to enter the folder.
    await chmod(work, 0o755)

    const smtpPort = await freePort()
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            mails.push(mail)
            callback()
          },
          (e: Error) => callback(e),
        )
      },
    })
    const listening = smtp
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject)
      listening.listen(smtpPort, '127.0.0.1', () => resolve())
    })

    const port = await freePort()
    server = await startServer({
      DATA_DIR: path.join(work, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      NODE_ENV: 'test',
    })

    context = await chromium.launchPersistentContext(path.join(work, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: DESKTOP,
      locale: 'vi-VN',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
  }, 120_000)

  afterAll(async () => {
    // Clean up everything first, then report what went wrong.
    const problems: string[] = []
    await context?.close().catch((e: Error) => problems.push(`closing the browser: ${e.message}`))
    if (server) {
      const code = await stopServer(server)
      if (code !== 0) problems.push(`donghanh serve did not stop cleanly on SIGTERM (exit ${code})`)
      else if (!server.output().includes('SIGTERM: đang dừng')) problems.push('donghanh serve did not log its SIGTERM shutdown')
    }
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()))
    if (work) {
      // The server stops its embedded PostgreSQL before it exits: nothing from the temp dir may linger.
      const lingering = await waitFor('the embedded PostgreSQL to be gone', async () => {
        const pids = await processesUsing(work)
        return pids.length === 0 ? [] : undefined
      }, 10_000).catch(async () => processesUsing(work))
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
      await rm(work, { recursive: true, force: true })
    }
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${server?.output() ?? ''}`)
  }, 60_000)

  it('runs the whole newcomer flow', async () => {
    if (!server || !context) throw new Error('not started')
    const page = context.pages()[0] ?? (await context.newPage())
    const base = server.baseUrl

    // 1. The one-time setup URL printed by `serve` opens the wizard, token filled in.
    expect(server.setupUrl.startsWith(`${base}/console/setup?token=`)).toBe(true)
    let res = await navigate(page, () => page.goto(server?.setupUrl as string))
    expect(res.status()).toBe(200)
    expect(await heading(page)).toBe('Cài đặt lần đầu')
    expect(await page.getByLabel('Mã cài đặt').inputValue()).toBe(new URL(server.setupUrl).searchParams.get('token'))
    const setupText = await seen(page.locator('body'))
    expect(setupText).toContain('Xác thực hai lớp')
    expect(setupText).toContain('Công an tỉnh Thanh Hóa')
    await expectVietnameseFont(page)
    await expectLabelledFields(page)
    await shot(page, 'setup-wizard', { phone: true })

    // A weak password is refused with the form kept.
    await page.getByLabel('Họ và tên').fill(ADMIN.name)
    await page.getByLabel('Thư điện tử').fill(ADMIN.email)
    await page.getByLabel('Mật khẩu mới').fill('ngắn')
    await page.getByLabel('Nhập lại mật khẩu').fill('ngắn')
    await page.locator('main form input[name="password"]').evaluate((el) => el.removeAttribute('minlength'))
    await page.locator('main form input[name="passwordConfirm"]').evaluate((el) => el.removeAttribute('minlength'))
    res = await submitButton(page, '/console/setup')
    expect(res.status()).toBe(400)
    expect(await seen(page.getByRole('alert'))).toMatch(/12/)
    expect(await page.getByLabel('Họ và tên').inputValue()).toBe(ADMIN.name)
    await shot(page, 'setup-weak-password')

    // 2. First admin, strong password.
    await page.getByLabel('Mật khẩu mới').fill(ADMIN.password)
    await page.getByLabel('Nhập lại mật khẩu').fill(ADMIN.password)
    res = await submitButton(page, '/console/setup')
    expect(res.status()).toBe(200)

    // 3. TOTP enrolment, recovery codes, dashboard.
    const adminSecret = await enrolTotp(page, 'admin')
    res = await navigate(page, () => page.getByRole('link', { name: 'Tôi đã lưu, tiếp tục' }).click())
    expect(res.status()).toBe(200)
    expect(new URL(page.url()).pathname).toBe('/console')
    expect(await heading(page)).toBe(`Xin chào, ${ADMIN.name}`)
    expect(await seen(page.locator('main'))).toContain('Quản trị viên')
    await shot(page, 'admin-dashboard', { phone: true })

    // The wizard is closed now.
    res = await navigate(page, () => page.goto(server?.setupUrl as string))
    expect(res.status()).toBe(200)
    expect(await seen(page.locator('main'))).not.toContain('Tạo quản trị viên')
    await shot(page, 'setup-closed')

    // 4. Sign out, sign in again (password, then TOTP of a fresh step).
    await page.goto(`${base}/console`)
    await signOut(page)
    expect(await heading(page)).toBe('Đăng nhập')
    expect(await seen(page.locator('body'))).toContain('Đăng nhập')
    await expectVietnameseFont(page)
    await expectLabelledFields(page)
    await shot(page, 'sign-in', { phone: true })

    // The English switch, then back to Vietnamese.
    res = await navigate(page, () => page.goto(`${base}/console/sign-in?lang=en`))
    expect(res.status()).toBe(200)
    expect(res.headers()['content-language']).toBe('en')
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(await heading(page)).toBe('Sign in')
    expect(await page.getByRole('link', { name: 'Tiếng Việt' }).count()).toBe(1)
    await shot(page, 'sign-in-english')
    res = await navigate(page, () => page.getByRole('link', { name: 'Tiếng Việt' }).click())
    expect(res.headers()['content-language']).toBe('vi')
    expect(await heading(page)).toBe('Đăng nhập')

    await signIn(page, 'admin', ADMIN, adminSecret)
    expect(await heading(page)).toBe(`Xin chào, ${ADMIN.name}`)
    await shot(page, 'admin-dashboard-again')

    // 5. Users: invite an editor.
    res = await navigate(page, () => page.getByRole('link', { name: 'Người dùng', exact: true }).click())
    expect(res.status()).toBe(200)
    expect(new URL(page.url()).pathname).toBe('/console/users')
    expect(await heading(page)).toBe('Người dùng')
    await expectLabelledFields(page)
    await shot(page, 'users', { phone: true })
    const invite = page.locator('main form[action="/console/users/invite"]')
    await invite.getByLabel('Thư điện tử').fill(EDITOR.email)
    await invite.getByLabel('Họ và tên').fill(EDITOR.name)
    await invite.getByLabel('Vai trò').selectOption('editor')
    res = await submitButton(page, '/console/users/invite')
    expect(res.status()).toBe(200)
    expect(await seen(page.getByRole('status').first())).toBe('Đã gửi lời mời.')
    const editorRow = page.locator('main table tbody tr', { hasText: EDITOR.email })
    expect(await seen(editorRow)).toContain('Đã mời')
    await shot(page, 'users-invited', { phone: true })

    // 6. The invitation arrives at the SMTP server.
    const mail = await waitFor('the invitation e-mail at the SMTP server', () =>
      mails.find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(EDITOR.email))),
    )
    expect(mail.subject).toContain('Lời mời tham gia Đồng Hành')
    expect(mail.text).toContain('Biên tập viên')
    const link = /(https?:\/\/\S+\/console\/invite\/accept\?token=[\w-]+)/.exec(mail.text ?? '')?.[1]
    if (!link) throw new Error(`no invitation link in the mail:\n${mail.text}`)
    expect(link.startsWith(`${base}/`)).toBe(true)

    // The outbox shows it as sent.
    res = await navigate(page, () => page.goto(`${base}/console/outbox`))
    expect(res.status()).toBe(200)
    expect(await seen(page.locator('main table tbody'))).toContain(EDITOR.email)
    await waitFor('the outbox row to show "sent"', async () => {
      await page.reload()
      return (await seen(page.locator('main table tbody tr', { hasText: EDITOR.email }))).includes('Đã gửi') ? true : undefined
    })
    await shot(page, 'outbox')

    // 7. The editor follows the link (the admin signs out first: one browser).
    await signOut(page)
    res = await navigate(page, () => page.goto(link))
    expect(res.status()).toBe(200)
    expect(await heading(page)).toBe('Nhận lời mời')
    const inviteText = await seen(page.locator('main'))
    expect(inviteText).toContain(EDITOR.email)
    expect(inviteText).toContain('Biên tập viên')
    await expectLabelledFields(page)
    await shot(page, 'editor-accept-invite', { phone: true })
    await page.getByLabel('Họ và tên').fill(EDITOR.name)
    await page.getByLabel('Mật khẩu mới').fill(EDITOR.password)
    await page.getByLabel('Nhập lại mật khẩu').fill(EDITOR.password)
    res = await submitButton(page, '/console/invite/accept')
    expect(res.status()).toBe(200)
    expect(await heading(page)).toBe('Đăng nhập')
    expect(await seen(page.getByRole('status'))).toBe('Tài khoản đã được kích hoạt. Hãy đăng nhập.')
    await shot(page, 'editor-sign-in')

    // The link is single use.
    res = await navigate(page, () => page.goto(link))
    expect(res.status()).toBeGreaterThanOrEqual(400)
    await shot(page, 'editor-invite-used')
    await page.goto(`${base}/console/sign-in`)

    // 8. The editor signs in, enrols TOTP, sees the recovery codes and the dashboard.
    await page.getByLabel('Thư điện tử').fill(EDITOR.email)
    await page.getByLabel('Mật khẩu', { exact: true }).fill(EDITOR.password)
    res = await submitButton(page, '/console/sign-in')
    expect(res.status()).toBe(200)
    await enrolTotp(page, 'editor')
    res = await navigate(page, () => page.getByRole('link', { name: 'Tôi đã lưu, tiếp tục' }).click())
    expect(res.status()).toBe(200)
    expect(new URL(page.url()).pathname).toBe('/console')
    expect(await heading(page)).toBe(`Xin chào, ${EDITOR.name}`)
    expect(await seen(page.locator('main'))).toContain('Biên tập viên')
    // An editor has no Users page.
    expect(await page.locator('header nav a[href="/console/users"]').count()).toBe(0)
    await shot(page, 'editor-dashboard', { phone: true })
    res = await navigate(page, () => page.goto(`${base}/console/users`))
    expect(res.status()).toBe(403)
    await shot(page, 'editor-users-forbidden')
  }, 120_000)
})
