/**
 * When demo content happened. A real office's items are spread over weeks, at office hours, so
 * that lists, calendars, dashboards and charts look like one; demo content made all at once
 * carried the same minute. The seed moves the one clock (`clock.ts`) to each item's
 * moment and lets the real commands stamp it (publication times, signatures, SLA clocks stay
 * consistent: no row is rewritten afterwards). The audit chain keeps the real time of the seed.
 */
import { advanceClock, freezeClock, now, resetClock } from './clock.ts'

/** Vietnam (LOCAL_ZONE, platform/time.ts) has no daylight saving time: local time is UTC+7 all year. */
const LOCAL_OFFSET_MS = 7 * 3_600_000

/**
 * The instant `days` days before today (local calendar) at `hour:minute` local time,
 * e.g. `localDaysAgo(12, 9, 30)` is 09:30 in Vietnam twelve days ago.
 */
export function localDaysAgo(days: number, hour: number, minute = 0, from: Date = now()): Date {
  const local = new Date(from.getTime() + LOCAL_OFFSET_MS)
  local.setUTCHours(hour, minute, 0, 0)
  return new Date(local.getTime() - days * 86_400_000 - LOCAL_OFFSET_MS)
}

/**
 * Runs `fn` with the clock at `at`; `step(minutes)` moves it on (a submission, then its
 * approval a little later). Back to real time afterwards, whatever happens.
 */
export async function happenedAt<T>(at: Date, fn: (step: (minutes: number) => void) => Promise<T>): Promise<T> {
  freezeClock(at)
  try {
    return await fn((minutes) => advanceClock(minutes * 60_000))
  } finally {
    resetClock()
  }
}
