/**
 * Who counts as the client: Fastify's `trustProxy` option from the TRUST_PROXY setting
 * (config.ts). `req.ip`, `req.ips` and `req.protocol` then follow X-Forwarded-For/-Proto only
 * as far as the configured proxies vouch for them; every per-IP limit (sign-in attempts, claim
 * submissions, the checking API) and the audit log read `req.ip`, so they all share this one
 * notion of the client's address. (The fast path of cached pages does not use the address.)
 */
import type { Config } from '../../config.ts'

/** What Fastify's `trustProxy` option accepts and we use. */
export type TrustProxyOption = false | string[] | ((address: string, hop: number) => boolean)

/**
 * Fastify's `trustProxy` for the setting: false (nobody: `req.ip` is the socket's peer), the
 * list of proxy addresses/CIDRs as is, or for a hop count N a function believing the N nearest
 * hops whatever their address. Fastify 5.12 ignores a bare number (it trusts nobody then), so
 * the count is turned into the function proxy-addr and Express use for it.
 */
export function trustProxyOption(setting: Config['trustProxy']): TrustProxyOption {
  if (setting === false) return false
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting
  return setting
}
