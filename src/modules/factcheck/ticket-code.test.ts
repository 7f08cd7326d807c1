import { describe, expect, it } from 'vitest'
import { normalizeTicketCode, randomTicketCode } from './ticket-code.ts'

describe('ticket codes', () => {
  it('are ten random digits in two groups after the year', () => {
    const codes = Array.from({ length: 2000 }, () => randomTicketCode('2026'))
    for (const c of codes) expect(c).toMatch(/^KC-2026-\d{5}-\d{5}$/)
    // Ten random digits: two of 2,000 codes are the same once in 5,000 runs (it happened in CI),
    // so one repeat is allowed; two or more would be once in 50 million. The intake takes the
    // first of three codes that no ticket holds, behind a unique constraint.
    expect(new Set(codes).size).toBeGreaterThanOrEqual(codes.length - 1)
    // Every digit position takes many values (not a counter, not a constant).
    for (const i of [8, 9, 14, 18]) expect(new Set(codes.map((c) => c[i])).size).toBe(10)
  })

  it('read however they were typed; anything else is not a code', () => {
    expect(normalizeTicketCode('KC-2026-04817-93512')).toBe('KC-2026-04817-93512')
    expect(normalizeTicketCode(' kc 2026 04817 93512 ')).toBe('KC-2026-04817-93512')
    expect(normalizeTicketCode('kc2026-0481793512')).toBe('KC-2026-04817-93512')
    expect(normalizeTicketCode('KC–2026–04817–93512')).toBe('KC-2026-04817-93512')
    expect(normalizeTicketCode('KC-2026-000123')).toBe('KC-2026-000123')
    for (const bad of [
      '',
      'KC-2026-0481-93512',
      'KC-2026-04817-935120',
      'TD-2026-04817-93512',
      'KC-2026-04817-9351x',
      `KC-2026-${'1'.repeat(50)}`,
    ]) {
      expect(normalizeTicketCode(bad)).toBeUndefined()
    }
  })
})
