/**
 * Which IP addresses an outgoing request may reach. Server-side fetches (the desk's page
 * capture, coverage capture, partners' webhooks) take addresses from people outside the office;
 * without this guard a URL could make the server talk to itself, the local network or a cloud
 * metadata service. Private, loopback, link-local, shared, documentation, multicast and reserved
 * ranges are refused, IPv4-mapped and IPv4-compatible IPv6 forms by their IPv4 part.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP } from 'node:net'

/** Resolves a host name to all its addresses (as `dns.lookup` with `{ all: true }`). */
export type Resolve = (host: string) => Promise<LookupAddress[]>

/** The system resolver (what sockets use by default), every address, in the resolver's order. */
export const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  )

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  // The unspecified and loopback addresses and the deprecated IPv4-compatible range (::a.b.c.d
  // spelled in hex), none of which is a public destination.
  ['::', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6')

/** True when `address` (an IP literal) is not a public internet address; anything that is not an IP literal counts as private. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return blocked.check(address, 'ipv4')
  if (family === 6) {
    const lower = address.toLowerCase()
    // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms are judged by their IPv4 part.
    const mapped = /^(?:::ffff:|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4')
    // The hex spelling of a mapped address (::ffff:7f00:1, as WHATWG URL writes it) hides its
    // IPv4 part; no public service is reached that way, so it is refused outright.
    if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(lower)) return true
    return blocked.check(lower, 'ipv6')
  }
  return true
}
