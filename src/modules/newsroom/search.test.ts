/**
 * Search: query parsing and highlighting (pure), then full-text search over HTTP — folded
 * matching ("thanh hoa" finds "Thanh Hóa"), phrases, prefixes, exclusion, ranking (title
 * first) and highlights on the original text with its diacritics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NewsroomWorld, newsroomWorld, publishRelease } from './newsroom.test-support.ts'
import { highlight, matchRanges, parseSearchQuery, snippet } from './search.ts'

describe('query parsing', () => {
  it('folds, splits phrases, words, exclusions and the last-word prefix', () => {
    expect(parseSearchQuery('Thanh Hóa')).toEqual({ phrases: [], words: ['thanh'], prefix: 'hoa', excluded: [], phraseText: [] })
    expect(parseSearchQuery('"lừa đảo" qua mạng -xổ')).toEqual({
      phrases: [['lua', 'dao']],
      words: ['qua', 'mang'],
      prefix: null,
      excluded: ['xo'],
      phraseText: ['lua dao'],
    })
    expect(parseSearchQuery('Thanh-Hóa')).toEqual({
      phrases: [['thanh', 'hoa']],
      words: [],
      prefix: null,
      excluded: [],
      phraseText: ['thanh-hoa'],
    })
    expect(parseSearchQuery('"ĐƯỜNG DÂY')).toEqual({
      phrases: [['duong', 'day']],
      words: [],
      prefix: null,
      excluded: [],
      phraseText: ['duong day'],
    })
    expect(parseSearchQuery('giá 1.200 đ')).toEqual({
      phrases: [],
      words: ['gia', '1.200', 'd'],
      prefix: null,
      excluded: [],
      phraseText: [],
    })
    // A date is a phrase of our tokens (for highlights), kept as typed for the database's parser.
    expect(parseSearchQuery('ngày 13/10/2025')).toMatchObject({
      phrases: [['13', '10', '2025']],
      words: ['ngay'],
      phraseText: ['13/10/2025'],
    })
    expect(parseSearchQuery(' ; ! ')).toEqual({ phrases: [], words: [], prefix: null, excluded: [], phraseText: [] })
    // Hostile input is only ever tokens of letters and digits.
    expect(parseSearchQuery("x') | !y:* & (z")).toEqual({ phrases: [], words: ['x', 'y', 'z'], prefix: null, excluded: [], phraseText: [] })
  })

  it('highlights matches on the original text, diacritics kept', () => {
    const text = 'Công an tỉnh THANH HÓA cảnh báo; Thanh Hoá và Thanh Hóa.'
    const p = parseSearchQuery('thanh hoa')
    const pieces = highlight(text, matchRanges(text, p))
    expect(pieces.filter((x) => x.mark).map((x) => x.text)).toEqual(['THANH HÓA', 'Thanh Hoá', 'Thanh Hóa'])
    expect(pieces.map((x) => x.text).join('')).toBe(text)
    const phrase = parseSearchQuery('"canh bao"')
    expect(
      highlight(text, matchRanges(text, phrase))
        .filter((x) => x.mark)
        .map((x) => x.text),
    ).toEqual(['cảnh báo'])
    const prefix = parseSearchQuery('cảnh b')
    expect(prefix).toEqual({ phrases: [], words: ['canh', 'b'], prefix: null, excluded: [], phraseText: [] })
    const pre = parseSearchQuery('thanh ho')
    expect(
      highlight(text, matchRanges(text, pre))
        .filter((x) => x.mark)
        .map((x) => x.text),
    ).toEqual(['THANH HÓA', 'Thanh Hoá', 'Thanh Hóa'])
  })

  it('cuts a snippet around the first match, on spaces', () => {
    const long = `${'Mở đầu dài dòng không liên quan. '.repeat(20)}Người dân ở Thanh Hóa cần cảnh giác. ${'Đoạn kết. '.repeat(40)}`
    const s = snippet(long, parseSearchQuery('thanh hoa'))
    const text = s.map((x) => x.text).join('')
    expect(text.startsWith('… ')).toBe(true)
    expect(text.endsWith(' …')).toBe(true)
    expect(s.filter((x) => x.mark).map((x) => x.text)).toEqual(['Thanh Hóa'])
    expect(text.length).toBeLessThan(260)
  })
})

describe('search over HTTP', () => {
  let w: NewsroomWorld
  let hoa: { slug: string }
  let body: { slug: string }
  let other: { slug: string }
  beforeAll(async () => {
    w = await newsroomWorld()
    hoa = await publishRelease(w, {
      title: 'Thanh Hóa: triệt phá đường dây lừa đảo qua mạng',
      summary: 'Phòng Cảnh sát hình sự Công an tỉnh Thanh Hóa triệt phá đường dây lừa đảo chiếm đoạt tài sản.',
      bodyMd: 'Các đối tượng lập trang giả mạo để **lừa đảo** người dân.',
    })
    body = await publishRelease(w, {
      title: 'Tin hoạt động tuần qua',
      summary: 'Tổng hợp hoạt động.',
      bodyMd: 'Trong tuần, lực lượng công an tỉnh Thanh Hóa tuần tra kiểm soát giao thông; bắt giữ một nhóm đua xe.',
    })
    other = await publishRelease(w, {
      title: 'Nghệ An tổ chức hội nghị',
      summary: 'Hội nghị tổng kết.',
      bodyMd: 'Không nhắc tới tỉnh khác. Dây điện trên đường bị đứt.',
    })
  })
  afterAll(async () => {
    await w.t.close()
  })

  const search = (q: string) => w.t.app.inject({ url: `/tim-kiem?q=${encodeURIComponent(q)}` })
  const order = (html: string) => [...html.matchAll(/<h3>\s*<a href="\/tin\/([^"]+)"/g)].map((m) => m[1])

  it('finds "Thanh Hóa" from "thanh hoa", title matches ranked first, with highlights on the original text', async () => {
    const res = await search('thanh hoa')
    expect(res.statusCode).toBe(200)
    expect(order(res.body)).toEqual([hoa.slug, body.slug])
    expect(res.body).toContain('Tìm thấy 2 tin.')
    expect(res.body).toContain('<mark>Thanh Hóa</mark>: triệt phá đường dây lừa đảo qua mạng')
    expect(res.body).toContain('công an tỉnh <mark>Thanh Hóa</mark> tuần tra')
    expect(res.body).toContain('<meta name="robots" content="noindex, follow">')
  })

  it('handles phrases in quotes, prefixes on the last word, and exclusions', async () => {
    expect(order((await search('"duong day"')).body)).toEqual([hoa.slug])
    expect(order((await search('duong')).body).sort()).toEqual([hoa.slug, other.slug].sort())
    // Both words are in "other", but not side by side.
    expect(order((await search('"day duong"')).body)).toEqual([])
    expect(order((await search('lừa đả')).body)).toEqual([hoa.slug])
    expect(order((await search('trieu pha')).body)).toEqual([])
    expect(order((await search('triet')).body)).toEqual([hoa.slug])
    expect(order((await search('đua xe')).body)).toEqual([body.slug])
    expect(order((await search('thanh hoa -lua')).body)).toEqual([body.slug])
    const res = await search('"lua dao" nghe')
    expect(order(res.body)).toEqual([])
    const pre = await search('triệt ph')
    expect(pre.body).toContain('<mark>triệt phá</mark>')
  })

  it('survives hostile and empty queries', async () => {
    for (const q of ["' OR 1=1 --", 'a:* & !b', '((((', '"', '-', '\\', '日本語', 'x'.repeat(300)]) {
      const res = await search(q)
      expect(res.statusCode, q).toBe(200)
    }
    const empty = await search('')
    expect(empty.body).not.toContain('Tìm thấy')
    expect((await w.t.app.inject({ url: `/tim-kiem?q=${'x'.repeat(600)}` })).statusCode).toBe(400)
  })

  it('answers the JSON API search the same way', async () => {
    const res = await w.t.app.inject({ url: `/api/v1/releases?q=${encodeURIComponent('THANH HOA')}` })
    expect(res.json().items.map((i: { slug: string }) => i.slug)).toEqual([hoa.slug, body.slug])
  })

  it('finds a date as the index parsed it, and highlights it', async () => {
    const dated = await publishRelease(w, {
      title: 'Bắt giữ đối tượng trộm cắp tài sản',
      summary: 'Vụ việc xảy ra tại xã Vạn Xuân.',
      bodyMd: 'Ngày 13/10/2025, Công an xã Vạn Xuân bắt giữ 1 đối tượng, thu 1-2 xe máy.',
    })
    const found = await search('13/10/2025')
    expect(order(found.body)).toEqual([dated.slug])
    expect(found.body).toContain('<mark>13/10/2025</mark>')
    expect(order((await search('"ngày 13/10/2025, công an"')).body)).toEqual([dated.slug])
    expect(order((await search('"xa van xuan" 13/10/2025')).body)).toEqual([dated.slug])
    expect(order((await search('14/10/2025')).body)).toEqual([])
    // A day and month finds the date with its year, and the day and month alone; not another day.
    const noYear = await publishRelease(w, {
      title: 'Lịch tiếp công dân',
      summary: 'Tiếp công dân ngày 13/10 tại trụ sở.',
      bodyMd: 'Địa điểm: trụ sở Công an tỉnh.',
    })
    const november = await publishRelease(w, {
      title: 'Tuần tra đêm',
      summary: 'Đêm 13/11/2025, tổ công tác tuần tra.',
      bodyMd: 'Không có vụ việc.',
    })
    const dayMonth = await search('13/10')
    expect(order(dayMonth.body).sort()).toEqual([dated.slug, noYear.slug].sort())
    expect(dayMonth.body).toContain('<mark>13/10</mark>')
    expect(order((await search('ngày 13/10')).body).sort()).toEqual([dated.slug, noYear.slug].sort())
    expect(order((await search('13/1')).body)).toEqual([])
    expect(order((await search('3/10')).body)).toEqual([])
    expect(order((await search('13/11')).body)).toEqual([november.slug])
  })

  it('finds both tone placements from either (issue 18: "Thanh Hoá" ⇄ "Thanh Hóa")', async () => {
    // Stored in the main-vowel placement, looked up in the other, and the other way round.
    const old = await publishRelease(w, {
      title: 'Khánh Hoà: thuỷ điện điều tiết hồ chứa',
      summary: 'Tóm tắt.',
      bodyMd: 'Nhà máy thuỷ điện thông báo.',
    })
    expect(order((await search('Khánh Hòa thủy điện')).body)).toEqual([old.slug])
    expect(order((await search('Khánh Hoà thuỷ điện')).body)).toEqual([old.slug])
    expect(order((await search('Thanh Hoá')).body)).toEqual([hoa.slug, body.slug])
    expect((await search('Thanh Hoá')).body).toContain('<mark>Thanh Hóa</mark>: triệt phá')
  })
})
