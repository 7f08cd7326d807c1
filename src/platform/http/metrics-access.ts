/**
 * Who may read /metrics. The figures (scheduled lifts, queue sizes, route use) are for the
 * operators, not the public: a scraper on the machine itself (loopback) or one that presents
 * `Authorization: Bearer <METRICS_TOKEN>`.
 */
import type { FastifyRequest } from 'fastify'
import { isIP } from 'node:net'
import { safeEqual } from '../auth/secrets.ts'

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.x.x). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  if (isIP(v4) === 4) return v4.startsWith('127.')
  return address === '::1'
}

/**
 * True when `req` may read the metrics: it carries the token, or it comes straight from this
 * machine: a loopback peer, and no forwarding header. A reverse proxy on the same machine
 * connects from 127.0.0.1 too, but it adds X-Forwarded-For (or Forwarded) for the client it
 * relays, trusted or not (TRUST_PROXY), so a request relayed from outside is refused even when
 * the proxy is not configured as trusted. Forwarded headers can only close access, never open it.
 */
export function metricsAllowed(req: FastifyRequest, token: string | undefined): boolean {
  const auth = req.headers.authorization
  if (token && typeof auth === 'string' && /^bearer /i.test(auth) && safeEqual(auth.slice(7).trim(), token)) return true
  const relayed = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined
  return !relayed && isLoopback(req.socket.remoteAddress) && isLoopback(req.ip)
}
