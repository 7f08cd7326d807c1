/**
 * Day one on a fresh install, in a real browser: `donghanh serve` on an empty data folder; the
 * wizard asks for the office's identity, its first spokesperson and the first admin; the public
 * pages name that office (nothing of another province); the admin edits the identity and uploads
 * a logo on /console/settings and invites an editor; while the register has no active
 * spokesperson, the editor's new-release form says who can add one and links to the register;
 * once there is one, the editor creates the first release; an invited influencer lands on the
 * partners' own portal and header. Screenshots (desktop and 390-px
 * phone) under test-output/e2e/fresh-install/.
 */
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { ParsedMail } from 'mailparser'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../src/db/embedded.ts'
import { svgToPng } from '../../src/platform/html/raster.ts'
import {
  expectLabelledFields,
  expectVietnameseFont,
  heading,
  launchBrowser,
  navigate,
  prepareRun,
  ROOT,
  type Server,
  screenshots,
  seen,
  signOut,
  startServer,
  startSmtp,
  stopServerAndCheck,
  submitButton,
  type TestSmtp,
  totpCode,
  waitFor,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/fresh-install')
const shot = screenshots(SHOTS)
const SETUP_URL = { what: 'the setup URL', pattern: /(http:\/\/\S+\/console\/setup\?token=[\w-]+)/ }

/** A made-up office: its contacts are examples, not a real unit's. */
const OFFICE = {
  name: 'Công an tỉnh Ninh Bình',
  province: 'Ninh Bình',
  hotline: '0229 3000 113',
  email: 'banbientap@ninhbinh.example.vn',
  address: '2 đường Lê Hồng Phong, phường Hoa Lư, tỉnh Ninh Bình',
}
const NEW_HOTLINE = '0229 3999 113'
const SPOKESPERSON = { name: 'Đại tá Đinh Văn Tiên', title: 'Phó Giám đốc', phone: '0229 3000 114', email: 'phatngon@ninhbinh.example.vn' }
const ADMIN = { name: 'Phạm Quang Minh', email: 'minh.pq@ninhbinh.example.vn', password: 'Tràng An non nước hữu tình 2026' }
const EDITOR = { name: 'Vũ Thị Thu Hà', email: 'ha.vtt@ninhbinh.example.vn', password: 'Tam Cốc Bích Động mùa lúa chín' }
const INFLUENCER = { name: 'Lê Hoàng Nam', email: 'nam.lh@kenh.example.vn', password: 'Hang Múa ngắm cánh đồng lúa' }
const RELEASE = {
  title: 'Khuyến cáo người dân cảnh giác với cuộc gọi giả danh công an',
  body: 'Thời gian gần đây xuất hiện các cuộc gọi giả danh cán bộ công an yêu cầu chuyển tiền.\n\nCông an không làm việc qua điện thoại và không yêu cầu chuyển tiền.',
}

/** Enrols TOTP on the enrolment page and continues to the console; returns the secret. */
async function enrol(page: Page): Promise<string> {
  expect(new URL(page.url()).pathname).toBe('/console/totp/enrol')
  const secret = (await seen(page.locator('#totp-secret'))).replace(/\s+/g, '')
  await page.getByLabel('Mã 6 số trong ứng dụng xác thực').fill(totpCode(secret))
  expect((await submitButton(page, '/console/totp/enrol')).status()).toBe(200)
  const res = await navigate(page, () => page.getByRole('link', { name: 'Tôi đã lưu, tiếp tục' }).click())
  expect(res.status()).toBe(200)
  return secret
}

/** Sets the "active" box of the one spokesperson (admin's browser) and saves. */
async function setSpokespersonActive(page: Page, base: string, active: boolean): Promise<void> {
  await navigate(page, () => page.goto(`${base}/console/spokespersons`))
  const card = page.locator('main section.card', { hasText: SPOKESPERSON.name })
  await card.locator('summary', { hasText: 'Sửa thông tin' }).click()
  const form = card.locator('form[action^="/console/spokespersons/"]:not([action$="/delegations"])')
  await form.getByLabel('Đang phát ngôn').setChecked(active)
  const res = await navigate(page, () => form.locator('button[type="submit"]').click())
  expect(res.status()).toBe(200)
  expect(await seen(page.getByRole('status').first())).not.toBe('')
}

describe('fresh install in a browser: wizard (office, spokesperson, admin) → settings → editor → first release', () => {
  let work: string
  let server: Server | undefined
  let smtp: TestSmtp | undefined
  let adminBrowser: BrowserContext | undefined
  let editorBrowser: BrowserContext | undefined
  const mails: ParsedMail[] = []

  beforeAll(async () => {
    work = await prepareRun(SHOTS, 'donghanh-e2e-fresh-')
    smtp = await startSmtp((mail) => mails.push(mail))
    const port = await freePort()
    server = await startServer(
      {
        DATA_DIR: path.join(work, 'data'),
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        NODE_ENV: 'test',
      },
      SETUP_URL,
    )
    adminBrowser = await launchBrowser(path.join(work, 'chromium-admin'))
    editorBrowser = await launchBrowser(path.join(work, 'chromium-editor'))
  }, 120_000)

  afterAll(async () => {
    const problems: string[] = []
    for (const b of [adminBrowser, editorBrowser]) await b?.close().catch((e: Error) => problems.push(`closing a browser: ${e.message}`))
    problems.push(...(await stopServerAndCheck(server, work)))
    await smtp?.close()
    if (work) await rm(work, { recursive: true, force: true })
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${server?.output() ?? ''}`)
  }, 60_000)

  it('takes a new office from the setup link to its first release', async () => {
    if (!server || !adminBrowser || !editorBrowser) throw new Error('not started')
    const base = server.baseUrl
    const admin = adminBrowser.pages()[0] ?? (await adminBrowser.newPage())
    const editor = editorBrowser.pages()[0] ?? (await editorBrowser.newPage())

    // 1. The wizard: office, first spokesperson, first admin. Nothing of a province is built in.
    let res = await navigate(admin, () => admin.goto(server?.printed as string))
    expect(res.status()).toBe(200)
    expect(await heading(admin)).toBe('Cài đặt lần đầu')
    const wizardText = await seen(admin.locator('main'))
    expect(wizardText).toContain('Người phát ngôn đầu tiên')
    expect(wizardText).not.toMatch(/Thanh Hóa|2609/)
    expect(await admin.getByLabel('Tên đơn vị').inputValue()).toBe('')
    await expectLabelledFields(admin)
    await expectVietnameseFont(admin)
    await shot(admin, 'wizard', { phone: true })
    await admin.getByLabel('Tên đơn vị').fill(OFFICE.name)
    await admin.getByLabel('Tỉnh, thành phố').fill(OFFICE.province)
    await admin.getByLabel('Đường dây nóng').fill('gọi cho tôi')
    await admin.getByLabel('E-mail liên hệ của đơn vị').fill(OFFICE.email)
    await admin.getByLabel('Địa chỉ trụ sở').fill(OFFICE.address)
    await admin.getByLabel('Họ tên người phát ngôn').fill(SPOKESPERSON.name)
    await admin.getByLabel('Chức vụ').fill(SPOKESPERSON.title)
    await admin.getByLabel('Điện thoại').fill(SPOKESPERSON.phone)
    await admin.getByLabel('E-mail người phát ngôn').fill(SPOKESPERSON.email)
    await admin.getByLabel('Họ và tên').fill(ADMIN.name)
    await admin.getByLabel('Thư điện tử').fill(ADMIN.email)
    await admin.getByLabel('Mật khẩu mới').fill(ADMIN.password)
    await admin.getByLabel('Nhập lại mật khẩu').fill(ADMIN.password)
    // A hotline that is not a number: a 400 in both languages, everything typed kept.
    res = await submitButton(admin, '/console/setup')
    expect(res.status()).toBe(400)
    const refusal = await seen(admin.getByRole('alert'))
    expect(refusal).toContain('Đường dây nóng chỉ gồm chữ số')
    expect(refusal).toContain('The hotline may only hold digits')
    expect(await admin.getByLabel('Tên đơn vị').inputValue()).toBe(OFFICE.name)
    expect(await admin.getByLabel('Họ tên người phát ngôn').inputValue()).toBe(SPOKESPERSON.name)
    await shot(admin, 'wizard-bad-hotline', { phone: true })
    await admin.getByLabel('Đường dây nóng').fill(OFFICE.hotline)
    await admin.getByLabel('Mật khẩu mới').fill(ADMIN.password)
    await admin.getByLabel('Nhập lại mật khẩu').fill(ADMIN.password)
    res = await submitButton(admin, '/console/setup')
    expect(res.status()).toBe(200)
    await enrol(admin)
    expect(await heading(admin)).toBe(`Xin chào, ${ADMIN.name}`)

    // 2. The public home page names the office, its hotline and contacts; no other province.
    res = await navigate(admin, () => admin.goto(`${base}/`))
    expect(res.status()).toBe(200)
    expect(await heading(admin)).toBe(OFFICE.name)
    const home = await seen(admin.locator('body'))
    expect(home).toContain(OFFICE.hotline)
    expect(home).toContain(OFFICE.address)
    expect(home).not.toMatch(/Thanh Hóa|2609|lời mời họp báo|bộ tài liệu/)
    expect(await admin.title()).toContain(OFFICE.name)
    await shot(admin, 'home', { phone: true })

    // 3. Settings: only the admin's menu has it; a new hotline and a logo show on the public pages.
    res = await navigate(admin, () => admin.goto(`${base}/console`))
    res = await navigate(admin, () => admin.locator('header nav a[href="/console/settings"]').click())
    expect(res.status()).toBe(200)
    expect(await heading(admin)).toBe('Cài đặt đơn vị')
    expect(await admin.getByLabel('Tên đơn vị').inputValue()).toBe(OFFICE.name)
    await expectLabelledFields(admin)
    await shot(admin, 'settings', { phone: true })
    await admin.getByLabel('Đường dây nóng').fill(NEW_HOTLINE)
    res = await submitButton(admin, '/console/settings/identity')
    expect(res.status()).toBe(200)
    expect(await seen(admin.getByRole('status').first())).toBe('Đã lưu thông tin đơn vị.')
    const logoPath = path.join(work, 'logo.png')
    await writeFile(
      logoPath,
      svgToPng(
        '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"><circle cx="48" cy="48" r="46" fill="#b71c1c"/><polygon points="48,14 57,40 85,40 62,56 71,82 48,66 25,82 34,56 11,40 39,40" fill="#ffd600"/></svg>',
      ),
    )
    await admin.getByLabel('Tệp ảnh biểu trưng').setInputFiles(logoPath)
    res = await submitButton(admin, '/console/settings/logo')
    expect(res.status()).toBe(200)
    expect(await seen(admin.getByRole('status').first())).toBe('Đã cập nhật biểu trưng.')
    expect(await admin.locator('main img.logo-preview').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(
      96,
    )
    await shot(admin, 'settings-saved', { phone: true })
    res = await navigate(admin, () => admin.goto(`${base}/`))
    expect(await seen(admin.locator('main'))).toContain(NEW_HOTLINE)
    expect(await seen(admin.locator('footer'))).toContain(NEW_HOTLINE)
    expect(await admin.locator('header img.brand-logo').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(
      96,
    )
    await shot(admin, 'home-with-logo', { phone: true })

    // 4. The admin invites an editor; the editor accepts in their own browser and enrols.
    res = await navigate(admin, () => admin.goto(`${base}/console/users`))
    const invite = admin.locator('main form[action="/console/users/invite"]')
    await invite.getByLabel('Thư điện tử').fill(EDITOR.email)
    await invite.getByLabel('Họ và tên').fill(EDITOR.name)
    await invite.getByLabel('Vai trò').selectOption('editor')
    expect((await submitButton(admin, '/console/users/invite')).status()).toBe(200)
    const mail = await waitFor('the invitation e-mail', () =>
      mails.find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(EDITOR.email))),
    )
    // The mail names the office as entered in the wizard.
    expect(mail.text).toContain(OFFICE.name)
    const link = /(https?:\/\/\S+\/console\/invite\/accept\?token=[\w-]+)/.exec(mail.text ?? '')?.[1]
    if (!link) throw new Error(`no invitation link in the mail:\n${mail.text}`)
    await navigate(editor, () => editor.goto(link))
    await editor.getByLabel('Họ và tên').fill(EDITOR.name)
    await editor.getByLabel('Mật khẩu mới').fill(EDITOR.password)
    await editor.getByLabel('Nhập lại mật khẩu').fill(EDITOR.password)
    expect((await submitButton(editor, '/console/invite/accept')).status()).toBe(200)
    await editor.getByLabel('Thư điện tử').fill(EDITOR.email)
    await editor.getByLabel('Mật khẩu', { exact: true }).fill(EDITOR.password)
    expect((await submitButton(editor, '/console/sign-in')).status()).toBe(200)
    await enrol(editor)
    expect(await heading(editor)).toBe(`Xin chào, ${EDITOR.name}`)
    // Settings are the admin's: no menu entry, and the page is refused.
    expect(await editor.locator('header nav a[href="/console/settings"]').count()).toBe(0)
    expect((await navigate(editor, () => editor.goto(`${base}/console/settings`))).status()).toBe(403)

    // 5. No active spokesperson: the new-release form says who can add one, with the link.
    await setSpokespersonActive(admin, base, false)
    res = await navigate(editor, () => editor.goto(`${base}/console/releases/new`))
    expect(res.status()).toBe(200)
    const empty = editor.locator('#no-spokesperson')
    expect(await seen(empty)).toContain('Chỉ quản trị viên hoặc người duyệt thêm được người phát ngôn')
    expect(await editor.getByLabel('Người phát ngôn').getAttribute('aria-describedby')).toBe('no-spokesperson')
    await shot(editor, 'release-new-no-spokesperson', { phone: true })
    res = await navigate(editor, () => empty.getByRole('link', { name: 'Xem danh sách người phát ngôn' }).click())
    expect(res.status()).toBe(200)
    expect(new URL(editor.url()).pathname).toBe('/console/spokespersons')
    expect(await seen(editor.locator('#who-manages'))).toContain('Chỉ quản trị viên và người duyệt')
    await shot(editor, 'spokespersons-as-editor', { phone: true })

    // 6. With the spokesperson active again, the editor creates the first release.
    await setSpokespersonActive(admin, base, true)
    res = await navigate(editor, () => editor.goto(`${base}/console/releases/new`))
    expect(await editor.locator('#no-spokesperson').count()).toBe(0)
    await editor.getByLabel('Người phát ngôn').selectOption({ label: `${SPOKESPERSON.name} — ${SPOKESPERSON.title}` })
    await editor.getByLabel('Tiêu đề', { exact: true }).fill(RELEASE.title)
    await editor.getByLabel('Nội dung (Markdown)').fill(RELEASE.body)
    res = await submitButton(editor, '/console/releases/new')
    expect(res.status()).toBe(200)
    expect(await heading(editor)).toBe(RELEASE.title)
    expect(await seen(editor.getByRole('status').first())).toContain('Đã tạo bản nháp.')
    await shot(editor, 'first-release', { phone: true })

    // 7. A partner (influencer) gets the partners' own header and a portal that promises
    // nothing they cannot see (no embargoed material: that is for journalists).
    res = await navigate(admin, () => admin.goto(`${base}/console/users`))
    await invite.getByLabel('Thư điện tử').fill(INFLUENCER.email)
    await invite.getByLabel('Họ và tên').fill(INFLUENCER.name)
    await invite.getByLabel('Vai trò').selectOption('influencer')
    expect((await submitButton(admin, '/console/users/invite')).status()).toBe(200)
    const partnerMail = await waitFor('the partner invitation e-mail', () =>
      mails.find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(INFLUENCER.email))),
    )
    const partnerLink = /(https?:\/\/\S+\/console\/invite\/accept\?token=[\w-]+)/.exec(partnerMail.text ?? '')?.[1]
    if (!partnerLink) throw new Error(`no invitation link in the mail:\n${partnerMail.text}`)
    await signOut(editor)
    await navigate(editor, () => editor.goto(partnerLink))
    await editor.getByLabel('Họ và tên').fill(INFLUENCER.name)
    await editor.getByLabel('Mật khẩu mới').fill(INFLUENCER.password)
    await editor.getByLabel('Nhập lại mật khẩu').fill(INFLUENCER.password)
    expect((await submitButton(editor, '/console/invite/accept')).status()).toBe(200)
    await editor.getByLabel('Thư điện tử').fill(INFLUENCER.email)
    await editor.getByLabel('Mật khẩu', { exact: true }).fill(INFLUENCER.password)
    // Signed in, the partner lands on the portal at /doi-tac, which needs a partner record behind
    // the account: an invited account without one is refused (403) and told so, in the partners'
    // header (fail closed).
    expect((await submitButton(editor, '/console/sign-in')).status()).toBe(403)
    expect(new URL(editor.url()).pathname).toBe('/doi-tac')
    expect(await heading(editor)).toBe('Trang này chỉ dành cho đối tác báo chí đã đăng ký.')
    expect(await seen(editor.locator('header .brand'))).toContain('Đồng Hành · Cổng đối tác')
    const partnerNav = await seen(editor.locator('header nav'))
    expect(partnerNav).toContain('Cổng đối tác')
    expect(partnerNav).not.toMatch(/Tổng quan|Cấm đăng/)
    expect(await editor.locator('header a[href="/console"]').count()).toBe(0)
    expect(await seen(editor.locator('main'))).not.toMatch(/cấm đăng|embargo/i)
    await shot(editor, 'partner-portal', { phone: true })
  }, 240_000)
})
