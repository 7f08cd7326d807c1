import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, form, loginAs, makeUser, mergeCookies, type TestApp } from '../../../test/support/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const RISKY = 'Hung thủ đã sát hại cháu Nguyễn Thị Lan, 15 tuổi, học sinh Trường THCS Lê Lợi.'

describe('public content check', () => {
  it('shows findings on /kiem-tra and stores nothing', async () => {
    const get = await t.app.inject({ url: '/kiem-tra' })
    expect(get.statusCode).toBe(200)
    expect(get.body).toContain('Kiểm tra nội dung')
    const cookie = mergeCookies('', get)
    const f = form({ _csrf: csrfFrom(get.body), title: 'SỐC: Sự thật kinh hoàng phía sau vụ án khiến ai cũng bàng hoàng', text: RISKY })
    const before = await t.database.pool.query('SELECT count(*)::int AS n FROM audit_events')
    const res = await t.app.inject({ method: 'POST', url: '/kiem-tra', payload: f.payload, headers: { ...f.headers, cookie } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).toContain('Rủi ro cao')
    expect(res.body).toContain('<mark class="finding high"')
    expect(res.body).toContain('N.T.L.')
    expect(res.body).toContain('có dấu hiệu giật tít')
    // A copy to take away, masked (initials by default), and the text itself nowhere else.
    const copy = /<section class="card stack masked-copy">[\s\S]*?<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(res.body)?.[1]
    // Guilt wording is replaced by the checker's neutral term in the copy, too.
    expect(copy?.trim()).toBe('Đối tượng đã sát hại cháu N.T.L., 15 tuổi, học sinh Trường THCS [đã ẩn].')
    expect(res.body).toContain(
      'Đã che 2 mục — Viết tắt tên (N.V.A.), che bớt chữ số. Tuổi được giữ nguyên. Đã thay 1 từ quy kết có tội bằng từ trung tính.',
    )
    const removed = form({ _csrf: csrfFrom(get.body), text: RISKY, mask: 'remove' })
    const res2 = await t.app.inject({ method: 'POST', url: '/kiem-tra', payload: removed.payload, headers: { ...removed.headers, cookie } })
    expect(res2.body).toContain('Đối tượng đã sát hại cháu [đã ẩn], [đã ẩn], học sinh [đã ẩn].')
    expect(res2.body).toContain('<option value="remove" selected>')
    expect(res2.body).toContain('Đã che 3 mục — Xóa hẳn ([đã ẩn]). Đã thay 1 từ quy kết có tội bằng từ trung tính. Hãy đọc lại')
    // Nothing personal found: no masked copy.
    const clean = form({ _csrf: csrfFrom(get.body), text: 'Công an tỉnh khuyến cáo người dân cảnh giác với cuộc gọi lạ.' })
    const res3 = await t.app.inject({ method: 'POST', url: '/kiem-tra', payload: clean.payload, headers: { ...clean.headers, cookie } })
    expect(res3.statusCode).toBe(200)
    expect(res3.body).not.toContain('masked-copy')
    const after = await t.database.pool.query('SELECT count(*)::int AS n FROM audit_events')
    expect(after.rows[0].n).toBe(before.rows[0].n)
  })

  it('answers the JSON API with findings and offsets, escapes HTML input, and rate-limits per IP', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks',
      payload: { text: RISKY, caseStage: 'investigating' },
      remoteAddress: '10.9.0.1',
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.risk).toBe('high')
    const name = body.findings.find((f: { piiType?: string }) => f.piiType === 'name')
    expect(body.normalized.slice(name.start, name.end)).toBe('Nguyễn Thị Lan')
    expect(body.masked).toContain('cháu N.T.L., 15 tuổi')
    const removed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks',
      payload: { text: RISKY, mask: 'remove' },
      remoteAddress: '10.9.0.1',
    })
    expect(removed.json().masked).toBe('Đối tượng đã sát hại cháu [đã ẩn], [đã ẩn], học sinh [đã ẩn].')
    const badMask = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks',
      payload: { text: RISKY, mask: 'blur' },
      remoteAddress: '10.9.0.1',
    })
    expect(badMask.statusCode).toBe(400)
    expect(
      body.findings.some(
        (f: { kind: string; suggestion?: string }) =>
          f.suggestion === 'đối tượng' || f.suggestion === 'nghi phạm' || /đối tượng|nghi phạm/.test(f.suggestion ?? ''),
      ),
    ).toBe(true)
    const html = await t.app.inject({
      method: 'POST',
      url: '/api/v1/checks',
      payload: { text: '<p>Ông <b>Trần Văn Bình</b>, SN 1990</p><script>alert(1)</script>' },
      remoteAddress: '10.9.0.2',
    })
    expect(html.statusCode).toBe(200)
    expect(html.json().normalized).not.toContain('<script>')
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/checks', payload: { title: 'x' }, remoteAddress: '10.9.0.3' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message.vi).toBeTruthy()
    const codes: number[] = []
    for (let i = 0; i < 35; i++)
      codes.push(
        (await t.app.inject({ method: 'POST', url: '/api/v1/checks', payload: { text: 'Xin chào' }, remoteAddress: '10.9.0.4' }))
          .statusCode,
      )
    expect(codes.slice(0, 30).every((c) => c === 200)).toBe(true)
    expect(codes.at(-1)).toBe(429)
    // Another address is not affected.
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/checks', payload: { text: 'Xin chào' }, remoteAddress: '10.9.0.5' })).statusCode,
    ).toBe(200)
  })

  it('masks the lane, the class, the step-father and the guilt wording in the copy, with or without diacritics (issue 13)', async () => {
    const text = 'Kẻ giết người là bố dượng của cháu Nguyễn Thị Mai, 14 tuổi, học lớp 3A, trú tại ngõ 5 đường Lê Lợi, phường Sầm Sơn.'
    const get = await t.app.inject({ url: '/kiem-tra' })
    const cookie = mergeCookies('', get)
    const f = form({ _csrf: csrfFrom(get.body), text })
    const res = await t.app.inject({ method: 'POST', url: '/kiem-tra', payload: f.payload, headers: { ...f.headers, cookie } })
    expect(res.statusCode).toBe(200)
    const copy = /<section class="card stack masked-copy">[\s\S]*?<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(res.body)?.[1] ?? ''
    for (const kept of ['ngõ 5 đường Lê Lợi', 'lớp 3A', 'bố dượng', 'kẻ giết người', 'Kẻ giết người', 'Nguyễn Thị Mai']) {
      expect(copy, kept).not.toContain(kept)
    }
    expect(copy.trim()).toBe('Đối tượng là người thân của cháu N.T.M., 14 tuổi, học lớp [đã ẩn], trú tại […], phường Sầm Sơn.')
    // The API gives the same copy; the text typed without diacritics is masked as well.
    const api = await t.app.inject({ method: 'POST', url: '/api/v1/checks', payload: { text }, remoteAddress: '10.9.0.7' })
    expect(api.json().masked).toBe(copy.trim())
    const bare = 'Chau Nguyen Thi Mai, 14 tuoi, hoc lop 3A truong tieu hoc Quang Trung, nha o so 12 ngo 5 duong Le Loi'
    const apiBare = await t.app.inject({ method: 'POST', url: '/api/v1/checks', payload: { text: bare }, remoteAddress: '10.9.0.7' })
    const body = apiBare.json()
    expect(body.findings.map((x: { piiType?: string }) => x.piiType)).toEqual(['name', 'age', 'school', 'school', 'address'])
    expect(body.masked).toBe('Chau N.T.M., 14 tuoi, hoc lop [đã ẩn] truong tieu hoc [đã ẩn], nha o [đã ẩn]')
  })

  it('scores a clickbait headline pasted into the text, says which line and why (issue 13, item 5)', async () => {
    const pasted =
      'Chiều 24/11, Công an huyện bắt giữ đối tượng.\n\nXem ngay: cô gái trẻ làm điều không ai ngờ tới\n\nNội dung đang được làm rõ.'
    const get = await t.app.inject({ url: '/kiem-tra' })
    const cookie = mergeCookies('', get)
    const f = form({ _csrf: csrfFrom(get.body), text: pasted })
    const res = await t.app.inject({ method: 'POST', url: '/kiem-tra', payload: f.payload, headers: { ...f.headers, cookie } })
    expect(res.statusCode).toBe(200)
    const lines = /<div class="scored-lines">([\s\S]*?)<\/div>/.exec(res.body)?.[1] ?? ''
    expect(lines).toContain('Không có tiêu đề riêng: các dòng được chấm như tiêu đề')
    expect(lines).toMatch(/<strong>Dòng 1<\/strong> \(dòng đầu, đọc như tiêu đề\)/)
    expect(lines).toMatch(
      /<li class="clickbait-line"><strong>Dòng 3<\/strong> \(dòng ngắn, không có dấu chấm cuối, như một tiêu đề\):.*Xem ngay: cô gái trẻ.*Điểm giật tít: \d+% — có dấu hiệu giật tít/s,
    )
    expect(res.body).toContain('Dòng 3 (dòng ngắn, không có dấu chấm cuối, như một tiêu đề) có dấu hiệu giật tít')
    const en = await t.app.inject({ method: 'POST', url: '/api/v1/checks', payload: { text: pasted }, remoteAddress: '10.9.0.8' })
    const body = en.json()
    expect(body.clickbait).toBeUndefined()
    expect(body.lines.map((l: { line: number; why: string; clickbait: boolean }) => [l.line, l.why, l.clickbait])).toEqual([
      [1, 'first-line', false],
      [3, 'headline-like', true],
    ])
    const finding = body.findings.find((x: { kind: string }) => x.kind === 'clickbait')
    expect(body.normalized.slice(finding.start, finding.end)).toBe('Xem ngay: cô gái trẻ làm điều không ai ngờ tới')
    expect(finding.message.en).toMatch(/^Line 3 \(a short line without a final period, like a headline\) looks like clickbait/)
  })

  it('does not flag the office’s own advice in the verdict editor’s panel (issue 13, item 5)', async () => {
    const editor = await loginAs(t, await makeUser(t, { role: 'editor' }))
    const res = await t.app.inject({
      method: 'POST',
      url: '/console/checks/panel',
      headers: editor.headers,
      payload: {
        title: 'Không có vụ bắt cóc trẻ em nào tại chợ Nông Cống',
        bodyMd:
          'Công an xã đã xác minh: không có tin báo về trẻ em mất tích. Khi nhận được cuộc gọi nghi vấn, người dân báo ngay cho Công an.\n\nĐề nghị người dân không chia sẻ thông tin chưa được kiểm chứng.',
      },
    })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Không phát hiện vấn đề nào.')
    expect(res.body).not.toContain('<mark')
  })

  it('renders the live panel for staff with one-click mask buttons, noindex and no-store', async () => {
    const editor = await loginAs(t, await makeUser(t, { role: 'editor' }))
    const res = await t.app.inject({
      method: 'POST',
      url: '/console/checks/panel',
      headers: editor.headers,
      payload: { title: 'Bắt giữ hung thủ', bodyMd: RISKY, caseStage: 'charged' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).toContain('class="secondary small mask-button"')
    expect(res.body).toContain('data-replace="bị can"')
    // Without a case stage (no linked case) "Áp dụng" puts in one term, the safe default before
    // a charge, never the list of choices; the finding names the other terms.
    const noStage = await t.app.inject({
      method: 'POST',
      url: '/console/checks/panel',
      headers: editor.headers,
      payload: { title: 'Bắt giữ hung thủ', bodyMd: 'Hung thủ đã bị bắt.' },
    })
    expect(noStage.body).toContain('data-find="Hung thủ" data-replace="đối tượng">Áp dụng</button>')
    expect(noStage.body).toContain('data-find="hung thủ" data-replace="đối tượng">Áp dụng</button>')
    expect([...noStage.body.matchAll(/data-replace="([^"]*)"/g)].map((m) => m[1])).toEqual(['đối tượng', 'đối tượng'])
    expect(noStage.body).toContain('(cách gọi khác tùy giai đoạn: nghi phạm (trước khởi tố); bị can (sau khởi tố); bị cáo (khi xét xử))')
    const noStageEn = await t.app.inject({
      method: 'POST',
      url: '/console/checks/panel',
      headers: { ...editor.headers, cookie: `${editor.headers.cookie}; lang=en` },
      payload: { bodyMd: 'Hung thủ đã bị bắt.' },
    })
    expect(noStageEn.body).toContain('data-replace="đối tượng">Apply</button>')
    expect(noStageEn.body).toContain('(other terms, by stage: nghi phạm (trước khởi tố); bị can (sau khởi tố); bị cáo (khi xét xử))')
    const partner = await loginAs(t, await makeUser(t, { role: 'journalist' }))
    expect(
      (await t.app.inject({ method: 'POST', url: '/console/checks/panel', headers: partner.headers, payload: { bodyMd: 'x' } })).statusCode,
    ).toBe(403)
  })
})

describe('an over-long paste on /kiem-tra (issue 18): the text comes back with the limit, nothing is checked', () => {
  /** The textarea's content, unescaped. */
  const textareaOf = (html: string) =>
    (/<textarea name="text"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&amp;', '&')
  const open = async (url = '/kiem-tra') => {
    const get = await t.app.inject({ url })
    return { cookie: mergeCookies('', get), csrf: csrfFrom(get.body) }
  }
  const post = async (b: { cookie: string; csrf: string }, fields: Record<string, string>, url = '/kiem-tra') => {
    const f = form({ _csrf: b.csrf, ...fields })
    return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: b.cookie }, remoteAddress: '10.9.7.1' })
  }
  /** About 480 KB pasted: 120,000 characters, with characters HTML must escape. */
  const paste = `${RISKY} <b>"Tin"</b> & `.repeat(1_200)

  it('re-renders the page with the title, the mask style, the whole text and the limit in both languages (413)', async () => {
    expect(paste.length).toBeGreaterThan(100_000)
    const b = await open()
    const res = await post(b, { title: 'Tiêu đề thử', text: paste, mask: 'remove' })
    expect(res.statusCode).toBe(413)
    expect(res.headers['content-type']).toContain('text/html')
    expect(textareaOf(res.body) === paste).toBe(true)
    expect(res.body).toContain('value="Tiêu đề thử"')
    expect(res.body).toContain('<option value="remove" selected>')
    expect(res.body).not.toContain('must NOT have more than')
    // Not checked: no findings, no masked copy.
    expect(res.body).not.toContain('class="findings"')
    expect(res.body).not.toContain('masked-copy')
    const vi = `Văn bản bạn gửi dài ${paste.length.toLocaleString('vi-VN')} ký tự, quá giới hạn 100.000 ký tự`
    const en = `Your text is ${paste.length.toLocaleString('en-GB')} characters long, over the limit of 100,000 characters`
    expect(res.body).toContain(vi)
    expect(res.body).toContain('hãy kiểm tra từng phần, mỗi lần tối đa 100.000 ký tự')
    expect(res.body).toContain(en)
    expect(res.body.indexOf(vi)).toBeLessThan(res.body.indexOf(en))
    // An English reader: English first.
    const bEn = await open('/kiem-tra?lang=en')
    const enRes = await post(bEn, { text: paste }, '/kiem-tra?lang=en')
    expect(enRes.statusCode).toBe(413)
    expect(textareaOf(enRes.body) === paste).toBe(true)
    expect(enRes.body.indexOf(en)).toBeGreaterThan(-1)
    expect(enRes.body.indexOf(en)).toBeLessThan(enRes.body.indexOf('Văn bản bạn gửi dài'))
  })

  it('beyond 2 MB: says what happened and that Back keeps the text, in both languages', async () => {
    const b = await open()
    const res = await post(b, { text: 'đ'.repeat(400_000) })
    expect(res.statusCode).toBe(413)
    expect(res.headers['content-type']).toContain('text/html')
    expect(res.body).toContain('<textarea name="text"')
    expect(textareaOf(res.body)).toBe('')
    expect(res.body).toContain('lớn hơn 2 MB nên máy chủ không đọc được')
    expect(res.body).toContain('bấm nút Quay lại (Back) của trình duyệt')
    expect(res.body).toContain('larger than 2 MB, so the server could not read it')
    expect(res.body).toContain('Back button: most browsers keep the text you typed')
    // The page still works: a fresh token to try again.
    expect(csrfFrom(res.body)).toBeTruthy()
  })

  it('a text at the limit is checked as before', async () => {
    const b = await open()
    const atLimit = `${RISKY} ${'x'.repeat(100_000 - RISKY.length - 1)}`
    expect(atLimit.length).toBe(100_000)
    const res = await post(b, { text: atLimit })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Rủi ro cao')
    expect(res.body).not.toContain('too-long')
  })
})
