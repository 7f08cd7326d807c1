/**
 * Captures a web page for the evidence locker: fetched server-side (Node `fetch`), http and
 * https only, 10 s overall, at most 5 MB, redirects followed by hand (at most 5) so each hop's
 * address is checked. Private, loopback, link-local and other non-public addresses are
 * refused — except when the app runs with NODE_ENV=test, so tests can capture from a local
 * server. The page's text (HTML stripped) and its HTML are returned; nothing is executed.
 *
 * Limit: the address is checked by a DNS lookup before the request and `fetch` resolves the
 * name again, so a hostile DNS server could answer differently the second time (rebinding).
 * Closing that fully needs a connect-time check (an undici dispatcher), not available without
 * adding a dependency.
 */
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { stripHtml } from '../../../text/normalize.ts'
import { DeskError } from './desk-kit.tsx'

/** Longest time a capture may take, redirects included. */
export const CAPTURE_TIMEOUT_MS = 10_000
/** Largest page captured. */
export const CAPTURE_MAX_BYTES = 5 * 1024 * 1024
const MAX_REDIRECTS = 5

/** A captured page. */
export interface CapturedPage {
  /** The URL asked for. */
  url: string
  /** The URL the content came from (after redirects). */
  finalUrl: string
  /** The page's `<title>`, if any. */
  title: string
  /** Readable text (HTML stripped). */
  text: string
  /** The HTML as received, or null for a plain-text page. */
  html: string | null
}

/** Options of {@link capturePage}. */
export interface CaptureOptions {
  /** Allow private and loopback addresses (tests only). */
  allowPrivate: boolean
  /** Overrides the timeout (tests). */
  timeoutMs?: number
}

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
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6')

/** True when `address` (an IP literal) is not a public internet address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 4) return blocked.check(address, 'ipv4')
  if (family === 6) {
    const lower = address.toLowerCase()
    // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms are judged by their IPv4 part.
    const mapped = /^(?:::ffff:|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4')
    if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(lower)) return true
    return blocked.check(lower, 'ipv6')
  }
  return true
}

/** Refuses a URL that is not http(s) or whose host resolves to a non-public address. */
async function checkTarget(raw: string, allowPrivate: boolean): Promise<URL> {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new DeskError('BAD_REQUEST', 'captureUrl', { url: raw.slice(0, 80) })
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new DeskError('BAD_REQUEST', 'captureUrl', { url: raw.slice(0, 80) })
  if (u.username || u.password) throw new DeskError('BAD_REQUEST', 'captureUrl', { url: u.host })
  if (allowPrivate) return u
  const host = u.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address)
  } catch {
    throw new DeskError('BAD_REQUEST', 'captureFailed', { reason: 'DNS' })
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new DeskError('BAD_REQUEST', 'capturePrivate', { host: u.hostname })
  return u
}

const TEXT_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain']

/** Reads at most {@link CAPTURE_MAX_BYTES} of a body; refuses a larger one. */
async function readCapped(res: Response): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? '')
  if (Number.isFinite(declared) && declared > CAPTURE_MAX_BYTES) throw new DeskError('PAYLOAD_TOO_LARGE', 'captureTooLarge', { mb: CAPTURE_MAX_BYTES / 1024 / 1024 })
  if (!res.body) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let size = 0
  const reader = res.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > CAPTURE_MAX_BYTES) {
      await reader.cancel()
      throw new DeskError('PAYLOAD_TOO_LARGE', 'captureTooLarge', { mb: CAPTURE_MAX_BYTES / 1024 / 1024 })
    }
    chunks.push(Buffer.from(value))
  }
  return Buffer.concat(chunks)
}

/** Decodes bytes with the charset of the Content-Type header or a `<meta charset>`; UTF-8 otherwise. */
function decode(bytes: Buffer, contentType: string): string {
  const head = bytes.subarray(0, 4096).toString('latin1')
  const label =
    /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
    'utf-8'
  try {
    return new TextDecoder(label.toLowerCase()).decode(bytes)
  } catch {
    return new TextDecoder('utf-8').decode(bytes)
  }
}

/**
 * Fetches `url` and returns its text and HTML. Throws a {@link DeskError} with a clear reason
 * when the address is refused, the site cannot be reached, the content is not a web page or
 * it is too large; the staff member can then paste the page instead.
 */
export async function capturePage(url: string, o: CaptureOptions): Promise<CapturedPage> {
  const signal = AbortSignal.timeout(o.timeoutMs ?? CAPTURE_TIMEOUT_MS)
  let target = await checkTarget(url.trim(), o.allowPrivate)
  let res: Response | undefined
  try {
    for (let hop = 0; ; hop++) {
      res = await fetch(target, {
        redirect: 'manual',
        signal,
        headers: { 'user-agent': 'DongHanh-EvidenceCapture/1.0', accept: 'text/html,application/xhtml+xml,text/plain;q=0.8' },
      })
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel()
        if (hop >= MAX_REDIRECTS) throw new DeskError('BAD_REQUEST', 'captureFailed', { reason: 'redirects' })
        target = await checkTarget(new URL(res.headers.get('location') as string, target).toString(), o.allowPrivate)
        continue
      }
      break
    }
    if (!res.ok) {
      await res.body?.cancel()
      throw new DeskError('BAD_REQUEST', 'captureFailed', { reason: `HTTP ${res.status}` })
    }
    const contentType = (res.headers.get('content-type') ?? '').toLowerCase()
    const mime = contentType.split(';', 1)[0]?.trim() ?? ''
    if (!TEXT_TYPES.includes(mime)) {
      await res.body?.cancel()
      throw new DeskError('UNSUPPORTED_MEDIA_TYPE', 'captureNotPage', { type: mime || '?' })
    }
    const body = decode(await readCapped(res), contentType)
    const isHtml = mime !== 'text/plain'
    const title = isHtml ? stripHtml(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1] ?? '').replace(/\s+/g, ' ').trim() : ''
    return { url, finalUrl: target.toString(), title, text: isHtml ? stripHtml(body) : body, html: isHtml ? body : null }
  } catch (e) {
    if (e instanceof DeskError) throw e
    const reason = (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError' ? 'timeout' : 'network'
    throw new DeskError('BAD_REQUEST', 'captureFailed', { reason })
  }
}
