/**
 * Local time of the province. Every time shown or typed in the product is Asia/Ho_Chi_Minh
 * wall time; instants are stored and compared as UTC (`timestamptz`), never as time strings.
 * Vietnam has had no daylight saving time since 1975, so the offset is always +07:00, which
 * is why a wall-clock value can be turned into an instant by appending the offset.
 */
import type { Locale } from './i18n/index.ts'

/** The time zone of the province: every time shown or typed is in it. */
export const LOCAL_ZONE = 'Asia/Ho_Chi_Minh'

/** Its UTC offset (constant: no daylight saving time). */
export const LOCAL_OFFSET = '+07:00'

const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * A date-time formatter in the local zone for the page's language (vi-VN or en-GB). Formatters
 * are cached: building an `Intl.DateTimeFormat` costs far more than formatting with one.
 */
export function localFormat(locale: Locale | 'en', options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`
  let f = formatters.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { ...options, timeZone: LOCAL_ZONE })
    formatters.set(key, f)
  }
  return f
}

const PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: LOCAL_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

function localParts(at: Date): Record<string, string> {
  return Object.fromEntries(PARTS.formatToParts(at).map((p) => [p.type, p.value]))
}

/** The local calendar year of an instant (`2026`), e.g. for ticket codes. */
export function localYear(at: Date): string {
  return localParts(at).year as string
}

/** An instant as a `datetime-local` value in local time (`2026-11-20T14:30`). */
export function localInputValue(at: Date): string {
  const p = localParts(at)
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

/** The local calendar day of an instant (`2026-11-20`), for grouping. */
export function localDay(at: Date): string {
  const p = localParts(at)
  return `${p.year}-${p.month}-${p.day}`
}

const LOCAL_INPUT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * A `datetime-local` value (`2026-11-20T14:30`) read as local wall time, returned as the UTC
 * instant (`2026-11-20T07:30:00Z`). Returns null for anything else (offsets, seconds, garbage
 * and impossible dates are refused).
 */
export function parseLocalDateTime(value: string | undefined | null): Date | null {
  if (!value) return null
  const m = LOCAL_INPUT_RE.exec(value.trim())
  if (!m) return null
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${LOCAL_OFFSET}`)
  if (Number.isNaN(at.getTime())) return null
  // Reject dates the Date constructor rolled over (2026-02-31 → March).
  if (localInputValue(at) !== `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`) return null
  return at
}

/**
 * A day key (`2026-11-20`) as the instant its local day starts (00:00 +07:00), or null for
 * anything else (impossible dates such as 2026-02-31 included).
 */
export function localDayStart(value: string | undefined | null): Date | null {
  if (!value || !DAY_RE.test(value)) return null
  const at = new Date(`${value}T00:00:00${LOCAL_OFFSET}`)
  if (Number.isNaN(at.getTime()) || localDay(at) !== value) return null
  return at
}

/** Midday of a local day key: an instant safely inside that day, for formatting the day. */
function localNoon(day: string): Date {
  return new Date(`${day}T12:00:00${LOCAL_OFFSET}`)
}

/** A day key (`2026-11-20`) as a heading: weekday and date in the page's language. */
export function formatDay(day: string, l: Locale): string {
  return localFormat(l, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(localNoon(day))
}

/** A day key as a short label: "16/11" (vi) or "16 Nov" (en). */
export function formatShortDay(day: string, l: Locale): string {
  return localFormat(l, { day: 'numeric', month: 'short' }).format(localNoon(day))
}
