/** Checks shared by the recognition commands: the year, the points, the written reason. */
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { localYear } from '../../../../platform/time.ts'
import { normalizeText } from '../../../../text/normalize.ts'

/** Shortest and longest written reason (the partner reads it). */
export const REASON_MIN = 10
export const REASON_MAX = 2000
/** Bounds of one adjustment's points (never 0). */
export const POINTS_MAX = 100

/** The current local year. */
export function currentYear(): number {
  return Number(localYear(now()))
}

/** A year typed or passed: an integer from 2000 up to the current year; else RECOGNITION_INVALID. */
export function checkYear(value: unknown): number {
  const s = String(value ?? '').trim()
  const y = /^\d{4}$/.test(s) ? Number(s) : Number.NaN
  if (!Number.isInteger(y) || y < 2000 || y > currentYear()) throw new AppError('RECOGNITION_INVALID', { reason: 'năm / year' })
  return y
}

/** The points of an adjustment: an integer in −100…100, not 0; else RECOGNITION_INVALID. */
export function checkPoints(value: unknown): number {
  const s = String(value ?? '')
    .trim()
    .replace(/^\+/, '')
    .replace(/\u2212/g, '-')
  const n = /^-?\d{1,4}$/.test(s) ? Number(s) : Number.NaN
  if (!Number.isInteger(n) || n === 0 || Math.abs(n) > POINTS_MAX) throw new AppError('RECOGNITION_INVALID', { reason: 'điểm / points' })
  return n
}

/** A written reason, normalised (NFC, spaces): 10–2000 characters; else RECOGNITION_REASON_REQUIRED (never cut short). */
export function checkReason(value: unknown): string {
  const r = normalizeText(typeof value === 'string' ? value : '')
  if ([...r].length < REASON_MIN || [...r].length > REASON_MAX) {
    throw new AppError('RECOGNITION_REASON_REQUIRED', { min: REASON_MIN, max: REASON_MAX })
  }
  return r
}
