/**
 * Quiet hours of the public subscribers' mail (issue 17): from 22:00 to 06:00 Asia/Ho_Chi_Minh
 * an Advisory or a Community warning is held until 06:00 local; an Alert goes at once, whatever
 * the hour (it cannot wait). Vietnam keeps +07:00 all year (no DST since 1975), so the local
 * clock is the instant shifted by seven hours, exactly.
 */
import type { WarningLevel } from '../warnings.types.ts'

const OFFSET_MS = 7 * 3600 * 1000
const HOUR_MS = 3600 * 1000
/** Quiet hours start at this local hour… */
export const QUIET_FROM_HOUR = 22
/** …and end at this one (the mail held overnight leaves then). */
export const QUIET_UNTIL_HOUR = 6

/**
 * When a subscriber's mail about a warning of `level` published (or fanned out) at `at` may
 * leave: null for at once (an Alert, or any level outside quiet hours), otherwise the next
 * 06:00 local (22:00 exactly is quiet; 06:00 exactly is not).
 */
export function quietHoursRelease(at: Date, level: WarningLevel): Date | null {
  if (level === 'alert') return null
  const local = at.getTime() + OFFSET_MS
  const dayStart = Math.floor(local / (24 * HOUR_MS)) * 24 * HOUR_MS
  const hour = (local - dayStart) / HOUR_MS
  if (hour >= QUIET_UNTIL_HOUR && hour < QUIET_FROM_HOUR) return null
  const releaseLocal = dayStart + QUIET_UNTIL_HOUR * HOUR_MS + (hour >= QUIET_FROM_HOUR ? 24 * HOUR_MS : 0)
  return new Date(releaseLocal - OFFSET_MS)
}
