/** Quiet hours at their edges, in local time (Asia/Ho_Chi_Minh, +07:00). */
import { describe, expect, it } from 'vitest'
import { quietHoursRelease } from './quiet-hours.ts'

const at = (local: string) => new Date(`${local}+07:00`)

describe('quietHoursRelease', () => {
  it('holds an Advisory or Community warning from 22:00 to the next 06:00 local', () => {
    expect(quietHoursRelease(at('2026-11-20T21:59:59'), 'advisory')).toBeNull()
    expect(quietHoursRelease(at('2026-11-20T22:00:00'), 'advisory')).toEqual(at('2026-11-21T06:00:00'))
    expect(quietHoursRelease(at('2026-11-20T23:00:00'), 'community')).toEqual(at('2026-11-21T06:00:00'))
    // Midnight crossed: the same morning's 06:00, not the next day's.
    expect(quietHoursRelease(at('2026-11-21T00:00:00'), 'advisory')).toEqual(at('2026-11-21T06:00:00'))
    expect(quietHoursRelease(at('2026-11-21T05:59:59'), 'community')).toEqual(at('2026-11-21T06:00:00'))
    expect(quietHoursRelease(at('2026-11-21T06:00:00'), 'advisory')).toBeNull()
    expect(quietHoursRelease(at('2026-11-21T12:00:00'), 'community')).toBeNull()
  })

  it('crosses a month and a year end', () => {
    expect(quietHoursRelease(at('2026-12-31T23:30:00'), 'advisory')).toEqual(at('2027-01-01T06:00:00'))
    // 23:00 local is 16:00 UTC the same day: the UTC date must not decide the local one.
    expect(quietHoursRelease(new Date('2026-11-30T16:00:00Z'), 'advisory')).toEqual(at('2026-12-01T06:00:00'))
    // 05:00 local is 22:00 UTC the day before.
    expect(quietHoursRelease(new Date('2026-11-30T22:00:00Z'), 'advisory')).toEqual(at('2026-12-01T06:00:00'))
  })

  it('never holds an Alert', () => {
    for (const h of ['21:59:59', '22:00:00', '23:00:00', '00:00:00', '05:59:59', '06:00:00']) {
      expect(quietHoursRelease(at(`2026-11-20T${h}`), 'alert')).toBeNull()
    }
  })
})
