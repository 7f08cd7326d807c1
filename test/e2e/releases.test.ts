/**
 * Releases in a real browser, from draft to public: `donghanh seed-demo` fills a fresh data
 * folder (demo editor and approver with passwords and TOTP secrets), then `donghanh serve`
 * runs on it. The editor drafts a release with Vietnamese text, uploads a PNG, pastes its
 * Markdown into the body, sees the live preview and the live findings panel (a guilt word,
 * then fixed), and submits. The approver approves it with a schedule at the next whole
 * minute at least 20 s ahead (the console takes minutes); until the lift an anonymous
 * browser sees nothing of it on the page, search, feeds or sitemap; after the lift it sees
 * the page with its image, spokesperson and verification code, and the feed and search have
 * it. Then a correction with a public note, approved at once, and `/xac-minh` confirms the
 * page's text, flags an altered copy with the change highlighted, and finds the code.
 * Every page is saved as a screenshot under test-output/e2e/releases/.
 *
 * Chromium: see test/e2e/global-setup.ts (CHROMIUM_PATH, a system one, or the npm one).
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { slugify } from '../../src/modules/releases/releases.workflow.ts'
import {
  type DemoRun,
  demoUser,
  expectAccessible,
  expectLabelledFields,
  expectVietnameseFont,
  heading,
  navigate,
  ROOT,
  screenshots,
  seen,
  signIn,
  signOut,
  startDemoRun,
  stopDemoRun,
  submitButton,
  waitFor,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/releases')
const shot = screenshots(SHOTS)

/** The release, in Vietnamese with diacritics (the story has no person's name: no personal data). */
const RELEASE = {
  kind: 'activity',
  title: 'Công an xã Quảng Ngọc trao trả 52 triệu đồng cho người đánh rơi',
  summary: 'Một học sinh lớp 8 nhặt được chiếc ví có 52 triệu đồng trên đường đi học và nhờ Công an xã Quảng Ngọc tìm người đánh rơi.',
  body: [
    'Sáng 20/11/2026, Công an xã Quảng Ngọc tiếp nhận chiếc ví do một học sinh lớp 8 nhặt được trên tuyến đường liên xã. Trong ví có 52 triệu đồng cùng nhiều giấy tờ.',
    '## Trao trả tài sản',
    'Sau khi xác minh, Công an xã đã liên hệ được người đánh rơi là một tiểu thương ở xã bên và trao trả toàn bộ tài sản vào chiều cùng ngày.',
    'Công an tỉnh khen ngợi hành động đẹp của em học sinh và đề nghị nhà trường biểu dương.',
  ].join('\n\n'),
  category: 'Gương người tốt',
  tags: 'nhặt được của rơi, trả lại tài sản',
  communes: ['phuong-hac-thanh', 'phuong-ham-rong'],
  spokesperson: 'Trịnh Văn Hải',
  imageAlt: 'Cán bộ Công an xã Quảng Ngọc trao trả chiếc ví',
}
/** Typed into the body to see the live findings panel, then fixed with its "Áp dụng" button. */
const GUILT_SENTENCE = 'Hung thủ trộm chiếc ví trước đó đã vứt lại nó bên vệ đường.'
const FIXED_SENTENCE = 'Đối tượng trộm chiếc ví trước đó đã vứt lại nó bên vệ đường.'
/** The correction: one sentence changed, with its public note. */
const OLD_SENTENCE = 'Trong ví có 52 triệu đồng cùng nhiều giấy tờ.'
const NEW_SENTENCE = 'Trong ví có 52 triệu đồng cùng căn cước công dân và giấy tờ xe mang tên chủ ví.'
const CHANGE_NOTE = 'Bổ sung: giấy tờ trong ví gồm căn cước công dân và giấy tờ xe.'
/** What the search is asked (folded, no diacritics: it must find "Quảng Ngọc"). */
const SEARCH_WORDS = 'quang ngoc'

// --- small helpers ----------------------------------------------------------------------

/** A valid PNG (RGB, 8 bits) of `width` × `height` whose pixels come from `colour`. */
function makePng(width: number, height: number, colour: (x: number, y: number) => [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(data.length, 0)
    head.write(type, 4, 'latin1')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
    return Buffer.concat([head, data, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit, truecolour, deflate, no filter method, no interlace
  const rows = Buffer.alloc(height * (1 + width * 3))
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3) // filter byte 0 (none), then RGB triples
    for (let x = 0; x < width; x++) rows.set(colour(x, y), row + 1 + x * 3)
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}

/** A `datetime-local` value of an instant in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
function vietnamLocalInput(at: number): string {
  return new Date(at + 7 * 3_600_000).toISOString().slice(0, 16)
}

/** The id of the release whose console page is open. */
function releaseIdOf(page: Page): string {
  const id = /^\/console\/releases\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)?.[1]
  if (!id) throw new Error(`not on a release page: ${page.url()}`)
  return id
}

/** True when the `<img>` matched by `selector` is loaded and has pixels (not a broken image). */
async function imageLoaded(page: Page, selector: string): Promise<boolean> {
  const img = page.locator(selector).first()
  await img.scrollIntoViewIfNeeded()
  return img.evaluate((el) => {
    const i = el as unknown as { complete: boolean; naturalWidth: number }
    return i.complete && i.naturalWidth > 0
  })
}

// --- the flow ---------------------------------------------------------------------------

describe('releases in a browser: draft with an image → scheduled approval → lift → correction → verify', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    // Two browsers with their own cookies: the press office, and a reader who never signs in.
    run = await startDemoRun(SHOTS, 'donghanh-e2e-releases-', { browsers: 2 })
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('drafts, schedules, lifts, corrects and verifies a release', async () => {
    if (!run) throw new Error('not started')
    const { server, manifest } = run
    const [staff, anon] = run.browsers as [BrowserContext, BrowserContext]
    const base = server.baseUrl
    expect(server.printed).toBe(base)
    const editor = demoUser(manifest, 'editor')
    const approver = demoUser(manifest, 'approver')
    const page = staff.pages()[0] ?? (await staff.newPage())
    const readers = anon
    const reader = readers.pages()[0] ?? (await readers.newPage())
    const slug = slugify(RELEASE.title)
    const publicPath = `/tin/${slug}`
    const png = makePng(480, 270, (x, y) => [
      0xc8 - Math.round((y / 270) * 60),
      Math.round((x / 480) * 40),
      0x1e + Math.round((x / 480) * 30),
    ])
    const pngPath = path.join(run.work, 'trao-tra-tai-san.png')
    await writeFile(pngPath, png)

    const signInAs = async (who: string, user: typeof editor) => {
      let res = await navigate(page, () => page.goto(`${base}/console/sign-in`))
      expect(res.status()).toBe(200)
      await signIn(page, shot, who, user, user.secret)
      expect(await heading(page)).toBe(`Xin chào, ${user.name}`)
      res = await navigate(page, () => page.reload())
      expect(res.status()).toBe(200)
    }

    // 1. The editor signs in and opens Releases → New.
    await signInAs('editor', editor)
    await expectVietnameseFont(page)
    await shot(page, 'editor-dashboard')
    let res = await navigate(page, () => page.locator('header nav').getByRole('link', { name: 'Tin, thông cáo', exact: true }).click())
    expect(res.status()).toBe(200)
    expect(await heading(page)).toBe('Tin và thông cáo')
    await shot(page, 'releases-list', { phone: true })
    await expectAccessible(page, 'releases-list')
    res = await navigate(page, () => page.getByRole('link', { name: 'Soạn tin mới' }).click())
    expect(res.status()).toBe(200)
    expect(new URL(page.url()).pathname).toBe('/console/releases/new')
    expect(await heading(page)).toBe('Soạn tin mới')
    await expectLabelledFields(page)
    expect(await seen(page.locator('main'))).toContain('Lưu bản nháp trước, rồi tải ảnh và tài liệu lên.')
    await shot(page, 'release-new', { phone: true })
    await expectAccessible(page, 'release-new')

    // 2. Kind, spokesperson, title, summary, body, category, tags, communes → draft.
    await page.getByLabel('Loại tin').selectOption(RELEASE.kind)
    const spokesperson = (await page.getByLabel('Người phát ngôn').locator('option').allInnerTexts()).find((o) =>
      o.includes(RELEASE.spokesperson),
    )
    if (!spokesperson) throw new Error('the demo spokesperson is not offered')
    await page.getByLabel('Người phát ngôn').selectOption({ label: spokesperson })
    await page.getByLabel('Tiêu đề', { exact: true }).fill(RELEASE.title)
    await page.getByLabel('Tóm tắt').fill(RELEASE.summary)
    await page.getByLabel('Nội dung (Markdown)').fill(RELEASE.body)
    await page.getByLabel('Chuyên mục').fill(RELEASE.category)
    await page.getByLabel('Từ khóa').fill(RELEASE.tags)
    // The picker hides the select and follows its changes (accessibility.test.ts types into the picker).
    await page.locator('select[name="communes"]').selectOption(RELEASE.communes, { force: true })
    expect(await page.locator('.picker-chips .chip > span').allInnerTexts()).toEqual(['Phường Hàm Rồng', 'Phường Hạc Thành'])
    // The live preview follows the typing; the summary counter too (a preview sent while the
    // fields were still being filled may land first: wait for the one of the whole form).
    await waitFor('the live preview of the whole form', async () => {
      const title = await seen(page.locator('#preview h2'))
      const count = await seen(page.locator('#summary-count'))
      const preview = await seen(page.locator('#preview'))
      const done = title === RELEASE.title && count === `${RELEASE.summary.length}/300 ký tự` && preview.includes('Trao trả tài sản')
      return done ? true : undefined
    })
    await shot(page, 'release-new-filled')
    res = await submitButton(page, '/console/releases/new')
    expect(res.status()).toBe(200)
    const id = releaseIdOf(page)
    expect(await heading(page)).toBe(RELEASE.title)
    expect(await seen(page.getByRole('status').first())).toContain('Đã tạo bản nháp.')
    expect(await seen(page.locator('main'))).toContain('Bản nháp')
    await shot(page, 'release-draft', { phone: true })
    await expectAccessible(page, 'release-draft')

    // 3. The image upload, then its Markdown snippet pasted into the body after the first paragraph.
    await page.getByLabel('Tệp ảnh hoặc tài liệu').setInputFiles(pngPath)
    await page.getByLabel('Mô tả ảnh (cho người khiếm thị)').fill(RELEASE.imageAlt)
    res = await submitButton(page, `/console/releases/${id}/files`)
    expect(res.status()).toBe(200)
    const snippet = (await seen(page.locator('.alert', { hasText: 'Dán đoạn sau vào nội dung' }).locator('code'))).trim()
    expect(snippet).toMatch(new RegExp(`^!\\[${RELEASE.imageAlt}\\]\\(/tep/[0-9a-f-]+/trao-tra-tai-san\\.png\\)$`))
    expect(await seen(page.locator('main'))).toContain('trao-tra-tai-san.png')
    await shot(page, 'release-uploaded')
    const body = page.getByLabel('Nội dung (Markdown)')
    const afterFirstParagraph = RELEASE.body.indexOf('\n\n')
    await body.evaluate((el, at) => {
      const area = el as unknown as { focus(): void; setSelectionRange(a: number, b: number): void }
      area.focus()
      area.setSelectionRange(at, at)
    }, afterFirstParagraph)
    await page.keyboard.insertText(`\n\n${snippet}`)
    const imageSrc = /\((\/tep\/[^)]+)\)/.exec(snippet)?.[1] as string
    const previewImage = `#preview img[src="${imageSrc}"]`
    await waitFor('the image in the live preview', async () => ((await page.locator(previewImage).count()) === 1 ? true : undefined))
    expect(await page.locator(previewImage).getAttribute('alt')).toBe(RELEASE.imageAlt)
    const previewImageLoads = await imageLoaded(page, previewImage)
    await shot(page, 'release-preview-image')

    // 4. The live findings panel: a guilt word is flagged as serious, then fixed with one click.
    await body.evaluate((el) => {
      const area = el as unknown as { focus(): void; value: string; setSelectionRange(a: number, b: number): void }
      area.focus()
      area.setSelectionRange(area.value.length, area.value.length)
    })
    await page.keyboard.insertText(`\n\n${GUILT_SENTENCE}`)
    const guilt = page.locator('#findings .finding-item', { hasText: 'hung thủ' })
    await waitFor('the guilt finding in the live panel', async () => ((await guilt.count()) > 0 ? true : undefined))
    expect(await seen(guilt.first())).toContain('Nghiêm trọng')
    expect(await seen(page.locator('#findings'))).toContain('Rủi ro cao')
    await guilt.first().scrollIntoViewIfNeeded()
    await shot(page, 'release-finding-guilt')
    await expectAccessible(page, 'release-finding-guilt')
    // One click puts the one safe term in place, capitalised at the start of the sentence.
    await guilt.first().locator('.mask-button').click()
    await waitFor('the term replaced in the body', async () => ((await body.inputValue()).includes(FIXED_SENTENCE) ? true : undefined))
    await waitFor('the findings panel to clear', async () =>
      (await seen(page.locator('#findings'))).includes('Không phát hiện vấn đề nào.') ? true : undefined,
    )
    expect(await guilt.count()).toBe(0)
    await shot(page, 'release-finding-fixed')
    res = await submitButton(page, `/console/releases/${id}`)
    expect(res.status()).toBe(200)
    expect(await seen(page.getByRole('status').first())).toContain('Đã lưu.')
    const savedBody = await body.inputValue()
    expect(savedBody).toContain(snippet)
    expect(savedBody).toContain(FIXED_SENTENCE)

    // 5. Submit for approval; the four-eyes rule is stated; sign out.
    res = await submitButton(page, `/console/releases/${id}/submit`)
    expect(res.status()).toBe(200)
    expect(await seen(page.getByRole('status').first())).toContain('Đã gửi duyệt.')
    expect(await seen(page.locator('main'))).toContain('Chờ duyệt')
    await shot(page, 'release-submitted', { phone: true })
    await signOut(page)

    // 6. The approver: Approvals → the release → approve with a schedule.
    await signInAs('approver', approver)
    // The menu entry carries the count of what waits on this approver ("Chờ duyệt 1").
    res = await navigate(page, () => page.locator('header nav a[href="/console/approvals"]').click())
    expect(res.status()).toBe(200)
    expect(await heading(page)).toBe('Chờ duyệt')
    const queued = page.locator('main li.inbox-item', { hasText: RELEASE.title })
    expect(await seen(queued)).toContain(editor.email)
    await shot(page, 'approvals', { phone: true })
    await expectAccessible(page, 'approvals')
    res = await navigate(page, () => queued.getByRole('link', { name: RELEASE.title }).click())
    expect(res.status()).toBe(200)
    expect(releaseIdOf(page)).toBe(id)
    expect(await page.locator(`#preview img[src="${imageSrc}"]`).count()).toBe(1)
    await expectLabelledFields(page)
    await shot(page, 'approval-open', { phone: true })
    await expectAccessible(page, 'approval-open')
    // The console takes minutes: the lift is the next whole minute at least 20 s from now.
    const liftAt = Math.ceil((Date.now() + 20_000) / 60_000) * 60_000
    const approve = page.locator(`main form[action="/console/releases/${id}/approve"]`)
    await approve.locator('input[name="mode"][value="schedule"]').check()
    await approve.getByLabel('Thời điểm (giờ Việt Nam)').fill(vietnamLocalInput(liftAt))
    await shot(page, 'approval-schedule')
    res = await submitButton(page, `/console/releases/${id}/approve`)
    expect(res.status()).toBe(200)
    expect(new URL(page.url()).searchParams.get('done')).toBe('scheduled')
    expect(await seen(page.getByRole('status').first())).toContain('Đã duyệt và hẹn giờ công bố.')
    expect(await seen(page.locator('main'))).toContain('Hẹn giờ công bố')
    await shot(page, 'approved-scheduled')
    res = await navigate(page, () => page.locator('header nav').getByRole('link', { name: 'Lịch công bố', exact: true }).click())
    expect(res.status()).toBe(200)
    const calendarRow = page.locator('main table tbody tr', { hasText: RELEASE.title })
    expect(await calendarRow.count()).toBe(1)
    expect(await calendarRow.locator('time').getAttribute('datetime')).toBe(new Date(liftAt).toISOString())
    expect(await seen(calendarRow)).toContain('Hẹn giờ công bố')
    await shot(page, 'calendar', { phone: true })
    await expectAccessible(page, 'calendar')

    // 7. Before the lift a reader sees nothing of it, anywhere (not even the title).
    expect(Date.now()).toBeLessThan(liftAt - 3_000)
    const secret = [RELEASE.title, slug, 'Quảng Ngọc', 'trao-tra-tai-san']
    const expectNothing = (what: string, text: string, except: string[] = []) => {
      for (const s of secret.filter((x) => !except.includes(x))) expect(text, `${what} before the lift`).not.toContain(s)
    }
    res = await navigate(reader, () => reader.goto(`${base}${publicPath}`))
    expect(res.status()).toBe(404)
    // The 404 page links its own address (the language switch): the slug the reader typed, nothing more.
    expectNothing('the release URL', await reader.content(), [slug])
    await shot(reader, 'public-release-before-lift-404')
    res = await navigate(reader, () => reader.goto(`${base}/tim-kiem?q=${encodeURIComponent(SEARCH_WORDS)}`))
    expect(res.status()).toBe(200)
    expect(await seen(reader.getByRole('status'))).toBe('Không tìm thấy tin nào phù hợp.')
    expectNothing('the search', await reader.content())
    await shot(reader, 'public-search-before-lift')
    for (const p of ['/', '/tin', '/rss.xml', '/atom.xml', '/feed.json', '/sitemap.xml']) {
      const r = await readers.request.get(`${base}${p}`)
      expect(r.status(), p).toBe(200)
      expectNothing(p, await r.text())
    }

    // 8. The lift: poll the page as a reader would; never early, at most a moment late.
    const shownAt = await waitFor(
      'the release to be published at its lift time',
      async () => ((await readers.request.get(`${base}${publicPath}`)).status() === 200 ? Date.now() : undefined),
      liftAt - Date.now() + 15_000,
      200,
    )
    const late = shownAt - liftAt
    expect(late, 'published before its lift time').toBeGreaterThanOrEqual(0)
    expect(late, 'published too long after its lift time').toBeLessThan(2_500)
    res = await navigate(reader, () => reader.goto(`${base}${publicPath}`))
    expect(res.status()).toBe(200)
    expect(await heading(reader)).toBe(RELEASE.title)
    const article = await seen(reader.locator('article.release'))
    expect(article).toContain(RELEASE.summary)
    expect(article).toContain(OLD_SENTENCE)
    expect(article).toContain(FIXED_SENTENCE)
    expect(article).toContain('Phường Hạc Thành')
    expect(await seen(reader.locator('.spokesperson'))).toContain(RELEASE.spokesperson)
    const firstCode = (await seen(reader.locator('.verify-code'))).trim()
    expect(firstCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    const publicImage = `article.release .prose img[src="${imageSrc}"]`
    expect(await reader.locator(publicImage).getAttribute('alt')).toBe(RELEASE.imageAlt)
    expect(await imageLoaded(reader, publicImage), 'the image on the public page').toBe(true)
    await expectVietnameseFont(reader)
    await shot(reader, 'public-release', { phone: true })
    await expectAccessible(reader, 'public-release')
    const rss = await (await readers.request.get(`${base}/rss.xml`)).text()
    expect(rss).toContain(RELEASE.title)
    expect(rss).toContain(`${base}${publicPath}`)
    expect(await (await readers.request.get(`${base}/sitemap.xml`)).text()).toContain(`${base}${publicPath}`)
    res = await navigate(reader, () => reader.goto(`${base}/tim-kiem?q=${encodeURIComponent(SEARCH_WORDS)}`))
    expect(res.status()).toBe(200)
    expect(await seen(reader.getByRole('status'))).toBe('Tìm thấy 1 tin.')
    const hit = reader.locator('.news-list article', { hasText: 'Quảng Ngọc' })
    expect(await hit.locator('h3 a').getAttribute('href')).toBe(`/tin/${encodeURIComponent(slug)}`)
    expect(await hit.locator('mark').allInnerTexts()).toContain('Quảng Ngọc')
    await shot(reader, 'public-search-after-lift', { phone: true })
    await expectAccessible(reader, 'public-search-after-lift')
    // A day and month finds the release that says "Sáng 20/11/2026" (one token to the database).
    res = await navigate(reader, () => reader.goto(`${base}/tim-kiem?q=${encodeURIComponent('20/11')}`))
    expect(await seen(reader.getByRole('status'))).toBe('Tìm thấy 1 tin.')
    expect(await reader.locator('.news-list article mark').allInnerTexts()).toContain('20/11')
    await shot(reader, 'public-search-date')
    res = await navigate(reader, () => reader.goto(`${base}/tin`))
    expect(await seen(reader.locator('main'))).toContain(RELEASE.title)
    await shot(reader, 'public-news-list', { phone: true })
    await expectAccessible(reader, 'public-news-list')

    // 9. A correction: the editor changes a sentence and writes the public note.
    await signOut(page)
    await signInAs('editor-again', editor)
    res = await navigate(page, () => page.goto(`${base}/console/releases?tab=published`))
    expect(res.status()).toBe(200)
    await shot(page, 'releases-published')
    res = await navigate(page, () => page.locator('main table').getByRole('link', { name: RELEASE.title }).click())
    expect(res.status()).toBe(200)
    expect(releaseIdOf(page)).toBe(id)
    expect(await seen(page.locator('main'))).toContain('Đã công bố')
    await body.fill((await body.inputValue()).replace(OLD_SENTENCE, NEW_SENTENCE))
    await page.getByLabel('Ghi chú đính chính (công khai)').fill(CHANGE_NOTE)
    await waitFor('the corrected sentence in the preview', async () =>
      (await seen(page.locator('#preview'))).includes(NEW_SENTENCE) ? true : undefined,
    )
    await shot(page, 'correction-edit', { phone: true })
    await expectAccessible(page, 'correction-edit')
    expect(await seen(page.locator(`main form[action="/console/releases/${id}"] button[type="submit"]`))).toBe('Tạo bản đính chính')
    res = await submitButton(page, `/console/releases/${id}`)
    expect(res.status()).toBe(200)
    expect(await seen(page.getByRole('status').first())).toContain('Đã lưu.')
    expect(await seen(page.locator('main'))).toContain('Phiên bản #2 (nháp)')
    res = await submitButton(page, `/console/releases/${id}/submit`)
    expect(res.status()).toBe(200)
    expect(await seen(page.getByRole('status').first())).toContain('Đã gửi duyệt.')
    await shot(page, 'correction-submitted')
    // The public page still shows the approved edition.
    expect(await (await readers.request.get(`${base}${publicPath}`)).text()).not.toContain(NEW_SENTENCE)
    await signOut(page)

    // 10. The approver approves the correction now.
    await signInAs('approver-again', approver)
    res = await navigate(page, () => page.locator('header nav a[href="/console/approvals"]').click())
    const correctionRow = page.locator('main li.inbox-item', { hasText: RELEASE.title })
    expect(await seen(correctionRow)).toContain('Đính chính #2')
    await shot(page, 'approvals-correction')
    res = await navigate(page, () => correctionRow.getByRole('link', { name: RELEASE.title }).click())
    expect(res.status()).toBe(200)
    const approveCorrection = page.locator(`main form[action="/console/releases/${id}/approve"]`)
    expect(await approveCorrection.locator('input[name="mode"][value="now"]').isChecked()).toBe(true)
    expect(await approveCorrection.locator('input[name="mode"][value="schedule"]').count()).toBe(0)
    await shot(page, 'correction-approval-open')
    res = await submitButton(page, `/console/releases/${id}/approve`)
    expect(res.status()).toBe(200)
    expect(new URL(page.url()).searchParams.get('done')).toBe('published')
    expect(await seen(page.locator('main'))).toContain(CHANGE_NOTE)
    await shot(page, 'correction-published', { phone: true })

    // 11. The public page: the new text and the correction history with its note.
    // The server's page cache is dropped at once; the reader's browser may keep its copy for the
    // page's short max-age, as any HTTP cache may, so the reader reloads (revalidates) the page.
    await waitFor(
      'the corrected text from the server',
      async () => ((await (await readers.request.get(`${base}${publicPath}`)).text()).includes(NEW_SENTENCE) ? true : undefined),
      1_000,
      50,
    )
    res = await navigate(reader, () => reader.goto(`${base}${publicPath}`))
    const staleInBrowser = !(await seen(reader.locator('article.release'))).includes(NEW_SENTENCE)
    if (staleInBrowser) res = await navigate(reader, () => reader.reload())
    expect(res.status()).toBe(200)
    expect(await seen(reader.locator('article.release'))).toContain(NEW_SENTENCE)
    expect(await seen(reader.locator('article.release'))).not.toContain(OLD_SENTENCE)
    const history = await seen(reader.locator('.history'))
    expect(history).toContain('Lịch sử cải chính')
    expect(history).toContain(CHANGE_NOTE)
    expect(history).toContain('Đăng lần đầu')
    const code = (await seen(reader.locator('.verify-code'))).trim()
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(code).not.toBe(firstCode)
    await reader.locator('.history').scrollIntoViewIfNeeded()
    await shot(reader, 'public-release-corrected', { phone: true })
    const publishedText = await seen(reader.locator('article.release .release-content'))
    expect(publishedText).toContain(NEW_SENTENCE)

    // 12. /xac-minh: the page's text is identical; an altered copy is flagged with the change; the code is found.
    res = await navigate(reader, () => reader.getByRole('link', { name: 'Kiểm tra tại trang Xác minh' }).click())
    expect(res.status()).toBe(200)
    expect(await heading(reader)).toBe('Xác minh thông tin')
    await shot(reader, 'verify-from-qr-link')
    res = await navigate(reader, () => reader.goto(`${base}/xac-minh`))
    await expectLabelledFields(reader)
    await shot(reader, 'verify', { phone: true })
    await expectAccessible(reader, 'verify')
    const check = async (input: string) => {
      await reader.getByLabel('Nội dung cần kiểm tra').fill(input)
      const r = await submitButton(reader, '/xac-minh')
      expect(r.status()).toBe(200)
      return seen(reader.locator('.verify-outcome'))
    }
    // The text as a reader copies it from the page (an image's alt text cannot be selected,
    // and the check compares without it): identical to the signed edition.
    const outcome0 = await check(publishedText)
    const copyVerdict = (await reader.locator('.verify-outcome .verdict').getAttribute('class'))?.match(/verdict-(\w+)/)?.[1]
    await shot(reader, 'verify-page-text', { phone: true })
    expect(copyVerdict, outcome0).toBe('identical')
    let outcome = outcome0
    expect(outcome, 'the exact published text').toContain('Trùng khớp với bản chính thức.')
    expect(outcome).toContain(RELEASE.title)
    expect(outcome).toContain('Bản số 2')
    expect(outcome).toContain(code)
    expect(outcome).toContain('Hợp lệ')
    await shot(reader, 'verify-identical', { phone: true })

    const altered = publishedText.replace(NEW_SENTENCE, NEW_SENTENCE.replace('52 triệu', '25 triệu'))
    expect(altered).not.toBe(publishedText)
    outcome = await check(altered)
    expect(outcome).toContain('ĐÃ BỊ SỬA ĐỔI so với bản chính thức.')
    expect(await reader.locator('.verify-outcome .diff del').allInnerTexts()).toContain('52')
    expect(await reader.locator('.verify-outcome .diff ins').allInnerTexts()).toContain('25')
    // The sub-heading stays on its own line, as in the release, though the diff is word by word.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered line breaks are what is checked
    expect(await reader.locator('.verify-outcome .diff').innerText()).toContain('chủ ví.\nTrao trả tài sản\nSau khi xác minh')
    await shot(reader, 'verify-altered', { phone: true })
    await expectAccessible(reader, 'verify-altered')

    outcome = await check(code)
    expect(outcome).toContain('Mã xác minh hợp lệ: đây là một bản tin chính thức.')
    expect(outcome).toContain('Bản số 2')
    await shot(reader, 'verify-code')
    // The first edition's code still verifies, as an outdated edition.
    res = await navigate(reader, () => reader.goto(`${base}/xac-minh?ma=${encodeURIComponent(firstCode)}`))
    outcome = await seen(reader.locator('.verify-outcome'))
    expect(outcome).toContain('Mã xác minh hợp lệ')
    expect(outcome).toContain('Đây là bản cũ.')
    await shot(reader, 'verify-old-code', { phone: true })

    // Facts for the report: how late the lift was seen, whether the reader's browser held the
    // pre-correction page from its HTTP cache, and whether the staff preview could load the
    // image (its /tep/ address is served only once the release is public).
    console.info(
      `releases e2e: lift seen ${late} ms after its time; corrected page stale in the browser cache: ${staleInBrowser}; image loads in the staff preview: ${previewImageLoads}; the page's own text verifies as: ${copyVerdict}`,
    )
  }, 240_000)
})
