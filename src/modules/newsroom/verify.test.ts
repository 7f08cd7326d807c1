/**
 * The public verify page: a text (identical, excerpt, altered with a word diff, no match,
 * too short), a code (current, outdated after a correction, unknown), a link (official,
 * another host, an old slug, the QR link) and the offline instructions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { form } from '../../../test/support/app.ts'
import { type NewsroomWorld, correctRelease, newsroomWorld, publishRelease, withdraw } from './newsroom.test-support.ts'
import { indexedPairs, rarestPerStretch } from './verify-lookups.ts'
import { classifyInput } from './verify.ts'
import { type FilePart, multipartForm, rowCounts, settledRowCounts } from '../../platform/uploads/image-text.test-support.ts'
import { closeSharedOcrEngine } from '../../text/ocr/engine.ts'
import { renderScreenshot } from '../../text/ocr/render.ts'

let w: NewsroomWorld
let r: { id: string; slug: string; code: string }
const TITLE = 'Công an tỉnh Thanh Hóa thông báo phương án phân luồng giao thông dịp lễ hội'
const SUMMARY = 'Từ ngày 1 đến ngày 3 tháng 12, cấm xe tải trên quốc lộ 1A đoạn qua phường Hạc Thành.'
const BODY = 'Người tham gia giao thông đi theo hướng dẫn của lực lượng chức năng.\n\nMọi thắc mắc xin gọi đường dây nóng 069 2609 113.'
const BODY_TEXT = 'Người tham gia giao thông đi theo hướng dẫn của lực lượng chức năng.\nMọi thắc mắc xin gọi đường dây nóng 069 2609 113.'

beforeAll(async () => {
  w = await newsroomWorld()
  r = await publishRelease(w, { title: TITLE, summary: SUMMARY, bodyMd: BODY })
  await publishRelease(w, {
    title: 'Tin khác về an toàn giao thông',
    summary: 'Tóm tắt khác.',
    bodyMd: 'Người tham gia giao thông cần đội mũ bảo hiểm.',
  })
})
afterAll(async () => {
  await w.t.close()
  await closeSharedOcrEngine()
})

const check = (input: string) => {
  const f = form({ input })
  return w.t.app.inject({ method: 'POST', url: '/xac-minh', payload: f.payload, headers: f.headers })
}

describe('classifying what was pasted', () => {
  it('tells codes, links and texts apart', () => {
    const url = 'http://donghanh.test'
    expect(classifyInput('  ', url)).toEqual({ type: 'empty' })
    expect(classifyInput('abcd-efgh-jkmn', url)).toMatchObject({ type: 'code', code: 'ABCD-EFGH-JKMN' })
    expect(classifyInput('abcdefghjkmn', url)).toMatchObject({ type: 'code', code: 'ABCD-EFGH-JKMN' })
    expect(classifyInput('ABCD-EFGH-JKMU', url)).toMatchObject({ type: 'code', code: null })
    // Q is a Crockford letter (a code may contain it); O and I/L are look-alikes of 0 and 1.
    expect(classifyInput('qqqq-aaaa-bbbb', url)).toMatchObject({ type: 'code', code: 'QQQQ-AAAA-BBBB' })
    expect(classifyInput('OOOO-IIII-LLLL', url)).toMatchObject({ type: 'code', code: '0000-1111-1111' })
    expect(classifyInput('http://donghanh.test/tin/mot-tin', url)).toMatchObject({ type: 'link', official: true, slug: 'mot-tin' })
    expect(classifyInput('donghanh.test/tin/mot-tin', url)).toMatchObject({ type: 'link', official: true, slug: 'mot-tin' })
    expect(classifyInput('http://donghanh.test.evil.vn/tin/mot-tin', url)).toMatchObject({ type: 'link', official: false })
    expect(classifyInput('http://user@donghanh.test/tin/mot-tin', url)).toMatchObject({ type: 'link', official: false })
    expect(classifyInput('http://donghanh.test/xac-minh?ma=abcd-efgh-jkmn', url)).toMatchObject({
      type: 'link',
      official: true,
      code: 'ABCD-EFGH-JKMN',
    })
    expect(classifyInput('Một đoạn văn bản bình thường.', url)).toMatchObject({ type: 'text' })
  })
})

describe('verify page', () => {
  it('shows the form and how to check a signature offline', async () => {
    const res = await w.t.app.inject({ url: '/xac-minh' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('<textarea name="input"')
    expect(res.body).toContain('/.well-known/donghanh-signing-key.pem')
    expect(res.body).toContain('/.well-known/donghanh-signing-key.json')
    expect(res.body).toContain('openssl pkeyutl -verify -pubin -inkey key.pem -rawin')
    expect(res.body).not.toContain('Kết quả')
  })

  it('marks its own tab as the current page, in the site nav and in the newsroom nav', async () => {
    for (const url of ['/xac-minh', `/xac-minh?ma=${r.code}`]) {
      const body = (await w.t.app.inject({ url })).body
      const current = (nav: string) => [...nav.matchAll(/<a href="([^"]*)" aria-current="page"[^>]*>/g)].map((m) => m[1])
      expect(current(/<header class="top">[\s\S]*?<\/nav>/.exec(body)?.[0] ?? ''), url).toEqual(['/xac-minh'])
      expect(current(/<nav class="subnav"[\s\S]*?<\/nav>/.exec(body)?.[0] ?? ''), url).toEqual(['/xac-minh'])
    }
    // The search page shares the newsroom nav and marks its own tab the same way.
    const search = (await w.t.app.inject({ url: '/tim-kiem?q=xe' })).body
    expect(/<nav class="subnav"[\s\S]*?<\/nav>/.exec(search)?.[0]).toMatch(/<a href="\/tim-kiem" aria-current="page"[^>]*>/)
  })

  it('confirms an exact copy (whole text, body only, NFD and extra spaces alike)', async () => {
    for (const text of [`${TITLE}\n${SUMMARY}\n${BODY_TEXT}`, BODY_TEXT, `  ${TITLE}\n\n${SUMMARY}   ${BODY_TEXT}`.normalize('NFD')]) {
      const res = await check(text)
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('verdict-identical')
      expect(res.body).toContain('Trùng khớp với bản chính thức.')
      expect(res.body).toContain(r.code)
      expect(res.body).toContain(`href="/tin/${r.slug}"`)
      expect(res.body).toContain('<span class="badge ok">Hợp lệ</span>')
    }
  })

  it('flags an altered copy with a word diff of what was inserted and removed', async () => {
    const fake = `${TITLE}\n${SUMMARY.replace('cấm xe tải', 'cấm tất cả xe máy và ô tô').replace('1A', '47')}\n${BODY_TEXT.replace('069 2609 113', '0912 345 678')}`
    const res = await check(fake)
    expect(res.body).toContain('verdict-altered')
    expect(res.body).toContain('ĐÃ BỊ SỬA ĐỔI so với bản chính thức.')
    expect(res.body).toContain('<ins>máy và ô tô</ins>')
    expect(res.body).toContain('<del>tải</del>')
    expect(res.body).toContain('<ins>47</ins>')
    expect(res.body).toContain('<del>1A</del>')
    expect(res.body).toContain('<ins>0912 345 678.</ins>')
    expect(res.body).toContain('<del>069 2609 113.</del>')
    // The official text is named, so the reader can read the real one.
    expect(res.body).toContain(`href="/tin/${r.slug}"`)
  })

  it('recognises an exact excerpt, and an altered excerpt without flagging the cut-off parts', async () => {
    const excerpt = 'cấm xe tải trên quốc lộ 1A đoạn qua phường Hạc Thành. Người tham gia giao thông'
    const ok = await check(excerpt)
    expect(ok.body).toContain('verdict-excerpt')
    const bad = await check(excerpt.replace('cấm xe tải', 'cho phép xe tải'))
    expect(bad.body).toContain('verdict-altered')
    expect(bad.body).toContain('<ins>cho phép</ins>')
    expect(bad.body).toMatch(/<del>[^<]*cấm<\/del>/)
    expect(bad.body).not.toContain('<del>Công an tỉnh')
  })

  it('confirms a copy whose tone marks sit in the other placement, both ways (issue 18)', async () => {
    // The official title says "Thanh Hóa"; a copy typed with "Thanh Hoá" is the same text.
    const copy = `${TITLE}\n${SUMMARY}\n${BODY_TEXT}`.replace('Thanh Hóa', 'Thanh Hoá')
    expect((await check(copy)).body).toContain('verdict-identical')
    const old = await publishRelease(w, {
      title: 'Thuỷ điện ở Khánh Hoà điều tiết hồ chứa',
      summary: 'Nhà máy thuỷ điện thông báo xả nước, người dân vùng hạ du cần chủ động phòng tránh.',
      bodyMd: 'Mọi thông tin xin liên hệ chính quyền địa phương.',
    })
    const res = await check(
      'Thủy điện ở Khánh Hòa điều tiết hồ chứa\nNhà máy thủy điện thông báo xả nước, người dân vùng hạ du cần chủ động phòng tránh.\nMọi thông tin xin liên hệ chính quyền địa phương.',
    )
    expect(res.body).toContain('verdict-identical')
    expect(res.body).toContain(`href="/tin/${old.slug}"`)
    // A different tone is still a change: "xả" → "xã".
    const changed = await check(
      'Thủy điện ở Khánh Hòa điều tiết hồ chứa\nNhà máy thủy điện thông báo xã nước, người dân vùng hạ du cần chủ động phòng tránh.\nMọi thông tin xin liên hệ chính quyền địa phương.',
    )
    expect(changed.body).toContain('verdict-altered')
  })

  it('finds no match for an invented notice, and refuses to judge a very short text', async () => {
    const none = await check('Thông báo khẩn: toàn bộ người dân phải nộp phí an ninh 500.000 đồng qua tài khoản cá nhân trước ngày mai.')
    expect(none.body).toContain('verdict-none')
    expect(none.body).toContain('Không khớp với bản tin chính thức nào.')
    const short = await check('Công an tỉnh Thanh Hóa thông báo')
    expect(short.body).toContain('verdict-short')
  })

  it('checks codes: found, unknown, typed loosely', async () => {
    const ok = await w.t.app.inject({ url: `/xac-minh?ma=${r.code}` })
    expect(ok.body).toContain('Mã xác minh hợp lệ: đây là một bản tin chính thức.')
    expect(ok.body).toContain(TITLE)
    expect(ok.body).toContain(`/api/v1/editions/${r.code}`)
    const loose = await w.t.app.inject({ url: `/xac-minh?ma=${encodeURIComponent(r.code.toLowerCase().replace(/-/g, ' '))}` })
    expect(loose.body).toContain('Mã xác minh hợp lệ')
    const fake = await check('ABCD-EFGH-JKMN')
    expect(fake.body).toContain('Không có bản tin chính thức nào mang mã ABCD-EFGH-JKMN.')
    expect(fake.body).not.toContain(TITLE)
  })

  it('says when a code is of an outdated edition and links the current one', async () => {
    const x = await publishRelease(w, {
      title: 'Thông báo lịch tiếp công dân tháng 12 tại trụ sở',
      summary: 'Lịch tiếp công dân.',
      bodyMd: 'Thứ Năm hằng tuần, từ 8 giờ đến 11 giờ.',
    })
    const fixed = await correctRelease(
      w,
      x.id,
      { bodyMd: 'Thứ Năm hằng tuần, từ 8 giờ đến 11 giờ 30.' },
      { changeNote: 'Sửa giờ kết thúc.' },
    )
    const res = await w.t.app.inject({ url: `/xac-minh?ma=${x.code}` })
    expect(res.body).toContain('Đây là bản cũ.')
    expect(res.body).toContain('bản hiện hành là bản số 2')
    expect(res.body).toContain(`href="/tin/${fixed.slug}"`)
    // The old edition's text still matches — as that edition, marked outdated.
    const text = await check(
      'Thông báo lịch tiếp công dân tháng 12 tại trụ sở\nLịch tiếp công dân.\nThứ Năm hằng tuần, từ 8 giờ đến 11 giờ.',
    )
    expect(text.body).toContain('verdict-identical')
    expect(text.body).toContain('Đây là bản cũ.')
  })

  it('checks links: ours (also old slugs and the QR link), and other hosts', async () => {
    const ours = await check(`http://donghanh.test/tin/${r.slug}`)
    expect(ours.body).toContain('Đường link này là địa chỉ chính thức của tin:')
    expect(ours.body).toContain(TITLE)
    const qr = await check(`http://donghanh.test/xac-minh?ma=${r.code}`)
    expect(qr.body).toContain('Mã xác minh hợp lệ')
    const other = await check(`https://donghanh-test.com.vn/tin/${r.slug}`)
    expect(other.body).toContain('Đây KHÔNG phải địa chỉ chính thức.')
    expect(other.body).not.toContain(TITLE)
    const missing = await check('http://donghanh.test/tin/khong-co-tin-nay')
    expect(missing.body).toContain('không dẫn tới tin nào đang công bố')
    const x = await publishRelease(w, { title: 'Tiêu đề cũ của một thông báo', summary: 'Tóm tắt.', bodyMd: 'Nội dung.' })
    await correctRelease(w, x.id, { title: 'Tiêu đề mới của một thông báo' }, { changeNote: 'Đổi tiêu đề.' })
    const old = await check(`http://donghanh.test/tin/${x.slug}`)
    expect(old.body).toContain('Tiêu đề mới của một thông báo')
  })

  it('still matches a withdrawn release, saying it was withdrawn and why', async () => {
    const x = await publishRelease(w, {
      title: 'Thông báo thay đổi địa điểm tiếp nhận hồ sơ cấp căn cước',
      summary: 'Địa điểm mới.',
      bodyMd: 'Từ tuần sau, hồ sơ được tiếp nhận tại trụ sở Công an phường Hạc Thành.',
    })
    await withdraw(w, x.id, 'Địa điểm chưa được xác nhận, sẽ thông báo lại.')
    const res = await check('Từ tuần sau, hồ sơ được tiếp nhận tại trụ sở Công an phường Hạc Thành.')
    expect(res.body).toContain('verdict-identical')
    expect(res.body).toContain('Tin này đã bị gỡ bỏ.')
    expect(res.body).toContain('Địa điểm chưa được xác nhận, sẽ thông báo lại.')
  })
})

describe('an over-long paste (issue 18): the input comes back with the limit, nothing is looked up', () => {
  /** The textarea's content, unescaped. */
  const textareaOf = (html: string) =>
    (/<textarea[^>]*name="input"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&amp;', '&')
  /** About 240 KB pasted: 80,000 characters, with characters HTML must escape. */
  const paste = 'Tin "phạt nguội" <qua Zalo> & chữ. '.repeat(2_300)

  it('re-renders the page with the whole input and the limit in both languages (413)', async () => {
    expect(paste.length).toBeGreaterThan(60_000)
    const res = await check(paste)
    expect(res.statusCode).toBe(413)
    expect(res.headers['content-type']).toContain('text/html')
    expect(textareaOf(res.body) === paste).toBe(true)
    expect(res.body).not.toContain('must NOT have more than')
    expect(res.body).not.toContain('verify-outcome')
    const vi = `Nội dung bạn dán dài ${paste.length.toLocaleString('vi-VN')} ký tự, quá giới hạn 60.000 ký tự`
    const en = `What you pasted is ${paste.length.toLocaleString('en-GB')} characters long, over the limit of 60,000 characters`
    expect(res.body).toContain(vi)
    expect(res.body).toContain('hoặc chỉ dán đường liên kết hay mã xác minh')
    expect(res.body).toContain(en)
    expect(res.body.indexOf(vi)).toBeLessThan(res.body.indexOf(en))
    // An English reader: English first, Vietnamese beside it.
    const f = form({ input: paste })
    const enRes = await w.t.app.inject({ method: 'POST', url: '/xac-minh?lang=en', payload: f.payload, headers: f.headers })
    expect(enRes.statusCode).toBe(413)
    expect(textareaOf(enRes.body) === paste).toBe(true)
    expect(enRes.body.indexOf(en)).toBeGreaterThan(-1)
    expect(enRes.body.indexOf(en)).toBeLessThan(enRes.body.indexOf('Nội dung bạn dán dài'))
  })

  it('beyond 2 MB: says what happened and that Back keeps the text, in both languages', async () => {
    const res = await check('đ'.repeat(400_000))
    expect(res.statusCode).toBe(413)
    expect(res.headers['content-type']).toContain('text/html')
    expect(textareaOf(res.body)).toBe('')
    expect(res.body).toContain('<textarea name="input"')
    expect(res.body).toContain('lớn hơn 2 MB nên máy chủ không đọc được')
    expect(res.body).toContain('bấm nút Quay lại (Back) của trình duyệt')
    expect(res.body).toContain('rút gọn còn tối đa 60.000 ký tự')
    expect(res.body).toContain('larger than 2 MB, so the server could not read it')
    expect(res.body).toContain('Back button: most browsers keep the text you pasted')
    // A JSON client gets the app's JSON error, not a page.
    const json = await w.t.app.inject({
      method: 'POST',
      url: '/xac-minh',
      payload: JSON.stringify({ input: 'x'.repeat(2 * 1024 * 1024 + 10) }),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    })
    expect(json.statusCode).toBe(413)
    expect(json.json().error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('an input at the limit is still looked up as before', async () => {
    const atLimit = `${SUMMARY} ${'x'.repeat(60_000 - SUMMARY.length - 1)}`
    expect(atLimit.length).toBe(60_000)
    const res = await check(atLimit)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('verify-outcome')
    expect(res.body).not.toContain('too-long')
    const normal = await check('cấm xe tải trên quốc lộ 1A đoạn qua phường Hạc Thành. Người tham gia giao thông')
    expect(normal.statusCode).toBe(200)
    expect(normal.body).toContain('verdict-excerpt')
  })
})

describe('candidates for a pasted text', () => {
  it("reads the text's word pairs as the index holds them: PostgreSQL's tokens, folded, in order, once each", async () => {
    const body = 'Ngày 13/10/2025, Công an xã Vạn Xuân bắt giữ 2 đối tượng, thu 1-2 xe máy. Công an xã Vạn Xuân khuyến cáo người dân.'
    const dated = await publishRelease(w, {
      title: 'Bắt giữ 2 đối tượng trộm cắp xe máy ở xã Vạn Xuân',
      summary: 'Vụ việc ngày 13/10/2025.',
      bodyMd: body,
    })
    const db = w.t.database.db
    const pairs = await indexedPairs(db, body)
    // Our own tokenizer splits a date in three; PostgreSQL's keeps it whole, and so does the index.
    expect(pairs.slice(0, 4)).toEqual(['ngay 13/10/2025', '13/10/2025 cong', 'cong an', 'an xa'])
    expect(pairs).not.toContain('13 10')
    expect(pairs.filter((p) => p === 'cong an')).toHaveLength(1)
    const { rows } = await w.t.database.pool.query(
      `SELECT count(*) FILTER (WHERE r.search_pairs @@ quote_literal(p)::tsquery)::int AS held, count(*)::int AS n
       FROM releases r, unnest($2::text[]) p WHERE r.id = $1`,
      [dated.id, pairs],
    )
    expect(rows[0]).toEqual({ held: pairs.length, n: pairs.length })
    expect(await indexedPairs(db, 'Một')).toEqual([])
    expect(await indexedPairs(db, '')).toEqual([])
    // What the parser skips or cannot index (a 3,000-letter "word", quotes, a NUL-free control
    // character) gives no pair and no error, and the page answers.
    expect(await indexedPairs(db, `${'a'.repeat(3000)} '\\ \u0007 & | !`)).toEqual([])
    for (const odd of [`${'ư'.repeat(19_000)} x`, 'x y '.repeat(4900), "'a b' & c:* | !d"])
      expect((await check(odd)).statusCode, odd.slice(0, 20)).toBe(200)
    // The dated release is found from its body, and an excerpt across the date.
    expect((await check(body)).body).toContain('verdict-identical')
    expect((await check('Ngày 13/10/2025, Công an xã Vạn Xuân bắt giữ 2 đối tượng, thu 1-2 xe máy.')).body).toContain('verdict-excerpt')
  })

  it('takes the rarest pair of each stretch of the text as probes, so that an inserted sentence cannot take them all', () => {
    const pairs = Array.from({ length: 48 }, (_, i) => `p${i}`)
    // Boilerplate everywhere (5 % of releases), a name in the second stretch, and a sentence
    // inserted at the end whose pairs no release holds.
    const share = (p: string) => (p === 'p5' ? 0.001 : Number(p.slice(1)) >= 40 ? 0 : 0.05)
    const probe = rarestPerStretch(pairs, 12, share)
    expect(probe).toHaveLength(12)
    expect(probe).toContain('p5')
    expect(probe.filter((p) => Number(p.slice(1)) >= 40)).toEqual(['p40', 'p44'])
    expect(probe.slice(0, 3)).toEqual(['p0', 'p5', 'p8'])
    expect(rarestPerStretch(['a b', 'b c'], 12, share)).toEqual(['a b', 'b c'])
  })
})

describe('a screenshot of a text said to be official', () => {
  /** The verify form sent with an image, as a browser sends it (multipart). */
  const checkImage = (input: string, file: FilePart, ip: string) => {
    const f = multipartForm({ input }, [file])
    return w.t.app.inject({ method: 'POST', url: '/xac-minh', payload: f.payload, headers: f.headers, remoteAddress: ip })
  }
  const PASSAGE = `${SUMMARY} Người tham gia giao thông đi theo hướng dẫn của lực lượng chức năng.`

  it('finds the release from a screenshot of its passage, shows the text read, and writes nothing', async () => {
    const shot = await renderScreenshot(PASSAGE, { layout: 'post', theme: 'light', density: 2, format: 'png' }, 'Công an Thanh Hóa')
    const before = await settledRowCounts(w.t.database.pool)
    const res = await checkImage('', { filename: 'anh.png', type: 'image/png', data: shot.image }, '10.79.0.1')
    expect(res.statusCode).toBe(200)
    expect(res.body).toMatch(/Văn bản đọc được từ ảnh \(độ tin cậy \d{1,3} %\)/)
    // Found: the edition is named (an excerpt, or altered where the reader misread a word).
    expect(res.body).toMatch(/verdict-(excerpt|altered|identical)/)
    expect(res.body).toContain(`href="/tin/${r.slug}"`)
    expect(res.body).toContain(r.code)
    // The text read is in the form, to correct and check again.
    const box = (/<textarea name="input"[^>]*>([\s\S]*?)<\/textarea>/.exec(res.body)?.[1] ?? '').replace(/\s+/g, ' ')
    expect(box).toContain('quốc lộ 1A')
    expect(await rowCounts(w.t.database.pool)).toEqual(before)
  })

  it('a file that is no image, or a cut-off PNG: the reason in both languages, the typed text kept', async () => {
    const shot = await renderScreenshot(PASSAGE, { layout: 'post', theme: 'light', density: 1, format: 'png' })
    const typed = 'Văn bản tôi nhận được qua Zalo'
    const cases: Array<[FilePart, string, string]> = [
      [
        { filename: 'anh.png', type: 'image/png', data: Buffer.from('%PDF-1.7 not an image') },
        'tệp không phải là ảnh',
        'the file is not an image',
      ],
      [
        { filename: 'anh.png', type: 'image/png', data: shot.image.subarray(0, Math.floor(shot.image.length / 2)) },
        'ảnh bị hỏng hoặc không trọn vẹn',
        'the image is damaged or incomplete',
      ],
    ]
    const before = await settledRowCounts(w.t.database.pool)
    for (const [i, [file, vi, en]] of cases.entries()) {
      const res = await checkImage(typed, file, `10.79.1.${i + 1}`)
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain(`Không đọc được ảnh: ${vi}.`)
      expect(res.body).toContain(`The image could not be read: ${en}.`)
      expect(res.body).toContain(`${typed}</textarea>`)
      expect(res.body).not.toContain('verify-outcome')
    }
    expect(await rowCounts(w.t.database.pool)).toEqual(before)
    // A text alone is still a text: the form sent as multipart without an image.
    const f = multipartForm({ input: BODY_TEXT })
    const text = await w.t.app.inject({
      method: 'POST',
      url: '/xac-minh',
      payload: f.payload,
      headers: f.headers,
      remoteAddress: '10.79.1.9',
    })
    expect(text.body).toContain('verdict-identical')
    expect(text.body).not.toContain('Văn bản đọc được từ ảnh')
  })
})
