/**
 * Issue #15's browser flow, against a real `donghanh serve` on the demo data, a real SMTP server,
 * a real webhook receiver (verifying signatures with the Standard Webhooks library) and a real
 * HTTP server holding a partner's article. Four Chromium profiles: the editor (later the admin)
 * and the approver at 1280 px, the demo's accredited journalist and influencer at 390 px. In order:
 *
 * 1. Both partners sign in by the mailed link and set their channels: the influencer e-mail at
 *    once instead of the evening digest, and the demo's webhook endpoints (hosts that do not exist,
 *    retried for hours) replaced by the journalist's receiver here, so that every delivery can
 *    reach its end. The editor writes a release with a figure in it ("làm 3 người bị thương") and
 *    submits it; the approver approves it under embargo (lift two hours ahead).
 * 2. Staff open the item's distribution page (linked "Phân phối" from the release): while the
 *    receivers hold the first effects the page shows fewer sent than in all; released, the
 *    server-sent events carry the count to total / total without a reload.
 * 3. The journalist's inbox shows the embargoed message with "CẤM ĐĂNG TRƯỚC …"; opened.
 * 4. The admin lifts the embargo with the console's "Công bố ngay không qua duyệt" (written
 *    reason); the journalist reports coverage at /doi-tac/dua-tin: a page served here whose text
 *    is the release with "3 người" changed to "5 người" (the server may fetch a loopback address:
 *    OUTBOUND_ALLOW_PRIVATE=true).
 * 5. Staff see the coverage judged "Sai lệch" with the figure marked (3 → 5) and send the
 *    correction request with one click; the journalist's inbox shows it quoting the official text.
 * 6. The approver withdraws the release (category, reason, confirmation); the journalist's inbox
 *    shows the kill notice "KHÔNG SỬ DỤNG / DO NOT USE" with the reason, and the earlier
 *    messages of the release are tagged "ĐÃ RÚT".
 *
 * Screenshots under test-output/e2e/distribution-flow/ (looked at).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { localInputValue } from '../../src/platform/time.ts'
import {
  type DemoRun,
  DESKTOP,
  demoUser,
  expectNoHorizontalOverflow,
  expectVietnameseFont,
  heading,
  navigate,
  PHONE,
  queryRun,
  ROOT,
  screenshots,
  seen,
  signIn,
  signOut,
  startDemoRun,
  startSmtp,
  stopDemoRun,
  submitButton,
  type TestSmtp,
  waitFor,
  flowSteps,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/distribution-flow')
const shot = screenshots(SHOTS)

const PARAGRAPHS = [
  'Khoảng 21 giờ ngày 4/12, trên Quốc lộ 1A đoạn qua xã Hoằng Hóa, một xe khách va chạm với xe tải chở vật liệu xây dựng, làm 3 người bị thương.',
  'Ngay sau khi nhận tin báo, Phòng Cảnh sát giao thông Công an tỉnh đã cử lực lượng đến hiện trường, phân luồng phương tiện, đưa người bị thương đi cấp cứu.',
  'Nguyên nhân vụ va chạm đang được Cơ quan Cảnh sát điều tra Công an tỉnh làm rõ.',
  'Công an tỉnh đề nghị người tham gia giao thông chấp hành nghiêm quy định về tốc độ và khoảng cách an toàn, nhất là vào ban đêm và trên các đoạn đường cong.',
]
const RELEASE = {
  title: 'Va chạm giữa xe khách và xe tải trên Quốc lộ 1A đoạn qua Hoằng Hóa',
  summary: 'Tai nạn giao thông giữa xe khách và xe tải trên Quốc lộ 1A làm 3 người bị thương.',
  body: PARAGRAPHS.join('\n\n'),
}
const FORCE_REASON = 'Sự việc đã được báo chí địa phương đưa tin, cần công bố ngay thông tin chính thức.'
const WITHDRAW_REASON = 'Số người bị thương đang được xác minh lại với bệnh viện; Văn phòng sẽ gửi bản mới.'

/** The partner's article: the release with the figure changed (3 → 5), as a newspaper page. */
function article(): string {
  const changed = PARAGRAPHS.map((p) => p.replace('3 người', '5 người'))
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tai nạn trên Quốc lộ 1A: 5 người bị thương</title></head>
<body><header><nav><a href="/">Trang chủ</a> · <a href="/thoi-su">Thời sự</a> · <a href="/phap-luat">Pháp luật</a></nav></header>
<main><article><h1>Tai nạn trên Quốc lộ 1A: 5 người bị thương</h1><p class="byline">Báo Thanh Hóa · 05/12/2026</p>
${changed.map((p) => `<p>${p}</p>`).join('\n')}
</article></main><footer><p>© Báo Thanh Hóa. Mọi quyền được bảo lưu.</p></footer></body></html>`
}

/** A gate the receivers wait on while it is closed (each hold ends by itself after `maxMs`). */
function gate() {
  let open = true
  let waiters: (() => void)[] = []
  return {
    close() {
      open = false
    },
    open() {
      open = true
      for (const w of waiters) w()
      waiters = []
    },
    wait(maxMs: number): Promise<void> {
      if (open) return Promise.resolve()
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, maxMs)
        waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    },
  }
}

describe('distribution, end to end: embargo → live progress → inbox → coverage altered → correction → kill notice', () => {
  let run: DemoRun | undefined
  let smtp: TestSmtp | undefined
  let hooks: Server | undefined
  let site: Server | undefined
  const mails: { to: string[]; subject: string; text: string }[] = []
  const hooked: { headers: IncomingHttpHeaders; body: string; verified: boolean }[] = []
  const hold = gate()
  let hookSecret = ''
  let hookUrl = ''
  let articleUrl = ''
  let base = ''
  let sp: Page // the editor, then the admin (1280 px)
  let ap: Page // the approver (1280 px)
  let jp: Page // the journalist (390 px)
  let ip: Page // the influencer (390 px)
  let journalistEmail = ''
  let releaseId = ''
  let embargoDelivery = ''

  const phoneShot = async (name: string) => {
    await shot(jp, name)
    await expectNoHorizontalOverflow(jp, name)
  }

  /** One step of the flow, skipped once an earlier step failed (each builds on the one before). */
  const step = flowSteps()

  /** Signs a partner in by the link mailed to `email`, on `page`. */
  const partnerSignIn = async (page: Page, email: string) => {
    expect((await navigate(page, () => page.goto(`${base}/doi-tac/dang-nhap`))).status()).toBe(200)
    const before = mails.length
    await page.getByLabel('Thư điện tử').fill(email)
    expect((await navigate(page, () => page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click())).status()).toBe(200)
    const mail = await waitFor(
      `the sign-in mail to ${email}`,
      () => mails.slice(before).find((m) => m.to.includes(email) && m.subject.includes('Liên kết đăng nhập')),
      30_000,
    )
    const link = /(https?:\/\/\S+\/doi-tac\/dang-nhap\/lien-ket\?token=[\w-]+)/.exec(mail.text)?.[1]
    if (!link) throw new Error(`no sign-in link in:\n${mail.text}`)
    expect((await navigate(page, () => page.goto(link))).status()).toBe(200)
    await navigate(page, () => page.getByRole('button', { name: 'Đăng nhập', exact: true }).click())
    expect(new URL(page.url()).pathname).toBe('/doi-tac')
  }

  /** Deletes every webhook endpoint of the signed-in partner, through their settings pages. */
  const removeWebhooks = async (page: Page) => {
    expect((await navigate(page, () => page.goto(`${base}/doi-tac/nhan-tin/webhook`))).status()).toBe(200)
    for (let i = 0; i < 10; i++) {
      const existing = page.locator('[data-webhook] a').first()
      if ((await existing.count()) === 0) return
      await navigate(page, () => existing.click())
      expect((await submitButton(page, `${new URL(page.url()).pathname}/xoa`)).status()).toBe(200)
    }
    throw new Error('webhook endpoints did not go')
  }

  const listen = async (server: Server) => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    return (server.address() as AddressInfo).port
  }
  const close = (server: Server | undefined) =>
    new Promise<void>((r) => {
      if (!server?.listening) return r()
      server.closeAllConnections()
      server.close(() => r())
    })

  beforeAll(async () => {
    smtp = await startSmtp((mail, to) => {
      mails.push({ to, subject: mail.subject ?? '', text: mail.text ?? '' })
    })
    hooks = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8').on('data', (c: string) => {
        body += c
      })
      req.on('end', async () => {
        // Held (at most 8 s, inside the sender's 10 s) while the progress page is first shown.
        await hold.wait(8_000)
        let verified = false
        try {
          new Webhook(hookSecret).verify(body, req.headers as Record<string, string>)
          verified = true
        } catch {
          // counted as unverified: the test asserts on it
        }
        hooked.push({ headers: req.headers, body, verified })
        res.writeHead(verified ? 204 : 401).end()
      })
    })
    hookUrl = `http://127.0.0.1:${await listen(hooks)}/donghanh/webhook`
    site = createServer((req, res) => {
      if (req.url === '/thoi-su/tai-nan-quoc-lo-1a') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(article())
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    })
    articleUrl = `http://127.0.0.1:${await listen(site)}/thoi-su/tai-nan-quoc-lo-1a`
    run = await startDemoRun(SHOTS, 'donghanh-e2e-distribution-flow-', {
      browsers: 4,
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, OUTBOUND_ALLOW_PRIVATE: 'true' },
    })
    base = run.server.baseUrl
    const [s, a, j, k] = run.browsers as [BrowserContext, BrowserContext, BrowserContext, BrowserContext]
    sp = s.pages()[0] ?? (await s.newPage())
    ap = a.pages()[0] ?? (await a.newPage())
    jp = j.pages()[0] ?? (await j.newPage())
    ip = k.pages()[0] ?? (await k.newPage())
    await sp.setViewportSize(DESKTOP)
    await ap.setViewportSize(DESKTOP)
    await jp.setViewportSize(PHONE)
    await ip.setViewportSize(PHONE)
  }, 240_000)

  afterAll(async () => {
    hold.open()
    await stopDemoRun(run)
    await smtp?.close()
    await close(hooks)
    await close(site)
  }, 60_000)

  step(
    '1. the partners set their channels; an editor writes a release with a figure, the approver embargoes it',
    async () => {
      if (!run) throw new Error('not started')
      const journalist = run.manifest.users.find((u) => u.role === 'journalist' && u.partnerStatus === 'accredited')
      if (!journalist?.partnerId) throw new Error('the demo data has no accredited journalist')
      const [record] = await queryRun<{ email: string }>(run, `SELECT email FROM partners WHERE id = '${journalist.partnerId}'`)
      journalistEmail = (record?.email ?? journalist.email).toLowerCase()

      // Both accredited partners set their channels on their phones: e-mail at once, and the
      // demo's webhook endpoints (hosts that do not exist) replaced by the journalist's receiver here.
      await partnerSignIn(jp, journalistEmail)
      await removeWebhooks(jp)
      await jp.locator('input[name="url"]').fill(hookUrl)
      expect((await submitButton(jp, '/doi-tac/nhan-tin/webhook')).status()).toBe(200)
      hookSecret = (await jp.locator('#new-secret-value').inputValue()).trim()
      expect(hookSecret).toMatch(/^whsec_/)
      await phoneShot('journalist-webhook')
      const influencer = run.manifest.users.find((u) => u.role === 'influencer' && u.partnerStatus === 'accredited')
      if (!influencer?.partnerId) throw new Error('the demo data has no accredited influencer')
      const [kol] = await queryRun<{ email: string }>(run, `SELECT email FROM partners WHERE id = '${influencer.partnerId}'`)
      await partnerSignIn(ip, (kol?.email ?? influencer.email).toLowerCase())
      expect((await navigate(ip, () => ip.goto(`${base}/doi-tac/nhan-tin`))).status()).toBe(200)
      await ip.locator('input[name="mode"][value="immediate"]').check()
      expect((await submitButton(ip, '/doi-tac/nhan-tin/email')).status()).toBe(200)
      await removeWebhooks(ip)
      await shot(ip, 'influencer-webhooks')
      await expectNoHorizontalOverflow(ip, 'influencer-webhooks')

      // The editor writes the release with its figure and submits it.
      const editor = demoUser(run.manifest, 'editor')
      await navigate(sp, () => sp.goto(`${base}/console/sign-in`))
      await signIn(sp, shot, 'editor', editor, editor.secret)
      expect((await navigate(sp, () => sp.goto(`${base}/console/releases/new`))).status()).toBe(200)
      await sp.getByLabel('Loại tin').selectOption('press_release')
      await sp.getByLabel('Người phát ngôn').selectOption({ index: 1 })
      await sp.getByLabel('Tiêu đề', { exact: true }).fill(RELEASE.title)
      await sp.getByLabel('Tóm tắt').fill(RELEASE.summary)
      await sp.getByLabel('Nội dung (Markdown)').fill(RELEASE.body)
      await sp.getByLabel('Chuyên mục').fill('An toàn giao thông')
      await sp.getByLabel('Từ khóa').fill('tai nạn, Quốc lộ 1A')
      expect((await submitButton(sp, '/console/releases/new')).status()).toBe(200)
      releaseId = /^\/console\/releases\/([0-9a-f-]{36})$/.exec(new URL(sp.url()).pathname)?.[1] ?? ''
      expect(releaseId).not.toBe('')
      expect((await submitButton(sp, `/console/releases/${releaseId}/submit`)).status()).toBe(200)
      expect(await seen(sp.getByRole('status').first())).toContain('Đã gửi duyệt.')
      await shot(sp, 'release-submitted')

      // The approver: under embargo, lifted in two hours.
      const approver = demoUser(run.manifest, 'approver')
      await navigate(ap, () => ap.goto(`${base}/console/sign-in`))
      await signIn(ap, shot, 'approver', approver, approver.secret)
      expect((await navigate(ap, () => ap.goto(`${base}/console/releases/${releaseId}`))).status()).toBe(200)
      const approve = ap.locator(`main form[action="/console/releases/${releaseId}/approve"]`)
      await approve.locator('input[name="mode"][value="embargo"]').check()
      const liftAt = new Date(Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000)
      await approve.locator('input[name="at"]').fill(localInputValue(liftAt))
      // The webhook receiver holds its deliveries, so the progress page opens before they are done.
      hold.close()
      const approved = await submitButton(ap, `/console/releases/${releaseId}/approve`)
      expect(approved.status(), await seen(ap.locator('main .alert').first()).catch(() => '')).toBe(200)
      expect(await seen(ap.locator('main'))).toMatch(/cấm đăng/i)
      await shot(ap, 'release-embargoed')
    },
    240_000,
  )

  step(
    '2. the item’s distribution page: live progress runs to total / total without a reload',
    async () => {
      // Staff go from the release to its distribution ("Phân phối").
      const link = ap.locator('#distribution-link')
      expect((await seen(link)).trim()).toBe('Phân phối')
      expect((await navigate(ap, () => link.click())).status()).toBe(200)
      expect(new URL(ap.url()).pathname).toBe(`/console/phan-phoi/muc/release/${releaseId}`)
      expect(await heading(ap)).toBe(RELEASE.title)
      const panel = ap.locator('#progress [data-kind="embargo"]')
      if ((await panel.count()) === 0) {
        // The fan-out (the decision's subscriber) had not run yet when the page loaded: the
        // stream announces the new decision, and the page's link reloads it.
        await waitFor('the new decision announced live', async () =>
          (await ap.locator('[data-f="reload"]').isVisible()) ? true : undefined,
        )
        await shot(ap, 'progress-new-decision')
        await navigate(ap, () => ap.locator('[data-f="reload"] a').click())
      }
      expect(await panel.count()).toBe(1)
      await waitFor('the live stream', async () => ((await ap.locator('.dist-live[data-live="on"]').count()) > 0 ? true : undefined))
      const figure = async () => {
        const done = await seen(panel.locator('p [data-f="done"]'))
        const total = await seen(panel.locator('p [data-f="total"]'))
        return { done, total, n: Number(done.replace(/\D/g, '')), of: Number(total.replace(/\D/g, '')) }
      }
      const first = await figure()
      // The accredited journalist and influencer at least, each on the portal; the journalist by webhook too.
      expect(first.of).toBeGreaterThanOrEqual(3)
      expect(first.n).toBeLessThan(first.of)
      await shot(ap, 'progress-running')

      hold.open()
      const last = await waitFor(
        'the progress to reach total / total',
        async () => {
          const f = await figure()
          return f.n === f.of ? f : undefined
        },
        60_000,
        250,
      ).catch(async (e: Error) => {
        throw new Error(`${e.message}\nprogress shown: ${await seen(ap.locator('#progress'))}`)
      })
      expect(last.of).toBe(first.of)
      // Counted without a reload: the same document (its stream marker is still on), numbers in Vietnamese style.
      expect(await ap.locator('.dist-live[data-live="on"]').count()).toBe(1)
      expect(await seen(panel.locator('p.dist-big'))).toMatch(/^đã gửi [\d.]+ \/ [\d.]+$/)
      expect(await ap.locator('[data-f="reload"]').isHidden()).toBe(true)
      // The table below is what the page loaded: the page says it has gone stale.
      expect(await ap.locator('#deliveries-stale').isVisible()).toBe(true)
      // The webhook arrived, signed as Standard Webhooks says.
      const hook = await waitFor('the signed embargo webhook', () => hooked.find((h) => h.body.includes(releaseId)), 30_000)
      expect(hook.verified).toBe(true)
      expect(hook.headers['webhook-id']).toMatch(/\S/)
      await shot(ap, 'progress-done')
      // Reloaded, every delivery of the decision is there as sent, none failed.
      await navigate(ap, () => ap.locator('#deliveries-stale a').click())
      const states = await ap.locator('#deliveries tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')))
      expect(states).toHaveLength(last.of)
      expect(states.filter((x) => x !== 'sent' && x !== 'opened')).toEqual([])
      expect(await ap.locator('#deliveries-stale').isHidden()).toBe(true)
    },
    120_000,
  )

  step(
    '3. the journalist’s inbox shows the embargoed message; it opens',
    async () => {
      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/hop-thu`))).status()).toBe(200)
      expect(await heading(jp)).toBe('Hộp thư')
      const message = jp.locator('.dist-msg[data-kind="embargo"]', { hasText: RELEASE.title })
      expect(await message.count()).toBe(1)
      embargoDelivery = (await message.getAttribute('data-delivery')) ?? ''
      expect(await seen(message)).toMatch(/CẤM ĐĂNG TRƯỚC \d{2}:\d{2} \d{2}\/\d{2}/)
      await expectVietnameseFont(jp)
      await phoneShot('inbox-embargo')
      expect((await navigate(jp, () => message.locator('a.dist-open').click())).status()).toBe(200)
      const text = await seen(jp.locator('main'))
      expect(text).toContain('CẤM ĐĂNG TRƯỚC')
      expect(text).toContain('làm 3 người bị thương')
      await phoneShot('message-embargo')
    },
    60_000,
  )

  step(
    '4. the admin lifts the embargo (publishes now); the journalist reports coverage that changed a figure',
    async () => {
      if (!run) throw new Error('not started')
      const admin = demoUser(run.manifest, 'admin')
      await signOut(sp)
      await signIn(sp, shot, 'admin', admin, admin.secret)
      expect((await navigate(sp, () => sp.goto(`${base}/console/releases/${releaseId}`))).status()).toBe(200)
      const force = sp.locator(`main form[action="/console/releases/${releaseId}/force-publish"]`)
      expect(await seen(force.locator('button[type="submit"]'))).toBe('Công bố ngay không qua duyệt')
      await force.locator('textarea[name="reason"]').fill(FORCE_REASON)
      expect((await submitButton(sp, `/console/releases/${releaseId}/force-publish`)).status()).toBe(200)
      await shot(sp, 'release-published')

      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/dua-tin`))).status()).toBe(200)
      const form = jp.locator('form[data-report-form]')
      await form.locator('select[name="item"]').selectOption(`release:${releaseId}`)
      await form.locator('input[name="url"]').fill(articleUrl)
      await phoneShot('coverage-form')
      expect((await navigate(jp, () => form.locator('button[type="submit"]').click())).status()).toBe(200)
      expect(new URL(jp.url()).search).toBe('?done=1')
      // The capture runs as a job: the page is reloaded until the judgement is there.
      const card = jp.locator('[data-report]', { hasText: articleUrl })
      await waitFor(
        'the coverage judged',
        async () => {
          await navigate(jp, () => jp.reload())
          const outcome = await card.locator('[data-outcome]').getAttribute('data-outcome')
          return outcome && outcome !== 'pending' ? outcome : undefined
        },
        60_000,
        1000,
      ).then(async (outcome) => {
        expect(outcome, await seen(card)).toBe('altered')
      })
      expect(await seen(card.locator('[data-outcome]'))).toBe('Sai lệch')
      await phoneShot('coverage-judged')
    },
    180_000,
  )

  step(
    '5. staff see the coverage altered with the figure marked and ask for a correction; the journalist gets it',
    async () => {
      expect((await navigate(ap, () => ap.goto(`${base}/console/phan-phoi/muc/release/${releaseId}`))).status()).toBe(200)
      expect((await navigate(ap, () => ap.locator('#coverage-link').click())).status()).toBe(200)
      const card = ap.locator('[data-report]', { hasText: articleUrl })
      expect(await card.count()).toBe(1)
      expect(await seen(card.locator('[data-outcome]'))).toBe('Sai lệch')
      expect(await card.locator('[data-outcome].risk-high').count()).toBe(1)
      const figure = card.locator('[data-change="figure"]')
      expect(await figure.count()).toBeGreaterThanOrEqual(1)
      expect((await seen(figure.first().locator('del[data-official]'))).trim()).toMatch(/^3\b/)
      expect((await seen(figure.first().locator('ins[data-published]'))).trim()).toMatch(/^5\b/)
      await shot(ap, 'coverage-altered')
      expect((await navigate(ap, () => card.locator('button[data-request-correction]').click())).status()).toBe(200)
      const after = ap.locator('[data-report]', { hasText: articleUrl })
      expect(await after.locator('[data-requested]').count()).toBe(1)
      expect(await after.locator('button[data-request-correction]').count()).toBe(0)
      await shot(ap, 'correction-requested')

      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/hop-thu`))).status()).toBe(200)
      const request = jp.locator('.dist-msg[data-kind="correction_request"]').first()
      expect(await request.count()).toBe(1)
      await phoneShot('inbox-correction-request')
      expect((await navigate(jp, () => request.locator('a.dist-open').click())).status()).toBe(200)
      const text = await seen(jp.locator('main'))
      expect(text).toContain('3 người bị thương')
      expect(text).toContain('5 người bị thương')
      // The request says it once in each language (its summary is its body: not shown twice).
      expect(text.split('Nghị định số 09/2017/NĐ-CP').length - 1).toBe(1)
      await phoneShot('message-correction-request')
    },
    120_000,
  )

  step(
    '6. the approver withdraws the release; the journalist gets the kill notice with the reason',
    async () => {
      expect((await navigate(ap, () => ap.goto(`${base}/console/releases/${releaseId}`))).status()).toBe(200)
      const form = ap.locator(`main form[action="/console/releases/${releaseId}/withdraw"]`)
      await form.locator('select[name="category"]').selectOption('factual_error')
      await form.locator('textarea[name="reason"]').fill(WITHDRAW_REASON)
      await form.locator('input[name="confirm"]').check()
      expect((await submitButton(ap, `/console/releases/${releaseId}/withdraw`)).status()).toBe(200)
      expect(await seen(ap.locator('main'))).toContain('Đã gỡ tin.')
      await shot(ap, 'release-withdrawn')

      // The fan-out runs as the event's subscriber, just after the decision: reloaded until it is there.
      const kill = jp.locator('.dist-msg[data-kind="kill"]', { hasText: RELEASE.title })
      await waitFor(
        'the kill notice in the inbox',
        async () => {
          expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/hop-thu`))).status()).toBe(200)
          return (await kill.count()) > 0 ? true : undefined
        },
        30_000,
        500,
      ).catch(async (e: Error) => {
        throw new Error(`${e.message}\ninbox shown:\n${await seen(jp.locator('main'))}`)
      })
      expect(await kill.count()).toBe(1)
      expect(await jp.locator('.dist-msg').first().getAttribute('data-kind')).toBe('kill')
      expect(await seen(kill)).toContain('KHÔNG SỬ DỤNG / DO NOT USE')
      expect(await seen(kill)).toContain(WITHDRAW_REASON)
      expect(await seen(jp.locator(`[data-delivery="${embargoDelivery}"]`))).toContain('ĐÃ RÚT')
      await phoneShot('inbox-kill')
      expect((await navigate(jp, () => kill.locator('a.dist-open').click())).status()).toBe(200)
      expect(await seen(jp.locator('.dist-kill-label').first())).toBe('KHÔNG SỬ DỤNG / DO NOT USE')
      expect(await seen(jp.locator('main'))).toContain(WITHDRAW_REASON)
      await phoneShot('message-kill')
    },
    120_000,
  )
})
