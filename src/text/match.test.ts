import { describe, expect, it } from 'vitest'
import { evaluate, loadPairs, scorePairs } from '../../tools/eval-match.ts'
import { ClaimIndex, claimSignature } from './match-index.ts'
import { MERGE_THRESHOLD, SUGGEST_THRESHOLD, similarity } from './match-score.ts'
import { canonicalUrl, extractUrls } from './url-canonical.ts'

const SCAM = 'Cảnh báo: đối tượng giả danh công an gọi điện yêu cầu người dân chuyển tiền vào tài khoản để điều tra'
const KIDNAP = 'Xôn xao tin bắt cóc trẻ em bằng xe khách ở Quảng Xương, phụ huynh hoang mang'

describe('similarity', () => {
  it('finds a claim written without diacritics', () => {
    const r = similarity(SCAM, 'canh bao doi tuong gia danh cong an goi dien yeu cau nguoi dan chuyen tien vao tai khoan de dieu tra')
    expect(r.decision).toBe('merge')
  })

  it('reads teencode and abbreviations', () => {
    const r = similarity(
      'Công an không bao giờ gọi điện yêu cầu chuyển tiền, ai nhận cuộc gọi như vậy là lừa đảo',
      'CA ko bao h goi dien yeu cau chuyen tien dau, ai nhan dc cuoc goi nhu the la lua dao nha',
    )
    expect(r.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD)
  })

  it('ignores word order', () => {
    const r = similarity(
      'Tai nạn giao thông nghiêm trọng trên quốc lộ 1A ở Hà Trung làm 2 người tử vong',
      '2 người tử vong trong vụ tai nạn giao thông nghiêm trọng ở Hà Trung trên quốc lộ 1A',
    )
    expect(r.decision).toBe('merge')
  })

  it('tolerates typos', () => {
    const r = similarity(
      'Bà cụ ở Hoằng Hóa bị kẻ giả danh công an lừa mất 300 triệu đồng qua điện thoại',
      'Ba cu o Hoang Hoa bi ke gia dnah cong an lua mât 300 trieu dong qua dien thoai',
    )
    expect(r.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD)
  })

  it('never merges a text under 8 syllables, even an identical one', () => {
    const r = similarity('Bắt cóc trẻ em ở Quảng Xương', 'bat coc tre em o quang xuong')
    expect(r.score).toBeGreaterThanOrEqual(MERGE_THRESHOLD)
    expect(r.decision).toBe('suggest')
  })

  it('does not merge a different number', () => {
    const r = similarity(
      'Bà cụ ở Hoằng Hóa bị kẻ giả danh công an lừa mất 300 triệu đồng qua điện thoại',
      'Bà cụ ở Hoằng Hóa bị kẻ giả danh công an lừa mất 30 triệu đồng qua điện thoại',
    )
    expect(r.decision).toBe('none')
  })

  it('reads number units: 500k = 500 nghìn, 10 giờ đêm = 22 giờ', () => {
    const a = similarity(
      'Từ tháng sau người dân phải nộp 500k để đổi căn cước',
      'Từ tháng sau người dân phải nộp 500 nghìn để đổi căn cước',
    )
    expect(a.decision).toBe('merge')
    const b = similarity(
      'Người dân bị cấm ra đường sau 22 giờ theo văn bản lan truyền',
      'Người dân bị cấm ra đường sau 10 giờ đêm theo văn bản lan truyền',
    )
    expect(b.decision).toBe('merge')
  })

  it('does not merge a different place', () => {
    const r = similarity(KIDNAP, 'Xôn xao tin bắt cóc trẻ em bằng xe khách ở Nông Cống, phụ huynh hoang mang')
    expect(r.decision).toBe('none')
  })

  it('does not merge a negated claim', () => {
    const r = similarity(
      'Hồ Cửa Đạt sắp xả lũ khẩn cấp, người dân Thường Xuân cần sơ tán ngay',
      'Hồ Cửa Đạt không xả lũ khẩn cấp, người dân Thường Xuân không cần sơ tán',
    )
    expect(r.decision).toBe('none')
    const denial = similarity(
      'Phát hiện xác người trôi trên sông Mã ở cầu Hàm Rồng',
      'Tin đồn phát hiện xác người trôi trên sông Mã ở cầu Hàm Rồng là sai sự thật',
    )
    expect(denial.decision).toBe('none')
  })

  it('does not merge another victim or action', () => {
    expect(
      similarity('Hai bé trai ở Vĩnh Lộc bị bắt cóc khi đang chơi ngoài ngõ', 'Hai bé gái ở Vĩnh Lộc bị bắt cóc khi đang chơi ngoài ngõ')
        .decision,
    ).not.toBe('merge')
    expect(
      similarity(
        'Xe container tông xe máy ở Bỉm Sơn, hai người chết tại chỗ',
        'Xe container tông xe máy ở Bỉm Sơn, hai người bị thương nhẹ',
      ).decision,
    ).not.toBe('merge')
  })

  it('uses marks when both texts have them (bán ≠ bạn)', () => {
    const other = similarity('Công an bắt giữ kẻ bán ma túy ở chợ', 'Công an bắt giữ kẻ bạn ma túy ở chợ')
    // Old-style tone placement ("tuý") is the same word as "túy".
    const same = similarity('Công an bắt giữ kẻ bán ma túy ở chợ', 'Công an bắt giữ kẻ bán ma tuý ở chợ')
    expect(same.score).toBe(1)
    expect(other.score).toBeLessThan(0.97)
  })

  it('reads both tone placements as the same words, both ways (issue 18)', () => {
    const a = 'Thủy điện ở Thanh Hóa xả lũ, người dân Khánh Hòa hủy chuyến đi'
    const b = 'Thuỷ điện ở Thanh Hoá xả lũ, người dân Khánh Hoà huỷ chuyến đi'
    expect(similarity(a, b).score).toBe(1)
    expect(similarity(b, a).score).toBe(1)
    const index = new ClaimIndex()
    index.add('old', b)
    index.add('new', 'Công an tỉnh Nghệ An cảnh báo lừa đảo qua mạng xã hội')
    expect(index.search(a)[0]).toMatchObject({ id: 'old', decision: 'merge' })
  })

  it('is not fooled by a question "… không?"', () => {
    const r = similarity(
      'Có ai biết vụ cháy nổ ở nhà máy xi măng Bỉm Sơn không, nghe bảo chết mấy người',
      'Vụ cháy nổ ở nhà máy xi măng Bỉm Sơn, nghe bảo chết mấy người',
    )
    expect(r.score).toBeGreaterThanOrEqual(SUGGEST_THRESHOLD)
  })

  it('normalises NFD and legacy encodings before comparing', () => {
    expect(similarity(SCAM.normalize('NFD'), SCAM)).toEqual({ score: 1, decision: 'merge', containment: 1 })
    // VNI-Windows bytes read as Latin-1: "Thanh Hoùa" = "Thanh Hóa".
    const r = similarity(
      'Caûnh baùo giaû danh coâng an goïi ñieän löøa ñaûo ôû Thanh Hoùa',
      'Cảnh báo giả danh công an gọi điện lừa đảo ở Thanh Hóa',
    )
    expect(r.decision).toBe('merge')
  })

  it('survives junk: empty, emoji only, 1 MB', () => {
    expect(similarity('', '')).toEqual({ score: 0, decision: 'none', containment: 0 })
    expect(similarity('🔥🔥🔥', '😡')).toEqual({ score: 0, decision: 'none', containment: 0 })
    const big = `${SCAM} ${'lừa đảo '.repeat(130_000)}`
    // Long inputs are cut to MAX_MATCH_CHARS before scoring (speed is measured in bench/match.bench.ts).
    const r = similarity(big, SCAM)
    expect(r.score).toBeGreaterThan(0)
  })
})

describe('canonicalUrl', () => {
  it('removes tracking parameters, www/m., fragments and trailing slashes', () => {
    expect(canonicalUrl('https://www.facebook.com/congantinhthanhhoa/posts/123?fbclid=IwAR0&mibextid=x#c')).toBe(
      'https://facebook.com/congantinhthanhhoa/posts/123',
    )
    expect(canonicalUrl('http://m.facebook.com/congantinhthanhhoa/posts/123/')).toBe('https://facebook.com/congantinhthanhhoa/posts/123')
    expect(canonicalUrl('https://vnexpress.net/a-1.html?utm_source=fb&utm_medium=social&gclid=1')).toBe('https://vnexpress.net/a-1.html')
    expect(canonicalUrl('https://www.tiktok.com/@a/video/1?is_from_webapp=1&sender_device=pc&_r=1')).toBe(
      'https://tiktok.com/@a/video/1?_r=1',
    )
    expect(canonicalUrl('https://zalo.me/g/abc?zarsi=1')).toBe('https://zalo.me/g/abc')
    expect(canonicalUrl('https://www.instagram.com/p/XYZ/?igshid=abc')).toBe('https://instagram.com/p/XYZ')
  })

  it('maps youtu.be to youtube.com and keeps meaningful parameters sorted', () => {
    expect(canonicalUrl('https://youtu.be/dQw4w9WgXcQ?si=abc')).toBe('https://youtube.com/watch?v=dQw4w9WgXcQ')
    expect(canonicalUrl('https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ')).toBe('https://youtube.com/watch?v=dQw4w9WgXcQ')
    expect(canonicalUrl('https://EXAMPLE.vn:443/x?b=2&a=1')).toBe('https://example.vn/x?a=1&b=2')
  })

  it('refuses non-http links', () => {
    expect(canonicalUrl('javascript:alert(1)')).toBeNull()
    expect(canonicalUrl('data:text/html,<script>alert(1)</script>')).toBeNull()
    expect(canonicalUrl('not a url')).toBeNull()
  })

  it('links match by canonical URL in similarity', () => {
    expect(similarity('https://www.facebook.com/x/posts/1?fbclid=a', 'xem ở đây m.facebook.com/x/posts/1/')).toEqual({
      score: 1,
      decision: 'merge',
      containment: 1,
    })
    expect(similarity('https://facebook.com/x/posts/1', 'https://facebook.com/x/posts/2').decision).toBe('none')
    expect(extractUrls('link: https://bit.ly/abc?utm_source=zalo, và javascript:alert(1)')).toEqual(['https://bit.ly/abc'])
  })
})

describe('ClaimIndex', () => {
  const claims = [
    SCAM,
    KIDNAP,
    'Xôn xao tin bắt cóc trẻ em bằng xe khách ở Nông Cống, phụ huynh hoang mang',
    'Cháy lớn tại chợ Vườn Hoa thành phố Thanh Hóa, nhiều ki ốt bị thiêu rụi',
    'Hồ Cửa Đạt sắp xả lũ khẩn cấp, người dân Thường Xuân cần sơ tán ngay trong đêm',
    'https://www.tiktok.com/@tinnong36/video/7312345678901234567',
  ]
  const index = ClaimIndex.fromRows(claims.map((text, i) => ({ id: `c${i}`, text })))

  it('finds a claim from a query without diacritics, best first', () => {
    const hits = index.search('tin bat coc tre em bang xe khach o quang xuong lam phu huynh hoang mang')
    expect(hits[0]).toMatchObject({ id: 'c1', decision: 'merge' })
    expect(hits.map((h) => h.id)).not.toContain('c2')
  })

  it('finds a claim despite a typo in a rare word', () => {
    const hits = index.search('Chay lon tai cho Vuon Hao thanh pho Thanh Hoa, nhieu ki ot bi thieu rui')
    expect(hits[0]?.id).toBe('c3')
  })

  it('matches links by canonical URL', () => {
    expect(index.search('https://tiktok.com/@tinnong36/video/7312345678901234567?is_from_webapp=1')[0]).toMatchObject({
      id: 'c5',
      score: 1,
      decision: 'merge',
    })
  })

  it('returns nothing for an unrelated or empty query', () => {
    expect(index.search('Giá xăng giảm từ 15 giờ chiều nay')).toEqual([])
    expect(index.search('')).toEqual([])
  })

  it('removes and replaces claims', () => {
    const small = new ClaimIndex()
    small.add(1, SCAM)
    small.add(2, KIDNAP)
    expect(small.remove(1)).toBe(true)
    expect(small.remove(1)).toBe(false)
    expect(small.size).toBe(1)
    expect(small.search(SCAM)).toEqual([])
    small.add(2, SCAM)
    expect(small.search(SCAM)[0]).toMatchObject({ id: 2, decision: 'merge' })
    expect(small.search(KIDNAP)).toEqual([])
  })

  it('gives the same score as similarity()', () => {
    const q = 'canh bao doi tuong gia danh cong an goi dien yeu cau nguoi dan chuyen tien'
    expect(index.search(q)[0].score).toBe(similarity(q, SCAM).score)
  })

  it('computes a storable signature', () => {
    const sig = claimSignature('Bà cụ ở Hoằng Hóa bị lừa 300 triệu, link https://www.facebook.com/x?fbclid=1')
    expect(sig).toMatchObject({ v: 1, numbers: ['300000000'], places: ['hoang hoa'], urls: ['https://facebook.com/x'] })
    expect(sig.folded).toContain('lua dao')
    expect(JSON.parse(JSON.stringify(sig))).toEqual(sig)
  })
})

describe('labelled pairs', () => {
  const pairs = loadPairs()
  const scored = scorePairs(pairs)
  const held = scored.filter((p) => p.row % 2 === 1)

  it('has at least 300 hand-written pairs, ~45 % same, short texts in both classes', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(300)
    const same = pairs.filter((p) => p.same).length / pairs.length
    expect(same).toBeGreaterThan(0.4)
    expect(same).toBeLessThan(0.5)
    expect(scored.some((p) => p.same && !p.long)).toBe(true)
    expect(scored.some((p) => !p.same && !p.long)).toBe(true)
  })

  // Floors = what the matcher achieves (see tools/eval-match.ts) minus a small margin.
  it('keeps precision and recall on the held-out rows', () => {
    const m = evaluate(held)
    expect(m.suggest.precision).toBeGreaterThanOrEqual(0.92)
    expect(m.suggest.recall).toBeGreaterThanOrEqual(0.87)
    expect(m.merge.precision).toBeGreaterThanOrEqual(0.93)
    expect(m.merge.recall).toBeGreaterThanOrEqual(0.5)
  })

  it('keeps precision and recall on all rows', () => {
    const m = evaluate(scored)
    expect(m.suggest.precision).toBeGreaterThanOrEqual(0.93)
    expect(m.suggest.recall).toBeGreaterThanOrEqual(0.88)
    expect(m.merge.precision).toBeGreaterThanOrEqual(0.94)
    expect(m.merge.recall).toBeGreaterThanOrEqual(0.57)
  })

  it('never merges a pair with a short text', () => {
    // Link pairs are the exception: the same canonical URL merges whatever the length.
    expect(scored.filter((p) => !p.long && p.decision === 'merge' && p.kind !== 'url')).toEqual([])
  })
})
