/**
 * Copies of a release page at `/xac-minh`: the page's own furniture (site menus and footer,
 * kind label, category, dateline, keywords, communes, spokesperson box, code block) and its
 * layout (bullets, table cells, sub-headings left out) are set aside, in Vietnamese and English
 * pages; only words of the release changed make a copy altered, and only they are in the diff.
 * The page's text is taken from the page itself (its HTML as a browser copies it: one line
 * per block, table cells by tabs), so a change of the page's furniture shows here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { form } from '../../../test/support/app.ts'
import { type NewsroomWorld, correctRelease, newsroomWorld, publishRelease } from './newsroom.test-support.ts'
import { officialText, releaseFurniture, setAsideFurniture } from './verify-furniture.ts'

let w: NewsroomWorld
let r: { id: string; slug: string; code: string }
let twinA: { id: string; slug: string; code: string }
let twinB: { id: string; slug: string; code: string }

const RELEASE = {
  title: 'Công an tỉnh triệt phá đường dây đánh bạc qua mạng quy mô hơn 100 tỷ đồng',
  summary: 'Phòng Cảnh sát hình sự đã triệt phá đường dây tổ chức đánh bạc qua mạng, tạm giữ 7 đối tượng.',
  bodyMd: [
    '## Diễn biến',
    'Ngày 18/11/2026, Phòng Cảnh sát hình sự phối hợp Công an các xã, phường đồng loạt kiểm tra 5 địa điểm.',
    '## Tang vật thu giữ',
    '| Loại | Số lượng |\n|---|---|\n| Điện thoại di động | 15 |\n| Máy tính xách tay | 4 |',
    '## Khuyến cáo',
    '- Không cài ứng dụng từ đường dẫn lạ.\n- Không cung cấp mã OTP, mật khẩu ngân hàng.',
    'Vụ việc đang được tiếp tục điều tra, mở rộng.',
  ].join('\n\n'),
  category: 'An ninh trật tự',
  tags: ['đánh bạc', 'công nghệ cao'],
  communes: ['phuong-hac-thanh'],
}
/** A notice republished word for word as another release (templated text): only a code tells them apart. */
const TWIN = {
  title: 'Cảnh báo cuộc gọi giả danh cơ quan công an yêu cầu chuyển tiền',
  summary: 'Công an không yêu cầu người dân chuyển tiền qua điện thoại trong bất kỳ trường hợp nào.',
  bodyMd: 'Người dân nhận được cuộc gọi như vậy hãy dừng liên lạc và báo ngay cho Công an xã, phường nơi cư trú.',
}

/** The text of an HTML page as a browser's selection gives it: one line per block, table cells by tabs. */
function pageText(html: string, only?: 'article'): string {
  // HTML whitespace is one space; lines come from the blocks.
  let s = html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/\s+/g, ' ')
  if (only) s = /<article[\s\S]*<\/article>/.exec(s)?.[0] ?? ''
  // The header's links and brand are flex items: each is a block of its own when copied.
  s = s.replace(/<(header|footer)[\s\S]*?<\/\1>/g, (h) => h.replace(/<\/(a|span)>/g, '</$1>\n'))
  return s
    .replace(/<\/(td|th)>/g, '\t')
    .replace(/<br\s*\/?>|<\/(p|h[1-6]|li|dt|dd|div|tr|section|header|footer|nav|ul|ol|table|article|main)>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .split('\n')
    .map((line) => line.replace(/^[ \t]+|[ \t]+$/g, ''))
    .filter((line) => line.trim() !== '')
    .join('\n')
}

beforeAll(async () => {
  w = await newsroomWorld()
  r = await publishRelease(w, RELEASE, { kind: 'press_release' })
  twinA = await publishRelease(w, TWIN, { kind: 'warning' })
  twinB = await publishRelease(w, { ...TWIN, title: TWIN.title }, { kind: 'warning' })
})
afterAll(async () => {
  await w.t.close()
})

const check = async (input: string) => {
  const f = form({ input })
  const res = await w.t.app.inject({ method: 'POST', url: '/xac-minh', payload: f.payload, headers: f.headers })
  expect(res.statusCode).toBe(200)
  const outcome = /<section aria-labelledby="h-outcome"[\s\S]*?<form/.exec(res.body)?.[0] ?? ''
  return { verdict: /verdict-([\w-]+)/.exec(outcome)?.[1], outcome }
}
const page = async (slug: string, lang: 'vi' | 'en' = 'vi') => (await w.t.app.inject({ url: `/tin/${slug}?lang=${lang}` })).body

describe('a copy of a release page', () => {
  it('calls the whole page (Vietnamese and English pages) identical apart from its furniture, and names what was set aside', async () => {
    for (const lang of ['vi', 'en'] as const) {
      const text = pageText(await page(r.slug, lang))
      // What a reader copies with the release: the page's own furniture.
      expect(text).toContain(r.code)
      expect(text).toContain('0237 3852 113')
      expect(text).toContain('(GMT+7)')
      const { verdict, outcome } = await check(text)
      expect(verdict, `${lang}\n${text}\n${outcome}`).toBe('identical-layout')
      expect(outcome).toContain(`href="/tin/${r.slug}"`)
      expect(outcome).toContain('Trùng khớp với bản chính thức (không tính phần trình bày của trang).')
      const setAside = /đã bỏ qua: ([^<]*)\./.exec(outcome)?.[1] ?? ''
      for (const item of [
        'đầu trang, menu và chân trang',
        'nhãn loại tin',
        'chuyên mục',
        'dòng thời gian đăng',
        'từ khóa',
        'địa bàn',
        'khối người phát ngôn',
        'khối mã xác minh',
      ])
        expect(setAside, lang).toContain(item)
      expect(outcome).not.toContain('ĐÃ BỊ SỬA ĐỔI')
    }
  })

  it('calls the article alone, and title + body without the sub-headings, identical apart from layout', async () => {
    const html = await page(r.slug)
    const article = pageText(html, 'article')
    let o = await check(article)
    expect(o.verdict, o.outcome).toBe('identical-layout')
    expect(o.outcome).not.toContain('đầu trang, menu và chân trang')
    // Title, summary and the body's paragraphs, list items and table, without the sub-headings.
    const headings = officialText(RELEASE).headings
    expect(headings).toEqual(['Diễn biến', 'Tang vật thu giữ', 'Khuyến cáo'])
    const lines = article.split('\n')
    const body = lines.slice(
      lines.indexOf(RELEASE.summary),
      lines.findIndex((line) => line.startsWith('Từ khóa:')),
    )
    expect(
      body.some((line) => /^Điện thoại di động\s+15$/.test(line)),
      body.join('\n'),
    ).toBe(true)
    // Pasted block by block, the list items with the bullets a word processor adds.
    o = await check(
      [RELEASE.title, ...body.filter((line) => !headings.includes(line))]
        .map((line) => (line.startsWith('Không ') ? `• ${line}` : line))
        .join('\n\n'),
    )
    expect(o.verdict, o.outcome).toBe('identical-layout')
    expect(o.outcome).toContain('tiêu đề phụ không được chép')
    expect(o.outcome).toContain('dấu đầu dòng và kẻ bảng')
  })

  it('still says altered when one number of the release is changed, and the diff shows that number only', async () => {
    const text = pageText(await page(r.slug)).replace('kiểm tra 5 địa điểm', 'kiểm tra 9 địa điểm')
    const { verdict, outcome } = await check(text)
    expect(verdict, outcome).toBe('altered')
    const diff = /<p class="diff"[\s\S]*?<\/p>/.exec(outcome)?.[0] ?? ''
    expect([...diff.matchAll(/<ins>([^<]*)<\/ins>/g)].map((m) => m[1])).toEqual(['9'])
    expect([...diff.matchAll(/<del>([^<]*)<\/del>/g)].map((m) => m[1])).toEqual(['5'])
    // None of the page's furniture is in the diff.
    expect(diff).not.toContain('0237 3852 113')
    expect(diff).not.toContain(r.code)
  })

  it("keeps furniture that is not this release's own: a changed spokesperson phone or a code of another release is an alteration", async () => {
    let o = await check(pageText(await page(r.slug)).replace('0237 3852 113', '0912 345 678'))
    expect(o.verdict, o.outcome).toBe('altered')
    expect(/<p class="diff"[\s\S]*?<\/p>/.exec(o.outcome)?.[0]).toContain('<ins>0912 345 678</ins>')
    o = await check(pageText(await page(r.slug)).replace(r.code, twinA.code))
    expect(o.verdict, o.outcome).toBe('altered')
    expect(o.outcome).toContain(`href="/tin/${r.slug}"`)
    expect(o.outcome).toContain(`<ins>${twinA.code}</ins>`)
  })

  it('takes the edition a verification code in the text names', async () => {
    const text = `${TWIN.title}\n${TWIN.summary}\n${TWIN.bodyMd}`
    for (const twin of [twinA, twinB]) {
      const o = await check(`${text}\nMã xác minh (chữ ký số Ed25519):\n${twin.code}`)
      expect(o.verdict, o.outcome).toBe('identical-layout')
      expect(o.outcome).toContain(`href="/tin/${twin.slug}"`)
      expect(o.outcome).toContain(twin.code)
    }
  })

  it("sets aside a corrected release's history and old codes, and names the outdated edition a copy of it came from", async () => {
    const c = await publishRelease(w, {
      title: 'Thông báo phân luồng giao thông phục vụ lễ hội đền Bà Triệu năm 2026',
      summary: 'Xe tải trên 10 tấn không được lưu thông qua khu vực di tích từ 6 giờ đến 18 giờ.',
      bodyMd: 'Người tham gia giao thông chấp hành hướng dẫn của lực lượng làm nhiệm vụ.',
    })
    const first = pageText(await page(c.slug))
    await correctRelease(
      w,
      c.id,
      { summary: 'Xe tải trên 10 tấn không được lưu thông qua khu vực di tích từ 5 giờ đến 19 giờ.' },
      { changeNote: 'Sửa giờ cấm xe tải.' },
    )
    // The page cache follows the correction by NOTIFY, asynchronously: wait for the new edition.
    let corrected = pageText(await page(c.slug))
    for (let i = 0; i < 50 && !corrected.includes('từ 5 giờ đến 19 giờ'); i++) {
      await new Promise((r) => setTimeout(r, 100))
      corrected = pageText(await page(c.slug))
    }
    expect(corrected).toContain('từ 5 giờ đến 19 giờ')
    let o = await check(corrected)
    expect(o.verdict, o.outcome).toBe('identical-layout')
    expect(o.outcome).toContain('lịch sử cải chính')
    expect(o.outcome).toContain('Bản số 2')
    // The page as it was before the correction: edition 1, outdated.
    o = await check(first)
    expect(o.verdict, o.outcome).toBe('identical-layout')
    expect(o.outcome).toContain('Bản số 1')
    expect(o.outcome).toContain('Đây là bản cũ.')
  })
})

describe('setting furniture aside (the function)', () => {
  const e = {
    kind: 'warning',
    status: 'published',
    title: 'Tiêu đề',
    summary: '',
    bodyMd: 'Câu thứ nhất của tin.',
    category: 'Giao thông',
    tags: ['lễ hội'],
    communes: [],
    verificationCode: 'ABCD-EFGH-JKMN',
    changeNote: null,
    publishedAt: new Date('2026-11-20T02:00:00Z'),
    firstPublishedAt: new Date('2026-11-20T02:00:00Z'),
    lastPublishedAt: new Date('2026-11-20T02:00:00Z'),
    withdrawnAt: null,
    withdrawnReason: null,
    spokespersonName: 'Đại tá Trịnh Văn Hải',
    spokespersonTitle: 'Người phát ngôn',
    spokespersonPhone: '0237 3852 113',
    spokespersonEmail: 'a@b.vn',
  } as unknown as Parameters<typeof releaseFurniture>[0]['editions'][number]
  const furniture = releaseFurniture({ editions: [e], tenant: undefined })
  const official = officialText(e)

  it('drops lines made only of the release page furniture, and says which', () => {
    const copy = [
      '★',
      'Cảnh báo Giao thông',
      'Tiêu đề',
      'Đăng lúc: 09:00 20/11/2026 · giờ Việt Nam (GMT+7)',
      'Câu thứ nhất của tin.',
      'Từ khóa: lễ hội',
      'Điện thoại',
      '0237 3852 113',
      'ABCD-EFGH-JKMN',
    ].join('\n')
    const clean = setAsideFurniture(copy, official, furniture)
    expect(clean.text).toBe('Tiêu đề\nCâu thứ nhất của tin.')
    expect([...clean.setAside].sort()).toEqual(['category', 'dateline', 'keywords', 'kind', 'site', 'spokesperson', 'verify'])
  })

  it('keeps a line with anything else in it: another phone, another time, an unknown code, an added sentence', () => {
    for (const line of ['0912 345 678', 'Đăng lúc: 09:00 21/11/2026', 'ABCD-EFGH-JKMP', 'Cảnh báo khẩn: không ra đường']) {
      expect(setAsideFurniture(`Tiêu đề\n${line}\nCâu thứ nhất của tin.`, official, furniture).text).toContain(line)
    }
  })

  it('cuts furniture leading a line of the release (a badge before the title), and bullets before a line', () => {
    const clean = setAsideFurniture('Cảnh báo Tiêu đề\n• Câu thứ nhất của tin.', official, furniture)
    expect(clean.text).toBe('Tiêu đề\nCâu thứ nhất của tin.')
    expect([...clean.setAside].sort()).toEqual(['bullets', 'kind'])
  })
})
