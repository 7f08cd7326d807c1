/**
 * The partner's side of distribution in a real browser at 390 px, against a real `donghanh
 * serve` on the demo data: the inbox (a kill notice red and first, an embargo with its label
 * and ticking countdown, a correction, unread markers), one message opened (it turns read), the
 * delivery settings (e-mail digest at a chosen hour, leaving and rejoining a list), and a
 * webhook added (secret shown once), tested against a real receiver started here (the signed
 * ping arrives with its `webhook-id`), and rotated. Deliveries are written with SQL as the
 * fan-out would write them (the fan-out has its own tests); the partner's session is made the
 * way the sign-in makes it (the sign-in has its own browser flow). Screenshots under
 * test-output/e2e/distribution-portal/ (looked at).
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tokenHash } from '../../src/platform/auth/secrets.ts'
import {
  type DemoRun,
  expectNoHorizontalOverflow,
  heading,
  navigate,
  PHONE,
  queryRun,
  ROOT,
  screenshots,
  seen,
  startDemoRun,
  stopDemoRun,
  submitButton,
  waitFor,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/distribution-portal')
const shot = screenshots(SHOTS)
const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`

describe('distribution, partner side: inbox → message → settings → webhook', () => {
  let run: DemoRun | undefined
  let receiver: Server | undefined
  const received: { headers: IncomingHttpHeaders; body: string }[] = []
  let hookUrl = ''
  let base = ''
  let page: Page
  let partnerId = ''
  const ids: Record<string, string> = {}

  const phoneShot = async (name: string) => {
    await shot(page, name)
    await expectNoHorizontalOverflow(page, name)
  }

  /** Writes one portal delivery as the fan-out does (`sent`). */
  async function deliver(kind: string, createdMinutesAgo: number, payload: Record<string, unknown>, itemId: string | null) {
    const [row] = await queryRun<{ id: string }>(
      run as DemoRun,
      `INSERT INTO distribution_deliveries (tenant_id, item_type, item_id, kind, recipient_type, partner_id, channel, state, link_token, payload, created_at, sent_at)
       SELECT tenant_id, 'release', ${itemId ? sqlText(itemId) : 'NULL'}, ${sqlText(kind)}, 'partner', id, 'portal', 'sent',
              ${sqlText(randomBytes(16).toString('base64url'))}, ${sqlText(JSON.stringify(payload))}::jsonb,
              now() - interval '${createdMinutesAgo} minutes', now()
       FROM partners WHERE id = ${sqlText(partnerId)} RETURNING id`,
    )
    return row?.id as string
  }

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => {
        body += c
      })
      req.on('end', () => {
        received.push({ headers: req.headers, body })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((r) => receiver?.listen(0, '127.0.0.1', r))
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/donghanh/webhook`
    run = await startDemoRun(SHOTS, 'donghanh-e2e-distribution-portal-', { env: { OUTBOUND_ALLOW_PRIVATE: 'true' } })
    base = run.server.baseUrl
    const context = run.browsers[0]
    if (!context) throw new Error('no browser')
    page = context.pages()[0] ?? (await context.newPage())
    await page.setViewportSize(PHONE)

    const journalist = run.manifest.users.find((u) => u.role === 'journalist' && u.partnerId && u.partnerStatus === 'accredited')
    if (!journalist?.partnerId) throw new Error('the demo data has no accredited journalist')
    partnerId = journalist.partnerId
    // A full session, made as the sign-in makes it (cookie token, SHA-256 in the table).
    const token = randomBytes(32).toString('base64url')
    await queryRun(
      run,
      `INSERT INTO sessions (id, tenant_id, user_id, stage, csrf_secret, created_at, last_seen_at, expires_at)
       SELECT ${sqlText(tokenHash(token))}, tenant_id, id, 'full', ${sqlText(randomBytes(24).toString('base64url'))}, now(), now(), now() + interval '2 hours'
       FROM users WHERE email = ${sqlText(journalist.email)}`,
    )
    await context.addCookies([{ name: 'dh_sid', value: token, url: base }])

    const source = { name: 'Công an tỉnh Thanh Hóa', url: base }
    const [embargoed] = await queryRun<{ id: string; publish_at: Date }>(
      run,
      `SELECT id, publish_at FROM releases WHERE status = 'embargoed' AND publish_at > now() ORDER BY publish_at LIMIT 1`,
    )
    const withdrawnItem = randomUUID()
    const correctedItem = randomUUID()
    ids.publishOld = await deliver(
      'publish',
      300,
      {
        event: 'release.published',
        itemType: 'release',
        itemId: withdrawnItem,
        title: 'Cảnh báo thủ đoạn giả danh công an gọi điện yêu cầu chuyển tiền',
        summary: 'Công an tỉnh cảnh báo thủ đoạn lừa đảo mới.',
        body: 'Toàn văn cảnh báo.',
        source,
      },
      withdrawnItem,
    )
    ids.correction = await deliver(
      'correction',
      120,
      {
        event: 'release.corrected',
        itemType: 'release',
        itemId: correctedItem,
        title: 'Triệt phá đường dây đánh bạc qua mạng hơn 100 tỷ đồng',
        summary: 'Phòng Cảnh sát hình sự triệt phá đường dây đánh bạc qua mạng.',
        body: 'Ngày 20/11, lực lượng chức năng bắt giữ 6 đối tượng, thu giữ 12 điện thoại.',
        changeNote: 'Sửa số đối tượng bị bắt giữ từ 5 thành 6.',
        publicUrl: `${base}/tin`,
        source,
        files: [{ id: randomUUID(), name: 'anh-hien-truong.jpg', mime: 'image/jpeg', bytes: 245_000 }],
      },
      correctedItem,
    )
    if (embargoed) {
      ids.embargo = await deliver(
        'embargo',
        60,
        {
          event: 'release.embargoed',
          itemType: 'release',
          itemId: embargoed.id,
          title: 'Họp báo công bố kết quả chuyên án ma tuý xuyên tỉnh',
          summary: 'Tin cấm đăng trước: kết quả chuyên án.',
          body: 'Nội dung cấm đăng trước giờ công bố.',
          liftAt: new Date(embargoed.publish_at).toISOString(),
          publicUrl: `${base}/tin`,
          source,
        },
        embargoed.id,
      )
    }
    ids.kill = await deliver(
      'kill',
      10,
      {
        event: 'release.withdrawn',
        itemType: 'release',
        itemId: withdrawnItem,
        title: 'Cảnh báo thủ đoạn giả danh công an gọi điện yêu cầu chuyển tiền',
        summary: '',
        reason: 'Thông tin về số tài khoản chưa được xác minh; Văn phòng sẽ gửi bản mới.',
        source,
      },
      withdrawnItem,
    )
  }, 240_000)

  afterAll(async () => {
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()))
    await stopDemoRun(run)
  }, 60_000)

  it('shows the inbox: kill notice first and red, the embargo label and countdown, unread markers', async () => {
    await navigate(page, () => page.goto(`${base}/doi-tac/hop-thu`))
    expect(await heading(page)).toBe('Hộp thư')
    const first = page.locator('.dist-msg').first()
    expect(await first.getAttribute('data-kind')).toBe('kill')
    expect(await seen(first)).toContain('KHÔNG SỬ DỤNG / DO NOT USE')
    expect(await seen(first)).toContain('chưa được xác minh')
    expect(await page.locator('.dist-msg.unread').count()).toBeGreaterThanOrEqual(3)
    if (ids.embargo) {
      const e = page.locator(`[data-delivery="${ids.embargo}"]`)
      expect(await seen(e)).toContain('CẤM ĐĂNG TRƯỚC')
      await waitFor('the countdown', async () => ((await seen(e.locator('[data-countdown-text]'))).startsWith('còn') ? true : undefined))
    }
    expect(await seen(page.locator(`[data-delivery="${ids.publishOld}"]`))).toContain('ĐÃ RÚT')
    await phoneShot('inbox')
  }, 60_000)

  it('opens the kill notice (it turns read) and the correction with its note and files', async () => {
    await navigate(page, () => page.locator(`[data-delivery="${ids.kill}"] a.dist-open`).click())
    expect(await seen(page.locator('.dist-kill-label').first())).toBe('KHÔNG SỬ DỤNG / DO NOT USE')
    await phoneShot('kill-notice')
    const [state] = await queryRun<{ state: string }>(
      run as DemoRun,
      `SELECT state FROM distribution_deliveries WHERE id = ${sqlText(ids.kill as string)}`,
    )
    expect(state?.state).toBe('opened')

    await navigate(page, () => page.goto(`${base}/doi-tac/hop-thu/${ids.correction}`))
    const text = await seen(page.locator('main'))
    expect(text).toContain('Sửa số đối tượng bị bắt giữ từ 5 thành 6.')
    expect(text).toContain('anh-hien-truong.jpg')
    expect(text).toContain('Nguồn')
    expect(await page.locator('#report-coverage').getAttribute('href')).toMatch(/^\/doi-tac\/dua-tin\?item=release%3A/)
    await phoneShot('correction')
    if (ids.embargo) {
      await navigate(page, () => page.goto(`${base}/doi-tac/hop-thu/${ids.embargo}`))
      expect(await seen(page.locator('main'))).toContain('Nội dung cấm đăng trước giờ công bố.')
      await phoneShot('embargo')
    }
    await navigate(page, () => page.goto(`${base}/doi-tac/hop-thu`))
    expect(await page.locator(`[data-delivery="${ids.kill}"].unread`).count()).toBe(0)
  }, 60_000)

  it('changes the e-mail mode to a daily digest and leaves then rejoins a list', async () => {
    await navigate(page, () => page.goto(`${base}/doi-tac/nhan-tin`))
    expect(await heading(page)).toBe('Cài đặt nhận tin')
    await phoneShot('settings')
    await page.locator('input[name="mode"][value="digest"]').check()
    await page.locator('select[name="digestHour"]').selectOption('17')
    const saved = await submitButton(page, '/doi-tac/nhan-tin/email')
    expect(saved.status()).toBe(200)
    expect(await seen(page.locator('.alert.ok'))).toContain('Đã lưu')
    const [pref] = await queryRun<{ email_mode: string; digest_hour: number }>(
      run as DemoRun,
      `SELECT email_mode, digest_hour FROM distribution_preferences WHERE partner_id = ${sqlText(partnerId)}`,
    )
    expect(pref).toEqual({ email_mode: 'digest', digest_hour: 17 })

    const leave = page.locator('form[action$="/roi"] button').first()
    await navigate(page, () => leave.click())
    expect(await seen(page.locator('#lists'))).toContain('Đã rời')
    await phoneShot('settings-list-left')
    await navigate(page, () => page.locator('form[action$="/tham-gia"] button').first().click())
    expect(await seen(page.locator('.alert.ok'))).toContain('tham gia lại')
  }, 60_000)

  it('adds a webhook (secret shown once), sends a signed test that reaches the receiver, rotates the secret', async () => {
    await navigate(page, () => page.goto(`${base}/doi-tac/nhan-tin/webhook`))
    await page.locator('input[name="url"]').fill('ftp://bao.example.vn/hook')
    await page.locator('input[name="url"]').evaluate((el) => el.setAttribute('type', 'text'))
    const refused = await submitButton(page, '/doi-tac/nhan-tin/webhook')
    expect(refused.status()).toBe(400)
    expect(await seen(page.locator('.alert.error'))).toMatch(/\S/)
    await phoneShot('webhook-refused')

    await page.locator('input[name="url"]').fill(hookUrl)
    const created = await submitButton(page, '/doi-tac/nhan-tin/webhook')
    expect(created.status()).toBe(200)
    const secret = (await page.locator('#new-secret-value').inputValue()).trim()
    expect(secret).toMatch(/^whsec_/)
    await phoneShot('webhook-created')

    await navigate(page, () => page.locator('[data-webhook] a').first().click())
    expect(await seen(page.locator('main'))).not.toContain(secret)
    await navigate(page, () => page.locator('form[action$="/gui-thu"] button').click())
    expect(await seen(page.locator('#test-result'))).toMatch(/\S/)
    const ping = await waitFor('the test ping at the receiver', () => received.find((r) => r.headers['webhook-id']), 30_000)
    expect(ping.headers['webhook-signature']).toMatch(/^v1,/)
    // The page follows the test until it is sent.
    await waitFor(
      'the test shown as sent',
      async () => {
        await navigate(page, () => page.reload())
        return (await page.locator('#test-result [data-state="sent"]').count()) > 0 ? true : undefined
      },
      30_000,
      1000,
    )
    await phoneShot('webhook-tested')

    const rotated = await submitButton(page, `${new URL(page.url()).pathname}/xoay-khoa`)
    expect(rotated.status()).toBe(200)
    const next = (await page.locator('#new-secret-value').inputValue()).trim()
    expect(next).toMatch(/^whsec_/)
    expect(next).not.toBe(secret)
    await phoneShot('webhook-rotated')
  }, 120_000)
})
