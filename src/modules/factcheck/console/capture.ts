/**
 * Captures a web page for the evidence locker: fetched server-side (node:http/https), http and
 * https only, 10 s overall, at most 5 MB (after decompression), redirects followed by hand (at
 * most 5) so each hop's address is checked. Private, loopback, link-local and other
 * non-public addresses are refused — except when the app runs with NODE_ENV=test, so tests can
 * capture from a local server. The page's text (HTML stripped) and its HTML are returned;
 * nothing is executed.
 *
 * The address is checked twice: by a look-up before the request (a clear early refusal), and
 * again at connect time by the socket's own `lookup`, which is the address the socket then
 * uses. A hostile DNS server that answers a public address first and a private one for the
 * connection (DNS rebinding) is therefore refused too.
 */
import type { LookupAddress } from 'node:dns'
import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { pipeline } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import { isPrivateAddress, type Resolve as SharedResolve, systemResolve } from '../../../platform/http/addresses.ts'
import { stripHtml } from '../../../text/normalize.ts'
import { DeskError } from './desk-kit.tsx'

// The address rule moved to the platform (webhooks and coverage use it too); re-exported for
// the desk's callers and tests.
export { isPrivateAddress }

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
  /** Name resolution, as `dns.lookup` with `{ all: true }` (tests simulate hostile DNS with it). */
  resolve?: Resolve
}

/** Resolves a host name to all its addresses. */
export type Resolve = SharedResolve

/** Thrown by the connect-time look-up when a name resolves to a non-public address. */
class PrivateAddressError extends Error {}

/** Refuses a URL that is not http(s) or whose host resolves to a non-public address. */
async function checkTarget(raw: string, o: CaptureOptions): Promise<URL> {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new DeskError('BAD_REQUEST', 'captureUrl', { url: raw.slice(0, 80) })
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new DeskError('BAD_REQUEST', 'captureUrl', { url: raw.slice(0, 80) })
  if (u.username || u.password) throw new DeskError('BAD_REQUEST', 'captureUrl', { url: u.host })
  if (o.allowPrivate) return u
  const host = u.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  try {
    addresses = isIP(host) ? [host] : (await (o.resolve ?? systemResolve)(host)).map((a) => a.address)
  } catch {
    throw new DeskError('BAD_REQUEST', 'captureFailed', { reason: 'DNS' })
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) throw new DeskError('BAD_REQUEST', 'capturePrivate', { host: u.hostname })
  return u
}

/**
 * The socket's look-up: resolves as `resolve` does and refuses a non-public answer, so the
 * address checked is the address connected to.
 */
function guardedLookup(resolve: Resolve, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0
        const usable = found.filter((a) => family === 0 || a.family === family)
        if (usable.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0)
        if (!allowPrivate && usable.some((a) => isPrivateAddress(a.address))) return callback(new PrivateAddressError(hostname), '', 0)
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable)
        const first = usable[0] as LookupAddress
        callback(null, first.address, first.family)
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    )
  }
}

/** One GET of `target` (no redirect followed); resolves with the response, headers read. */
function get(target: URL, o: CaptureOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const client = target.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const req = client.get(target, {
      signal,
      lookup: guardedLookup(o.resolve ?? systemResolve, o.allowPrivate),
      headers: {
        'user-agent': 'DongHanh-EvidenceCapture/1.0',
        accept: 'text/html,application/xhtml+xml,text/plain;q=0.8',
        'accept-encoding': 'gzip, deflate, br',
      },
    })
    req.once('response', resolve)
    req.once('error', reject)
  })
}

const TEXT_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain']

/**
 * Reads at most {@link CAPTURE_MAX_BYTES} of a body, decompressed as its Content-Encoding
 * says (the limit counts decompressed bytes, so a small compressed bomb is refused too).
 */
async function readCapped(res: IncomingMessage): Promise<Buffer> {
  const declared = Number(res.headers['content-length'] ?? '')
  const encoding = String(res.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase()
  if (encoding === 'identity' && Number.isFinite(declared) && declared > CAPTURE_MAX_BYTES) {
    res.destroy()
    throw new DeskError('PAYLOAD_TOO_LARGE', 'captureTooLarge', { mb: CAPTURE_MAX_BYTES / 1024 / 1024 })
  }
  const decoders: Record<string, () => NodeJS.ReadWriteStream> = {
    gzip: createGunzip,
    'x-gzip': createGunzip,
    deflate: createInflate,
    br: createBrotliDecompress,
  }
  if (encoding !== 'identity' && !decoders[encoding]) {
    res.destroy()
    throw new DeskError('BAD_REQUEST', 'captureFailed', { reason: `Content-Encoding ${encoding.slice(0, 20)}` })
  }
  let stream: NodeJS.ReadableStream = res
  if (encoding !== 'identity') {
    const decoder = (decoders[encoding] as () => NodeJS.ReadWriteStream)()
    // pipeline (not pipe): an error or abort of the response ends the decoder too.
    pipeline(res, decoder, () => undefined)
    stream = decoder
  }
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer
      size += b.length
      if (size > CAPTURE_MAX_BYTES) throw new DeskError('PAYLOAD_TOO_LARGE', 'captureTooLarge', { mb: CAPTURE_MAX_BYTES / 1024 / 1024 })
      chunks.push(b)
    }
  } catch (e) {
    res.destroy()
    throw e
  }
  return Buffer.concat(chunks)
}

/** Decodes bytes with the charset of the Content-Type header or a `<meta charset>`; UTF-8 otherwise. */
function decode(bytes: Buffer, contentType: string): string {
  const head = bytes.subarray(0, 4096).toString('latin1')
  const label =
    /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] ?? /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ?? 'utf-8'
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
  let target = await checkTarget(url.trim(), o)
  try {
    let res: IncomingMessage
    for (let hop = 0; ; hop++) {
      res = await get(target, o, signal)
      const status = res.statusCode ?? 0
      const location = res.headers.location
      if (status >= 300 && status < 400 && location) {
        res.destroy()
        if (hop >= MAX_REDIRECTS) throw new DeskError('BAD_REQUEST', 'captureFailed', { reason: 'redirects' })
        target = await checkTarget(new URL(location, target).toString(), o)
        continue
      }
      break
    }
    const status = res.statusCode ?? 0
    if (status < 200 || status >= 300) {
      res.destroy()
      throw new DeskError('BAD_REQUEST', 'captureFailed', { reason: `HTTP ${status}` })
    }
    const contentType = String(res.headers['content-type'] ?? '').toLowerCase()
    const mime = contentType.split(';', 1)[0]?.trim() ?? ''
    if (!TEXT_TYPES.includes(mime)) {
      res.destroy()
      throw new DeskError('UNSUPPORTED_MEDIA_TYPE', 'captureNotPage', { type: mime || '?' })
    }
    const body = decode(await readCapped(res), contentType)
    const isHtml = mime !== 'text/plain'
    const title = isHtml
      ? stripHtml(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1] ?? '')
          .replace(/\s+/g, ' ')
          .trim()
      : ''
    return { url, finalUrl: target.toString(), title, text: isHtml ? stripHtml(body) : body, html: isHtml ? body : null }
  } catch (e) {
    if (e instanceof DeskError) throw e
    if (e instanceof PrivateAddressError) throw new DeskError('BAD_REQUEST', 'capturePrivate', { host: target.hostname })
    const reason = signal.aborted || (e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError' ? 'timeout' : 'network'
    throw new DeskError('BAD_REQUEST', 'captureFailed', { reason })
  }
}
