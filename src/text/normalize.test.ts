import { describe, expect, it } from 'vitest'
import {
  canonicalTones,
  decodeEntities,
  fixLegacyEncoding,
  fold,
  foldDiacritics,
  isVietnameseSyllable,
  looksLikeHtml,
  normalizeText,
  stripHtml,
  tokenize,
} from './normalize.ts'

// Independent encoders written here from the published tables, so the tests do not just
// invert the implementation's own table.
const TCVN3_ENC: Record<string, number> = {
  ă: 0xa8,
  â: 0xa9,
  ê: 0xaa,
  ô: 0xab,
  ơ: 0xac,
  ư: 0xad,
  đ: 0xae,
  Đ: 0xa7,
  Â: 0xa2,
  Ô: 0xa4,
  Ư: 0xa6,
  à: 0xb5,
  ả: 0xb6,
  ã: 0xb7,
  á: 0xb8,
  ạ: 0xb9,
  ằ: 0xbb,
  ắ: 0xbe,
  ặ: 0xc6,
  ầ: 0xc7,
  ẩ: 0xc8,
  ấ: 0xca,
  ậ: 0xcb,
  è: 0xcc,
  é: 0xd0,
  ẹ: 0xd1,
  ề: 0xd2,
  ể: 0xd3,
  ễ: 0xd4,
  ế: 0xd5,
  ệ: 0xd6,
  ì: 0xd7,
  ỉ: 0xd8,
  í: 0xdd,
  ị: 0xde,
  ò: 0xdf,
  ỏ: 0xe1,
  õ: 0xe2,
  ó: 0xe3,
  ọ: 0xe4,
  ồ: 0xe5,
  ổ: 0xe6,
  ố: 0xe8,
  ộ: 0xe9,
  ờ: 0xea,
  ở: 0xeb,
  ớ: 0xed,
  ợ: 0xee,
  ù: 0xef,
  ủ: 0xf1,
  ũ: 0xf2,
  ú: 0xf3,
  ụ: 0xf4,
  ừ: 0xf5,
  ử: 0xf6,
  ữ: 0xf7,
  ứ: 0xf8,
  ự: 0xf9,
  ý: 0xfd,
}
const toTcvn3 = (s: string): string => [...s].map((c) => (TCVN3_ENC[c] ? String.fromCharCode(TCVN3_ENC[c]) : c)).join('')

// VNI: base letter + modifier byte. Tone bytes: huyền ø, sắc ù, hỏi û, ngã õ, nặng ï.
const VNI_TONE: Record<string, string> = { '\u0300': 'ø', '\u0301': 'ù', '\u0309': 'û', '\u0303': 'õ', '\u0323': 'ï' }
const VNI_CIRC_TONE: Record<string, string> = { '': 'â', '\u0300': 'à', '\u0301': 'á', '\u0309': 'å', '\u0303': 'ã', '\u0323': 'ä' }
const VNI_BREVE_TONE: Record<string, string> = { '': 'ê', '\u0300': 'è', '\u0301': 'é', '\u0309': 'ú', '\u0303': 'ü', '\u0323': 'ë' }
const VNI_I: Record<string, string> = { '\u0300': 'ì', '\u0301': 'í', '\u0309': 'æ', '\u0303': 'ó', '\u0323': 'ò' }
function toVni(s: string): string {
  return [...s.normalize('NFC')]
    .map((ch) => {
      if (ch === 'đ') return 'ñ'
      if (ch === 'Đ') return 'Ñ'
      const d = ch.normalize('NFD')
      const base = d[0]
      const marks = d.slice(1)
      const tone = [...marks].find((m) => VNI_TONE[m]) ?? ''
      if (base === 'i' && tone) return VNI_I[tone]
      if (marks.includes('\u0302')) return base + VNI_CIRC_TONE[tone]
      if (marks.includes('\u0306')) return base + VNI_BREVE_TONE[tone]
      if (marks.includes('\u031b')) return (base === 'o' ? 'ô' : 'ö') + (tone ? VNI_TONE[tone] : '')
      return tone ? base + VNI_TONE[tone] : ch
    })
    .join('')
}

const SAMPLES = [
  'Công an tỉnh Thanh Hóa đã bắt giữ đối tượng trộm cắp tài sản',
  'Người dân cần cảnh giác với các thủ đoạn lừa đảo qua mạng',
  'Lực lượng chức năng tiếp tục điều tra, làm rõ vụ việc',
]

describe('legacy encodings', () => {
  it('reads literal VNI and TCVN3 samples', () => {
    expect(fixLegacyEncoding('Thanh Hoùa')).toEqual({ text: 'Thanh Hóa', encoding: 'vni' })
    expect(fixLegacyEncoding('C«ng an tØnh Thanh Hãa')).toEqual({ text: 'Công an tỉnh Thanh Hóa', encoding: 'tcvn3' })
    expect(fixLegacyEncoding('Ñoàng Haønh').text).toBe('Đồng Hành')
  })

  it.each(SAMPLES)('round-trips TCVN3: %s', (s) => {
    const legacy = toTcvn3(s)
    expect(legacy).not.toBe(s)
    expect(fixLegacyEncoding(legacy)).toEqual({ text: s, encoding: 'tcvn3' })
  })

  it.each(SAMPLES)('round-trips VNI: %s', (s) => {
    const legacy = toVni(s)
    expect(legacy).not.toBe(s)
    expect(fixLegacyEncoding(legacy)).toEqual({ text: s, encoding: 'vni' })
  })

  it('leaves genuine Unicode alone, including Latin-1-only Vietnamese and old-style tones', () => {
    for (const s of [...SAMPLES, 'Thanh Hóa', 'hoà bình, Thanh Hoá', '© 2025 Báo Thanh Hóa', 'Café à la carte']) {
      expect(fixLegacyEncoding(s)).toEqual({ text: s, encoding: 'unicode' })
    }
  })

  it('validates syllables', () => {
    expect(isVietnameseSyllable('nghiêng')).toBe(true)
    expect(isVietnameseSyllable('Hoùa')).toBe(false)
    expect(isVietnameseSyllable('tØnh')).toBe(false)
  })
})

describe('normalizeText', () => {
  it('composes NFD and collapses whitespace', () => {
    const nfd = 'Thanh  Hóa\n\tĐồng\u200b Hành '.normalize('NFD')
    expect(normalizeText(nfd)).toBe('Thanh Hóa Đồng Hành')
    expect(normalizeText(nfd)).toBe(normalizeText(nfd).normalize('NFC'))
  })
  it('fixes legacy encodings', () => {
    expect(normalizeText('  Thanh   Hoùa ')).toBe('Thanh Hóa')
  })
})

describe('folding', () => {
  it('removes diacritics and keeps case', () => {
    expect(foldDiacritics('Đồng Hành ĐẶNG Thị Ưng')).toBe('Dong Hanh DANG Thi Ung')
    expect(fold('Đồng Hành ĐẶNG')).toBe('dong hanh dang')
  })
  it('keeps the UTF-16 length of NFC text so offsets carry over', () => {
    const s = 'Nguyễn Thị Ánh 😀 Thanh Hóa İ'
    expect(fold(s).length).toBe(s.length)
    expect(foldDiacritics(s).length).toBe(s.length)
  })
  it('handles NFD input by removing combining marks', () => {
    expect(fold('Thanh Hóa'.normalize('NFD'))).toBe('thanh hoa')
  })
})

describe('tokenize', () => {
  it('gives UTF-16 offsets that slice back to the token', () => {
    const s = '😀 Ngày 12/3, xe 36A-123.45 chở 1.200 kg ở Thanh Hóa.'
    const toks = tokenize(s)
    for (const t of toks) expect(s.slice(t.start, t.end)).toBe(t.text)
    expect(toks.map((t) => t.text)).toEqual(['Ngày', '12', '3', 'xe', '36A', '123.45', 'chở', '1.200', 'kg', 'ở', 'Thanh', 'Hóa'])
    expect(toks[0].start).toBe(3)
  })
  it('keeps NFD syllables whole', () => {
    const s = 'Hóa đơn'.normalize('NFD')
    expect(tokenize(s).map((t) => t.text)).toEqual(s.split(' '))
  })
  it('returns nothing for empty or symbol-only input', () => {
    expect(tokenize('')).toEqual([])
    expect(tokenize(' ... !!! 😀')).toEqual([])
  })
})

describe('HTML', () => {
  it('strips tags, scripts and decodes entities', () => {
    const html = '<p>Xin ch&agrave;o&nbsp;<b>b&#7841;n</b></p><script>alert(1)</script><div>Hết&hellip;</div>'
    expect(looksLikeHtml(html)).toBe(true)
    expect(stripHtml(html)).toBe('Xin chào\u00a0bạn\nHết…')
    expect(looksLikeHtml('a < b and c > d')).toBe(false)
    expect(decodeEntities('&#x1F600;&bogus;&#0;')).toBe('😀&bogus;&#0;')
  })
})

describe('canonicalTones: one tone placement (issue 18)', () => {
  // Pairs (main-vowel placement, the canonical first-vowel placement) and slips.
  const PAIRS: [string, string][] = [
    ['Thanh Hoá', 'Thanh Hóa'],
    ['thuỷ điện', 'thủy điện'],
    ['khoẻ mạnh', 'khỏe mạnh'],
    ['huỷ bỏ', 'hủy bỏ'],
    ['oà khóc', 'òa khóc'],
    ['Thuỳ Linh', 'Thùy Linh'],
    ['HOÀ BÌNH', 'HÒA BÌNH'],
    ['hoạ sĩ', 'họa sĩ'],
    ['qúy', 'quý'],
    ['gìa', 'già'],
    ['hòan thành', 'hoàn thành'],
    ['tóan học', 'toán học'],
  ]
  it.each(PAIRS)('%s → %s, and the canonical form stays', (variant, canonical) => {
    expect(canonicalTones(variant)).toBe(canonical)
    expect(canonicalTones(canonical)).toBe(canonical)
    expect(canonicalTones(variant).length).toBe(variant.length)
  })
  it('leaves syllables whose tone is already on the right vowel, and words that are not syllables', () => {
    const s = 'người tuổi khuyến giường thuở hữu Huế khuấy ngoài xoáy khuỷu mía múa quả gì Café Nguyễn Đồng Hành quý'
    expect(canonicalTones(s)).toBe(s)
  })
  it('folds both placements alike (fold drops tone marks altogether)', () => {
    expect(fold('Thanh Hoá')).toBe(fold('Thanh Hóa'))
    expect(fold(canonicalTones('Khánh Hoà'))).toBe('khanh hoa')
  })
})
