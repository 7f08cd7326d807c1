import { describe, expect, it } from 'vitest'
import { formatDay, localDay, localDayStart, localFormat, localInputValue, localYear, parseLocalDateTime } from './time.ts'

describe('local time (Asia/Ho_Chi_Minh, +07:00)', () => {
  it('reads a datetime-local value as wall time and returns the UTC instant; refuses anything else', () => {
    expect(parseLocalDateTime('2026-11-20T14:30')?.toISOString()).toBe('2026-11-20T07:30:00.000Z')
    expect(parseLocalDateTime('2026-02-31T10:00')).toBeNull()
    expect(parseLocalDateTime('2026-11-20T14:30:00')).toBeNull()
    expect(parseLocalDateTime('2026-11-20T14:30+07:00')).toBeNull()
    expect(parseLocalDateTime('')).toBeNull()
    expect(localInputValue(new Date('2026-11-20T07:30:00Z'))).toBe('2026-11-20T14:30')
  })

  it('gives the local day, year and day start across the UTC date line', () => {
    const lateUtc = new Date('2026-12-31T17:30:00Z') // 00:30 on 1 January 2027 in Vietnam
    expect(localDay(lateUtc)).toBe('2027-01-01')
    expect(localYear(lateUtc)).toBe('2027')
    expect(localDayStart('2027-01-01')?.toISOString()).toBe('2026-12-31T17:00:00.000Z')
    expect(localDayStart('2026-02-31')).toBeNull()
    expect(localDayStart('2026-2-3')).toBeNull()
    expect(localDayStart(undefined)).toBeNull()
  })

  it('formats in the local zone whatever the process zone, in the page language', () => {
    expect(localFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date('2026-11-20T07:30:00Z'))).toBe(
      '14:30',
    )
    expect(formatDay('2026-11-20', 'en')).toMatch(/^Friday,? 20 November 2026$/)
    expect(formatDay('2026-11-20', 'vi')).toContain('20')
  })
})
