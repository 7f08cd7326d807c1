/**
 * When a failed webhook delivery is tried again: exponential backoff with "equal jitter"
 * (half the step fixed, half random), so retries still spread out when a receiver that was down
 * for everyone comes back, yet each wait is at least half its step (never an immediate
 * hammering, as "full jitter" can give). Steps: 1 min × 2^(n-1), capped at 6 h; 12 attempts in
 * all, the last about 10–20 hours after the first.
 */

/** Attempts of one delivery, the first included. */
export const WEBHOOK_MAX_ATTEMPTS = 12
const BASE_MS = 60_000
const CAP_MS = 6 * 60 * 60_000

/**
 * Delay before the next attempt after attempt number `attempt` (1-based) failed; null when it
 * was the last. `random` is injectable for tests.
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`)
  if (attempt >= WEBHOOK_MAX_ATTEMPTS) return null
  const step = Math.min(CAP_MS, BASE_MS * 2 ** (attempt - 1))
  return Math.round(step / 2 + random() * (step / 2))
}

/**
 * A receiver's `Retry-After` (seconds or an HTTP date), honoured between our own step and a
 * cap of 6 h: a receiver may slow us down, not make us hammer it nor park a delivery for days.
 */
export function retryAfterMs(header: string | string[] | undefined, at: Date): number | undefined {
  const v = Array.isArray(header) ? header[0] : header
  if (!v) return undefined
  const seconds = /^\s*(\d{1,9})\s*$/.exec(v)
  const ms = seconds ? Number(seconds[1]) * 1000 : Date.parse(v) - at.getTime()
  if (!Number.isFinite(ms) || ms <= 0) return undefined
  return Math.min(ms, CAP_MS)
}
