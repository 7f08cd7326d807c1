/**
 * A small per-process token bucket for public endpoints (the free checking API). Each
 * process keeps its own buckets: with N processes the effective limit is N× — acceptable
 * for abuse control, not for billing.
 */
import { AppError } from '../errors.ts'

interface Bucket {
  tokens: number
  updated: number
}

/** A limiter: `capacity` requests, refilled at `perMinute` per minute, per key. */
export function createRateLimiter(o: { capacity: number; perMinute: number; maxKeys?: number }) {
  const buckets = new Map<string, Bucket>()
  const rate = o.perMinute / 60_000
  return {
    /** Takes one token for `key` or throws RATE_LIMITED (429, Retry-After). */
    take(key: string, at = Date.now()): void {
      let b = buckets.get(key)
      if (!b) {
        if (buckets.size >= (o.maxKeys ?? 50_000)) buckets.delete(buckets.keys().next().value as string)
        b = { tokens: o.capacity, updated: at }
        buckets.set(key, b)
      }
      b.tokens = Math.min(o.capacity, b.tokens + (at - b.updated) * rate)
      b.updated = at
      if (b.tokens < 1) {
        const seconds = Math.ceil((1 - b.tokens) / rate / 1000)
        throw new AppError('RATE_LIMITED', {}, { 'retry-after': String(seconds) })
      }
      b.tokens -= 1
    },
  }
}
