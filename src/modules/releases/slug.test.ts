import { describe, expect, it } from 'vitest'
import { SLUG_MAX, slugify } from './releases.workflow.ts'

describe('release slugs', () => {
  it('are cut between words, never inside one', () => {
    const title = 'Công an tỉnh Thanh Hóa triệt phá đường dây đánh bạc qua mạng quy mô hơn 100 tỷ đồng tại thành phố'
    const slug = slugify(title)
    // The old cut at 80 characters left "…quy-mo-hon-100-ty-d".
    expect(slug).toBe('cong-an-tinh-thanh-hoa-triet-pha-duong-day-danh-bac-qua-mang-quy-mo-hon-100-ty')
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX)
    const words = new Set(slugify(title.replace(/ tại thành phố$/, '')).split('-'))
    for (const w of slug.split('-')) expect(words.has(w), w).toBe(true)
  })

  it('keep a title that fits whole, and a slug ending exactly at the limit', () => {
    expect(slugify('Thông cáo báo chí về vụ cháy tại chợ Vườn Hoa')).toBe('thong-cao-bao-chi-ve-vu-chay-tai-cho-vuon-hoa')
    const exact = `${'a'.repeat(SLUG_MAX - 5)} bcde fgh`
    expect(slugify(exact)).toBe(`${'a'.repeat(SLUG_MAX - 5)}-bcde`)
    expect(slugify(`${'a'.repeat(SLUG_MAX - 4)} bcd`)).toBe(`${'a'.repeat(SLUG_MAX - 4)}-bcd`)
  })

  it('cut a single word longer than the limit, and never come out empty', () => {
    expect(slugify('x'.repeat(200))).toBe('x'.repeat(SLUG_MAX))
    expect(slugify('!!! ???')).toBe('tin')
  })
})
