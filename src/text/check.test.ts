import { describe, expect, it } from 'vitest'
import { checkText } from './check.ts'

describe('checkText', () => {
  it('rates unmasked data of a minor victim and guilt wording as high risk', () => {
    const r = checkText({
      title: 'Bắt giữ đối tượng đâm trọng thương học sinh',
      text: 'Đối tượng Nguyễn Văn An (SN 1995) đã đâm cháu Lê Thị Hoa (12 tuổi), trú tại thôn 3, xã Hoằng Lộc.',
      caseStage: 'investigating',
      referenceYear: 2025,
    })
    expect(r.risk).toBe('high')
    const hoa = r.findings.find((f) => f.text === 'Lê Thị Hoa')
    expect(hoa).toMatchObject({ kind: 'personal-data', severity: 'high', suggestion: 'L.T.H.', field: 'text' })
    const address = r.findings.find((f) => f.piiType === 'address')
    expect(address?.severity).toBe('high') // same sentence as the minor victim
    const an = r.findings.find((f) => f.text === 'Nguyễn Văn An')
    expect(an?.severity).toBe('medium')
    for (const f of r.findings.filter((x) => x.field === 'text')) expect(r.normalized.slice(f.start, f.end)).toBe(f.text)
    expect(r.clickbait?.clickbait).toBe(false)
  })

  it('is low risk for a clean release', () => {
    const r = checkText({ text: 'Công an tỉnh Thanh Hóa tổ chức hội nghị gặp mặt báo chí.', title: 'Hội nghị gặp mặt báo chí năm 2025' })
    expect(r.risk).toBe('low')
    expect(r.findings).toEqual([])
  })

  it('reports clickbait titles and guilt words in titles', () => {
    const r = checkText({ text: '', title: 'Sự thật bất ngờ về hung thủ khiến ai cũng sốc', caseStage: 'charged' })
    const kinds = r.findings.map((f) => `${f.field}:${f.kind}`)
    expect(kinds).toContain('title:clickbait')
    expect(kinds).toContain('title:guilt')
    expect(r.risk).toBe('high')
  })

  it('normalises HTML, NFD and legacy encodings before checking', () => {
    const html = checkText({ text: '<p>Nạn nhân <b>Lê Thị Hoa</b> bị thương.</p>' })
    expect(html.html).toBe(true)
    expect(html.normalized).toBe('Nạn nhân Lê Thị Hoa bị thương.')
    expect(html.personalData[0]).toMatchObject({ text: 'Lê Thị Hoa', role: 'victim' })
    const vni = checkText({ text: 'Naïn nhaân Leâ Thò Hoa bò thöông.' })
    expect(vni.encoding).toBe('vni')
    expect(vni.normalized).toBe('Nạn nhân Lê Thị Hoa bị thương.')
    const nfd = checkText({ text: 'Nạn nhân Lê Thị Hoa bị thương.'.normalize('NFD') })
    expect(nfd.personalData).toEqual(html.personalData)
  })

  it('copes with empty, huge and odd input', () => {
    expect(checkText({ text: '' })).toMatchObject({ risk: 'low', findings: [], normalized: '' })
    // @ts-expect-error: callers from JSON may send anything
    expect(checkText({ text: null }).risk).toBe('low')
    const big = checkText({ text: `${'😀 Москва 北京 '.repeat(40000)}Hung thủ` })
    expect(big.findings.map((f) => f.kind)).toEqual(['guilt'])
  })

  it('scores a clickbait headline pasted into the body when no headline is given (issue 13, item 5)', () => {
    const first = checkText({
      text: 'Sốc: Sự thật kinh hoàng phía sau vụ án khiến ai cũng bàng hoàng\n\nChiều 24/11, Công an huyện bắt giữ đối tượng.',
    })
    expect(first.lines?.[0]).toMatchObject({ line: 1, why: 'first-line', clickbait: true })
    const f = first.findings.find((x) => x.kind === 'clickbait')
    expect(f).toMatchObject({ field: 'text', start: 0, severity: 'medium' })
    expect(first.normalized.slice(f!.start, f!.end)).toBe('Sốc: Sự thật kinh hoàng phía sau vụ án khiến ai cũng bàng hoàng')
    expect(f!.message.vi).toMatch(/^Dòng 1 \(dòng đầu, đọc như tiêu đề\) có dấu hiệu giật tít \(điểm 0\.\d+\): /)
    expect(f!.message.en).toMatch(/^Line 1 \(the first line, read as the headline\) looks like clickbait/)
    expect(first.risk).toBe('medium')
    // A headline-like line further down is scored too; a sentence and a short subheading are not.
    const inside = checkText({
      text: 'Chiều 24/11, Công an huyện bắt giữ đối tượng.\n\nTang vật thu giữ\n\nXem ngay: cô gái trẻ làm điều không ai ngờ tới\n\nNội dung sự việc đang được làm rõ.',
    })
    expect(inside.lines?.map((l) => [l.line, l.why, l.clickbait])).toEqual([
      [1, 'first-line', false],
      [5, 'headline-like', true],
    ])
    const cb = inside.findings.filter((x) => x.kind === 'clickbait')
    expect(cb.map((x) => inside.normalized.slice(x.start, x.end))).toEqual(['Xem ngay: cô gái trẻ làm điều không ai ngờ tới'])
    expect(cb[0].message.vi).toContain('Dòng 5 (dòng ngắn, không có dấu chấm cuối, như một tiêu đề)')
  })

  it('does not score body lines when a headline is given, nor a long first paragraph', () => {
    const r = checkText({ title: 'Hội nghị gặp mặt báo chí năm 2025', text: 'Xem ngay: cô gái trẻ làm điều không ai ngờ tới' })
    expect(r.lines).toBeUndefined()
    expect(r.findings.filter((f) => f.kind === 'clickbait')).toEqual([])
    const long = checkText({
      text: `${'Công an tỉnh tổ chức hội nghị tổng kết công tác năm với sự tham dự của lãnh đạo các đơn vị '.repeat(3)}.`,
    })
    expect(long.lines).toEqual([])
  })

  it('finds the same data and wording in both tone placements (issue 18)', () => {
    const a = 'Cháu Lê Thị Thuỷ (12 tuổi) ở thôn Hoà Bình, xã Đông Hoà bị đánh; đối tượng là kẻ thủ ác.'
    const b = 'Cháu Lê Thị Thủy (12 tuổi) ở thôn Hòa Bình, xã Đông Hòa bị đánh; đối tượng là kẻ thủ ác.'
    const view = (t: string) => checkText({ text: t, referenceYear: 2025 }).findings.map((f) => [f.kind, f.start, f.end])
    expect(view(a)).toEqual(view(b))
    expect(checkText({ text: a, referenceYear: 2025 }).findings.find((f) => f.piiType === 'address')?.text).toBe(
      'thôn Hoà Bình, xã Đông Hoà',
    )
  })
})
