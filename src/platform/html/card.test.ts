import { describe, expect, it } from 'vitest'
import { svgToPng } from './raster.ts'
import { textWidth, truncate, wrapText } from './card.ts'

const BOLD_40 = { size: 40, weight: 700, width: 1080, lines: 2 } as const

describe('card text', () => {
  it("measures text in the cards' font: capitals and wide letters take more room, diacritics none", () => {
    const lower = textWidth('khong co vu bat coc nao', 40, 700)
    expect(textWidth('KHONG CO VU BAT COC NAO', 40, 700)).toBeGreaterThan(lower * 1.15)
    expect(Math.abs(textWidth('không có vụ bắt cóc nào', 40, 700) - lower) / lower).toBeLessThan(0.01)
    expect(textWidth('mmmm', 28, 400)).toBeGreaterThan(textWidth('iiii', 28, 400) * 2.5)
    expect(textWidth('abc', 80, 400)).toBeCloseTo(2 * textWidth('abc', 40, 400), 6)
    expect(textWidth('abc', 40, 700)).toBeGreaterThan(textWidth('abc', 40, 400))
  })

  it('wraps by width: every line fits, nothing is lost when it fits, "…" when it does not', () => {
    const headline = 'Không có vụ bắt cóc trẻ em nào ở chợ Nông Cống; thông tin lan truyền trên mạng xã hội là bịa đặt'
    for (const text of [headline, `${headline} ${headline}`, headline.toUpperCase(), 'WWWW MMMM '.repeat(20)]) {
      const lines = wrapText(text, BOLD_40)
      expect(lines.length).toBeLessThanOrEqual(2)
      for (const line of lines) expect(textWidth(line, 40, 700)).toBeLessThanOrEqual(1080)
      const joined = lines.join(' ')
      if (joined.endsWith('…')) {
        // Cut at a word: what comes before "…" is whole words from the start of the input.
        expect(`${text.trim()} `.startsWith(`${joined.slice(0, -1)} `)).toBe(true)
      } else expect(joined).toBe(text.trim())
    }
    // Twice the headline cannot fit in two lines; capitals of it do not either.
    expect(wrapText(`${headline} ${headline}`, BOLD_40).at(-1)?.endsWith('…')).toBe(true)
    expect(wrapText(headline.toUpperCase(), BOLD_40).at(-1)?.endsWith('…')).toBe(true)
    // Capitals take more room than the same words in lower case.
    expect(wrapText(headline.toUpperCase(), { ...BOLD_40, lines: 9 }).length).toBeGreaterThan(
      wrapText(headline, { ...BOLD_40, lines: 9 }).length,
    )
    const short = 'Cảnh báo lừa đảo qua mạng'
    expect(wrapText(short, BOLD_40)).toEqual([short])
    expect(wrapText(`${short} ${short} ${short}`, { ...BOLD_40, lines: 9 }).join(' ')).toBe(`${short} ${short} ${short}`)
    // One word wider than the column is cut inside, with "…".
    const [long] = wrapText('x'.repeat(200), { size: 28, weight: 400, width: 300, lines: 1 })
    expect(long?.endsWith('…')).toBe(true)
    expect(textWidth(long as string, 28, 400)).toBeLessThanOrEqual(300)
    expect(wrapText('', BOLD_40)).toEqual([])
  })

  it('truncates at a word', () => {
    expect(truncate('một hai ba bốn năm', 12)).toBe('một hai ba…')
    expect(truncate('ngắn', 12)).toBe('ngắn')
  })

  it('renders with the same font files it measures with (a PNG comes out)', () => {
    const png = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="0" y="15" font-size="12">Ấy</text></svg>')
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
  })
})
