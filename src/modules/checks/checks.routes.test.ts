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
    expect(copy?.trim()).toBe('Hung thủ đã sát hại cháu N.T.L., 15 tuổi, học sinh Trường THCS [đã ẩn].')
    expect(res.body).toContain('Đã che 2 mục — Viết tắt tên (N.V.A.), che bớt chữ số. Tuổi được giữ nguyên.')
    const removed = form({ _csrf: csrfFrom(get.body), text: RISKY, mask: 'remove' })
    const res2 = await t.app.inject({ method: 'POST', url: '/kiem-tra', payload: removed.payload, headers: { ...removed.headers, cookie } })
    expect(res2.body).toContain('Hung thủ đã sát hại cháu [đã ẩn], [đã ẩn], học sinh [đã ẩn].')
    expect(res2.body).toContain('<option value="remove" selected>')
    expect(res2.body).toContain('Đã che 3 mục — Xóa hẳn ([đã ẩn]). Hãy đọc lại')
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
    expect(removed.json().masked).toBe('Hung thủ đã sát hại cháu [đã ẩn], [đã ẩn], học sinh [đã ẩn].')
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
