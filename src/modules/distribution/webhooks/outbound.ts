/**
 * The outgoing HTTP client of webhooks: one POST to a URL a partner gave us, guarded.
 *
 * - The host is resolved ONCE (system resolver, or the caller's `resolve`), every address is
 *   checked (src/platform/http/addresses.ts), and the socket connects to that very address:
 *   the request's `host` is the IP literal, so Node never asks DNS again, while the Host header
 *   and the TLS server name (SNI and certificate check) stay the original name. A hostile DNS
 *   server that answers a public address first and a private one a moment later (rebinding)
 *   gains nothing: there is no second question.
 * - Time limits on the connection and on the whole exchange; a receiver that hangs fails with
 *   'timeout'.
 * - At most {@link MAX_RESPONSE_BYTES} of the answer are read, then the socket is destroyed: the
 *   status code is what counts, a huge body is never read.
 * - Redirects are never followed (a webhook URL that redirects is a configuration error, and a
 *   redirect could point anywhere, a private address included).
 * - Keep-alive agents per pinned (protocol, address, port, server name), at most
 *   {@link MAX_AGENTS} of them (least recently used closed first), each with a bounded pool, so
 *   thousands of deliveries to one receiver reuse a few connections.
 */
import type { LookupAddress } from 'node:dns'
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import { isPrivateAddress, systemResolve } from '../../../platform/http/addresses.ts'

/** Connection limit (TCP and TLS handshakes) of one attempt. */
export const CONNECT_TIMEOUT_MS = 5_000
/** Limit of one attempt, from resolution to the end of what is read of the answer. */
export const TOTAL_TIMEOUT_MS = 10_000
/** The most of an answer read; the rest is dropped with the connection. */
export const MAX_RESPONSE_BYTES = 64 * 1024
/** Sockets per pinned destination. */
const MAX_SOCKETS_PER_DESTINATION = 32
/** Pinned destinations kept with their idle connections. */
const MAX_AGENTS = 256

/** Options of one outgoing request. */
export interface OutboundRequestOptions {
  /** Let private, loopback and link-local addresses through (config OUTBOUND_ALLOW_PRIVATE; tests). */
  allowPrivate: boolean
  /** Name resolution, as `dns.lookup` with `{ all: true }` (tests: hostile DNS). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>
  /** Overrides {@link CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number
  /** Overrides {@link TOTAL_TIMEOUT_MS}. */
  totalTimeoutMs?: number
}

/** What the receiver answered. */
export interface OutboundResponse {
  status: number
  headers: IncomingHttpHeaders
  /** At most {@link MAX_RESPONSE_BYTES} of the body. */
  body: Buffer
  /** True when the body was longer and reading stopped. */
  truncated: boolean
  /** The address connected to. */
  address: string
  durationMs: number
}

/** Why an attempt failed before an answer (short, shown to staff and to the endpoint's owner). */
export type OutboundFailure =
  | 'address not allowed'
  | 'invalid URL'
  | 'DNS failure'
  | 'timeout'
  | 'connection refused'
  | 'connection reset'
  | 'TLS error'
  | 'network error'

/** An attempt that got no answer; `reason` is one of {@link OutboundFailure}, `detail` the system code. */
export class OutboundError extends Error {
  constructor(
    readonly reason: OutboundFailure,
    readonly detail = '',
    readonly durationMs = 0,
  ) {
    super(detail ? `${reason} (${detail})` : reason)
    this.name = 'OutboundError'
  }
}

/** A host name resolved and checked once: the address to connect to. */
export interface PinnedHost {
  address: string
  family: 4 | 6
}

/**
 * Resolves `hostname` once and checks every answer: one non-public address among them refuses
 * the whole name (an attacker's name can mix a public and a private answer). IP literals are
 * checked as they are.
 */
export async function resolvePinned(hostname: string, o: Pick<OutboundRequestOptions, 'allowPrivate' | 'resolve'>): Promise<PinnedHost> {
  const host = hostname.replace(/^\[|\]$/g, '')
  let found: LookupAddress[]
  if (isIP(host)) found = [{ address: host, family: isIP(host) }]
  else {
    try {
      found = (await (o.resolve ?? systemResolve)(host)).map((a) => ({ address: a.address, family: a.family }))
    } catch (e) {
      throw new OutboundError('DNS failure', (e as NodeJS.ErrnoException).code ?? '')
    }
  }
  const usable = found.filter((a) => isIP(a.address) !== 0)
  const first = usable[0]
  if (!first) throw new OutboundError('DNS failure', 'no address')
  if (!o.allowPrivate && usable.some((a) => isPrivateAddress(a.address))) throw new OutboundError('address not allowed', host)
  return { address: first.address, family: isIP(first.address) === 6 ? 6 : 4 }
}

// Insertion order of a Map is its recency order here: a used agent is moved to the end.
const agents = new Map<string, http.Agent>()

function agentFor(protocol: 'http:' | 'https:', pinned: PinnedHost, port: number, servername: string): http.Agent {
  const key = `${protocol}//${pinned.address}:${port}/${protocol === 'https:' ? servername : ''}`
  const existing = agents.get(key)
  if (existing) {
    agents.delete(key)
    agents.set(key, existing)
    return existing
  }
  const opts: http.AgentOptions = {
    keepAlive: true,
    maxSockets: MAX_SOCKETS_PER_DESTINATION,
    maxFreeSockets: MAX_SOCKETS_PER_DESTINATION,
    // Idle keep-alive sockets are closed after this (Node destroys a free socket on timeout).
    timeout: 30_000,
    scheduling: 'lifo',
  }
  const agent = protocol === 'https:' ? new https.Agent(opts) : new http.Agent(opts)
  agents.set(key, agent)
  while (agents.size > MAX_AGENTS) {
    const [oldestKey, oldest] = agents.entries().next().value as [string, http.Agent]
    agents.delete(oldestKey)
    oldest.destroy()
  }
  return agent
}

/** Closes every kept connection (process shutdown, tests). */
export function closeOutboundAgents(): void {
  for (const agent of agents.values()) agent.destroy()
  agents.clear()
}

function failureOf(e: unknown): OutboundError {
  if (e instanceof OutboundError) return e
  const code = (e as NodeJS.ErrnoException).code ?? ''
  if (code === 'ECONNREFUSED') return new OutboundError('connection refused', code)
  if (code === 'ECONNRESET' || code === 'EPIPE') return new OutboundError('connection reset', code)
  if (code === 'ETIMEDOUT') return new OutboundError('timeout', code)
  if (code.startsWith('ERR_TLS') || code.startsWith('CERT_') || code.includes('CERT') || code.startsWith('ERR_SSL'))
    return new OutboundError('TLS error', code)
  return new OutboundError('network error', code || (e as Error).message?.slice(0, 80) || '')
}

/**
 * POSTs `body` to `url` under the guards above. Resolves with the answer (any status: the
 * caller decides what it means); rejects with an {@link OutboundError} when there was none.
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  o: OutboundRequestOptions,
): Promise<OutboundResponse> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  let target: URL
  try {
    target = new URL(url)
  } catch {
    throw new OutboundError('invalid URL')
  }
  if ((target.protocol !== 'http:' && target.protocol !== 'https:') || target.username || target.password)
    throw new OutboundError('invalid URL')
  const totalMs = o.totalTimeoutMs ?? TOTAL_TIMEOUT_MS
  const connectMs = o.connectTimeoutMs ?? CONNECT_TIMEOUT_MS
  const pinned = await withDeadline(resolvePinned(target.hostname, o), totalMs).catch((e: unknown) => {
    throw failureOf(e)
  })
  const protocol = target.protocol
  const port = Number(target.port) || (protocol === 'https:' ? 443 : 80)
  const servername = target.hostname.replace(/^\[|\]$/g, '')
  const payload = Buffer.from(body, 'utf8')
  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false
    let connectTimer: NodeJS.Timeout | undefined
    let answered: IncomingMessage | undefined
    const finish = (err: OutboundError | null, res?: OutboundResponse) => {
      if (settled) return
      settled = true
      clearTimeout(totalTimer)
      clearTimeout(connectTimer)
      if (err) reject(new OutboundError(err.reason, err.detail, elapsed()))
      else resolve(res as OutboundResponse)
    }
    const options: https.RequestOptions = {
      // The pinned address: Node connects to it without any look-up.
      host: pinned.address,
      family: pinned.family,
      port,
      method: 'POST',
      path: `${target.pathname}${target.search}`,
      agent: agentFor(protocol, pinned, port, servername),
      headers: {
        ...headers,
        host: target.host,
        'content-type': 'application/json',
        'content-length': String(payload.length),
        'user-agent': 'DongHanh-Webhooks/1.0',
      },
    }
    // SNI and the certificate's name are the URL's host, not the pinned address (SNI must not be an IP).
    if (protocol === 'https:' && !isIP(servername)) options.servername = servername
    const req = (protocol === 'https:' ? https : http).request(options)
    const totalTimer = setTimeout(() => {
      // A status line that arrived in time decides, even if its body is still trickling in.
      if (answered) finish(null, answerOf(answered, Buffer.alloc(0), true))
      else finish(new OutboundError('timeout'))
      req.destroy()
    }, totalMs)
    req.once('socket', (socket) => {
      // A reused keep-alive socket is connected already; only a new one has a handshake to wait for.
      if (!socket.connecting) return
      connectTimer = setTimeout(() => {
        finish(new OutboundError('timeout', 'connect'))
        req.destroy()
      }, connectMs)
      socket.once(protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer))
    })
    req.once('error', (e) => finish(failureOf(e)))
    const answerOf = (res: IncomingMessage, bytes: Buffer, truncated: boolean): OutboundResponse => ({
      status: res.statusCode ?? 0,
      headers: res.headers,
      body: bytes,
      truncated,
      address: pinned.address,
      durationMs: elapsed(),
    })
    req.once('response', (res: IncomingMessage) => {
      answered = res
      readCapped(res).then(
        ({ bytes, truncated }) => finish(null, answerOf(res, bytes, truncated)),
        // The status line arrived: a body that breaks off later still leaves the status.
        () => finish(null, answerOf(res, Buffer.alloc(0), true)),
      )
    })
    req.end(payload)
  })
}

/**
 * Reads at most {@link MAX_RESPONSE_BYTES}; past that, destroys the response (and its socket),
 * so a receiver streaming gigabytes costs us 64 KB of memory. A body read to its end leaves
 * the socket to the keep-alive pool.
 */
function readCapped(res: IncomingMessage): Promise<{ bytes: Buffer; truncated: boolean }> {
  const status = res.statusCode ?? 0
  // Redirects and errors: their bodies are not worth a byte; the socket goes.
  if (status < 200 || status >= 300) {
    res.destroy()
    return Promise.resolve({ bytes: Buffer.alloc(0), truncated: true })
  }
  const declared = Number(res.headers['content-length'] ?? '')
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
    res.destroy()
    return Promise.resolve({ bytes: Buffer.alloc(0), truncated: true })
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    res.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_RESPONSE_BYTES) {
        res.destroy()
        resolve({ bytes: Buffer.concat(chunks), truncated: true })
        return
      }
      chunks.push(chunk)
    })
    res.once('end', () => resolve({ bytes: Buffer.concat(chunks), truncated: false }))
    res.once('error', reject)
    res.once('aborted', () => reject(new Error('aborted')))
  })
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OutboundError('timeout', 'DNS')), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
