/**
 * Token buckets for public endpoints (the free checking API, the claim form). A limiter is
 * named; its buckets live in one place per server, so the limit a reader meets is the limit
 * written here whatever the number of processes:
 *
 * - one process (`serve` with WEB_CONCURRENCY=1, tests): in the process;
 * - a supervisor with N web processes (serve.ts): in the supervisor, which the web processes
 *   ask over the cluster's IPC channel ({@link answerRateLimits}). If the supervisor does not
 *   answer within a second, the web process falls back to its own buckets for that request —
 *   still a limit, never none.
 */
import cluster from 'node:cluster'
import { isSupervisedWebProcess } from '../../config.ts'
import { AppError } from '../errors.ts'

interface Bucket {
  tokens: number
  updated: number
}

/** A limiter's settings: `capacity` requests at once, refilled at `perMinute` per minute, per key. */
export interface RateLimitOptions {
  /** Unique among the app's limiters (the supervisor keeps buckets by name). */
  name: string
  capacity: number
  perMinute: number
  /** Keys kept at most (the oldest go first; default 50,000). */
  maxKeys?: number
}

/** Buckets of one limiter, in this process. */
class Buckets {
  private readonly buckets = new Map<string, Bucket>()
  constructor(private readonly o: RateLimitOptions) {}

  /** Takes one token for `key`: 0 when granted, else the seconds to wait. */
  take(key: string, at: number): number {
    const rate = this.o.perMinute / 60_000
    let b = this.buckets.get(key)
    if (!b) {
      if (this.buckets.size >= (this.o.maxKeys ?? 50_000)) this.buckets.delete(this.buckets.keys().next().value as string)
      b = { tokens: this.o.capacity, updated: at }
      this.buckets.set(key, b)
    }
    b.tokens = Math.min(this.o.capacity, b.tokens + (at - b.updated) * rate)
    b.updated = at
    if (b.tokens < 1) return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000))
    b.tokens -= 1
    return 0
  }
}

/** The IPC messages between web processes and their supervisor. */
interface RateAsk {
  type: 'donghanh:rate-limit'
  id: number
  options: RateLimitOptions
  key: string
}
interface RateAnswer {
  type: 'donghanh:rate-limit'
  id: number
  retryAfter: number
}

const ASK_TIMEOUT_MS = 1000

let nextId = 1
const pending = new Map<number, (retryAfter: number) => void>()
let listening = false

/** Asks the supervisor; resolves with its answer, or null when it does not answer in time. */
function ask(options: RateLimitOptions, key: string): Promise<number | null> {
  if (!listening) {
    listening = true
    process.on('message', (m: RateAnswer) => {
      if (m?.type !== 'donghanh:rate-limit') return
      pending.get(m.id)?.(m.retryAfter)
      pending.delete(m.id)
    })
  }
  const id = nextId++
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id)
      resolve(null)
    }, ASK_TIMEOUT_MS)
    pending.set(id, (retryAfter) => {
      clearTimeout(timer)
      resolve(retryAfter)
    })
    const message: RateAsk = { type: 'donghanh:rate-limit', id, options, key }
    const fail = (): void => {
      clearTimeout(timer)
      pending.delete(id)
      resolve(null)
    }
    try {
      // With a callback, a closed channel reports here instead of as an 'error' event.
      process.send?.(message, undefined, undefined, (err: Error | null) => {
        if (err) fail()
      })
    } catch {
      fail()
    }
  })
}

/** True in a supervisor's web process (buckets then live in the supervisor). */
function sharedBySupervisor(): boolean {
  return cluster.isWorker && isSupervisedWebProcess() && typeof process.send === 'function'
}

/** A named limiter; `take` throws RATE_LIMITED (429 with Retry-After) when the key has no token left. */
export function createRateLimiter(o: RateLimitOptions) {
  const local = new Buckets(o)
  const options = { name: o.name, capacity: o.capacity, perMinute: o.perMinute, maxKeys: o.maxKeys }
  const refuse = (retryAfter: number): void => {
    if (retryAfter > 0) throw new AppError('RATE_LIMITED', {}, { 'retry-after': String(retryAfter) })
  }
  return {
    /** Takes one token for `key` or throws RATE_LIMITED. */
    async take(key: string, at = Date.now()): Promise<void> {
      if (sharedBySupervisor()) {
        const answer = await ask(options, key)
        if (answer !== null) return refuse(answer)
      }
      refuse(local.take(key, at))
    },
  }
}

/** The supervisor's buckets, by limiter name. */
const supervisorBuckets = new Map<string, Buckets>()

/**
 * The supervisor's side: answers its web processes' asks from buckets kept here (one set per
 * limiter name). Call once per web process started.
 */
export function answerRateLimits(worker: {
  on(event: 'message', fn: (m: RateAsk) => void): unknown
  send(m: RateAnswer): unknown
  isConnected(): boolean
}): void {
  worker.on('message', (m: RateAsk) => {
    if (m?.type !== 'donghanh:rate-limit' || typeof m.key !== 'string' || typeof m.options?.name !== 'string') return
    let buckets = supervisorBuckets.get(m.options.name)
    if (!buckets) {
      buckets = new Buckets(m.options)
      supervisorBuckets.set(m.options.name, buckets)
    }
    const retryAfter = buckets.take(m.key, Date.now())
    if (worker.isConnected()) worker.send({ type: 'donghanh:rate-limit', id: m.id, retryAfter })
  })
}
