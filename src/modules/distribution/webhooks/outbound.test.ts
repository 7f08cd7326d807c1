/**
 * Webhook sending against real HTTP receivers started here (node:http on 127.0.0.1): Standard
 * Webhooks signatures verified with the reference library (across a secret rotation), a
 * receiver that answers 500 then 200, one that hangs, one that is slow, one that streams 64 MB,
 * redirects, 410, 429; a peer that never answers the TLS handshake (the connect timer: the same
 * one that ends an unanswered SYN, which this sandbox's network cannot stage reliably); and the
 * SSRF guards (URL checks, private answers, DNS rebinding).
 */
import http, { type IncomingHttpHeaders, type Server } from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { advanceClock, resetClock } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { both } from '../../../platform/i18n/index.ts'
import type { DeliveryPayload } from '../distribution.types.ts'
import { postJson } from './outbound.ts'
import { retryAfterMs } from './retry.ts'
import { backoffDelayMs } from './retry.ts'
import {
  closeOutboundAgents,
  newWebhookSecret,
  retryDelayMs,
  sendWebhook,
  validateWebhookUrl,
  WEBHOOK_MAX_ATTEMPTS,
  type WebhookDelivery,
  type WebhookEndpoint,
} from './webhooks.ts'

const PUBLIC_URL = 'https://thongtin.example.vn'

/** A receiver: a handler, what it saw, and its connections. */
interface Receiver {
  server: Server
  port: number
  url: string
  seen: { headers: IncomingHttpHeaders; body: string; path: string }[]
  connections: number
}

const receivers: Receiver[] = []

async function receiver(handle: (req: http.IncomingMessage, res: http.ServerResponse, body: string, n: number) => void): Promise<Receiver> {
  const r = { seen: [], connections: 0 } as unknown as Receiver
  r.server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      r.seen.push({ headers: req.headers, body, path: req.url ?? '' })
      handle(req, res, body, r.seen.length)
    })
  })
  r.server.on('connection', () => {
    r.connections++
  })
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', () => resolve()))
  r.port = (r.server.address() as AddressInfo).port
  r.url = `http://127.0.0.1:${r.port}/hook`
  receivers.push(r)
  return r
}

afterEach(() => resetClock())
afterAll(async () => {
  closeOutboundAgents()
  for (const r of receivers) {
    r.server.closeAllConnections()
    await new Promise<void>((resolve) => r.server.close(() => resolve()))
  }
})

function delivery(over: Partial<DeliveryPayload> = {}, kind = 'publish'): WebhookDelivery {
  return {
    id: crypto.randomUUID(),
    kind,
    linkToken: 'AbCdEfGhIjKlMnOpQrStUv',
    createdAt: new Date('2025-06-01T03:00:00Z'),
    payload: {
      event: 'release.published',
      itemType: 'release',
      itemId: crypto.randomUUID(),
      title: 'Thông báo phân luồng giao thông dịp lễ',
      summary: 'Từ 30/4 đến 1/5, cấm xe tải trên Quốc lộ 1A đoạn qua thành phố.',
      body: 'Toàn văn thông báo.',
      source: { name: 'Công an tỉnh Thanh Hóa', url: 'https://congan.thanhhoa.gov.vn' },
      files: [{ id: 'f1', name: 'so-do.pdf', mime: 'application/pdf', bytes: 1234 }],
      ...over,
    },
  }
}

function endpoint(url: string, over: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return { id: crypto.randomUUID(), url, secret: newWebhookSecret(), previousSecret: null, previousSecretUntil: null, ...over }
}

/** Receivers are on loopback, so these options let private addresses through. */
const LOCAL = { allowPrivate: true, publicUrl: PUBLIC_URL }

// ---- Signatures -------------------------------------------------------------------------------

describe('Standard Webhooks signatures', () => {
  let verifying: Receiver
  let secrets: string[] = []
  const verified: string[] = []
  beforeAll(async () => {
    // Verifies with whichever secrets the test says the receiver holds; answers 401 otherwise.
    verifying = await receiver((req, res, body) => {
      for (const s of secrets) {
        try {
          new Webhook(s).verify(body, req.headers as Record<string, string>)
          verified.push(String(req.headers['webhook-id']))
          res.writeHead(204).end()
          return
        } catch {
          // try the next secret
        }
      }
      res.writeHead(401).end('bad signature')
    })
  })

  it('signs so the reference library verifies; body, ids and links are the recipient’s', async () => {
    const e = endpoint(verifying.url)
    secrets = [e.secret]
    const d = delivery()
    const out = await sendWebhook(d, e, LOCAL)
    expect(out).toMatchObject({ state: 'sent', status: 204, retryable: false })
    const seen = verifying.seen.at(-1)
    expect(seen?.headers['webhook-id']).toBe(`msg_${d.id}`)
    expect(verified).toContain(`msg_${d.id}`)
    const body = JSON.parse(seen?.body ?? '{}')
    expect(body.type).toBe('release.published')
    expect(body.timestamp).toBe('2025-06-01T03:00:00.000Z')
    expect(body.data).toMatchObject({
      deliveryId: d.id,
      kind: 'publish',
      url: `${PUBLIC_URL}/l/${d.linkToken}`,
      files: [{ name: 'so-do.pdf', url: `${PUBLIC_URL}/l/${d.linkToken}/tep/f1` }],
      officialNotice: 'Thông tin chính thức của Công an tỉnh Thanh Hóa; khi đăng lại phải ghi rõ nguồn.',
    })
    expect(seen?.headers.host).toBe(`127.0.0.1:${verifying.port}`)
    // A wrong secret does not verify: the receiver's check can fail.
    secrets = [newWebhookSecret()]
    expect(await sendWebhook(delivery(), e, LOCAL)).toMatchObject({ state: 'failed', status: 401, retryable: true })
  })

  it('the secret format is whsec_ + base64 of 32 bytes, new each time', () => {
    const a = newWebhookSecret()
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32)
    expect(newWebhookSecret()).not.toBe(a)
  })

  it('during a rotation both secrets verify; after the grace period only the new one', async () => {
    const oldSecret = newWebhookSecret()
    const e = endpoint(verifying.url, { previousSecret: oldSecret, previousSecretUntil: new Date(Date.now() + 24 * 3600_000) })
    // A receiver still on the old secret.
    secrets = [oldSecret]
    expect(await sendWebhook(delivery(), e, LOCAL)).toMatchObject({ state: 'sent' })
    // A receiver already on the new secret.
    secrets = [e.secret]
    expect(await sendWebhook(delivery(), e, LOCAL)).toMatchObject({ state: 'sent' })
    expect(String(verifying.seen.at(-1)?.headers['webhook-signature']).split(' ')).toHaveLength(2)
    // The grace period ends (our clock decides it).
    advanceClock(25 * 3600_000)
    secrets = [oldSecret]
    expect(await sendWebhook(delivery(), e, LOCAL)).toMatchObject({ state: 'failed', status: 401 })
    secrets = [e.secret]
    expect(await sendWebhook(delivery(), e, LOCAL)).toMatchObject({ state: 'sent' })
    expect(String(verifying.seen.at(-1)?.headers['webhook-signature']).split(' ')).toHaveLength(1)
  })

  it('an embargo carries its label and no public address; a kill notice says DO NOT USE', async () => {
    const e = endpoint(verifying.url)
    secrets = [e.secret]
    await sendWebhook(
      delivery({ event: 'release.embargoed', liftAt: '2025-06-02T01:00:00.000Z', publicUrl: 'https://x/tin/1' }, 'embargo'),
      e,
      LOCAL,
    )
    const embargo = JSON.parse(verifying.seen.at(-1)?.body ?? '{}').data
    expect(embargo.embargo.label).toContain('CẤM ĐĂNG TRƯỚC')
    expect(embargo.publicUrl).toBeUndefined()
    await sendWebhook(delivery({ event: 'release.withdrawn', reason: 'Sai số liệu' }, 'kill'), e, LOCAL)
    const kill = JSON.parse(verifying.seen.at(-1)?.body ?? '{}').data
    expect(kill.doNotUse).toEqual({ label: 'KHÔNG SỬ DỤNG / DO NOT USE', reason: 'Sai số liệu' })
  })
})

// ---- Receivers that misbehave -------------------------------------------------------------------

describe('receivers that fail, hang, stream or redirect', () => {
  it('500 then 200: the first attempt fails and is retried, the second is sent, same webhook-id and body', async () => {
    const flaky = await receiver((_req, res, _body, n) => res.writeHead(n === 1 ? 500 : 200).end('ok'))
    const e = endpoint(flaky.url)
    const d = delivery()
    const first = await sendWebhook(d, e, LOCAL)
    expect(first).toMatchObject({ state: 'failed', retryable: true, status: 500, error: 'HTTP 500' })
    const second = await sendWebhook(d, e, LOCAL)
    expect(second).toMatchObject({ state: 'sent', status: 200 })
    const [a, b] = flaky.seen
    expect(a?.headers['webhook-id']).toBe(`msg_${d.id}`)
    expect(b?.headers['webhook-id']).toBe(a?.headers['webhook-id'])
    expect(b?.body).toBe(a?.body)
    // Counted by idempotency key, the receiver has one delivery.
    expect(new Set(flaky.seen.map((s) => s.headers['webhook-id'])).size).toBe(1)
  })

  it('a receiver that never answers fails with "timeout", retryable, within the limit', async () => {
    const hanging = await receiver(() => undefined)
    const started = Date.now()
    const out = await sendWebhook(delivery(), endpoint(hanging.url), { ...LOCAL, totalTimeoutMs: 300 })
    expect(out).toMatchObject({ state: 'failed', retryable: true, error: 'timeout' })
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('a TLS peer that takes the connection but never completes the handshake fails on the connect timeout', async () => {
    const silent = net.createServer((socket) => {
      // Reads the ClientHello and never answers it.
      socket.resume()
      socket.on('error', () => undefined)
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()))
    try {
      const port = (silent.address() as AddressInfo).port
      const started = Date.now()
      const out = await sendWebhook(delivery(), endpoint(`https://127.0.0.1:${port}/hook`), {
        ...LOCAL,
        connectTimeoutMs: 300,
        totalTimeoutMs: 10_000,
      })
      expect(out).toMatchObject({ state: 'failed', retryable: true, error: 'timeout' })
      expect(Date.now() - started).toBeLessThan(3000)
      const err = await postJson(
        `https://127.0.0.1:${port}/hook`,
        '{}',
        {},
        { allowPrivate: true, connectTimeoutMs: 300, totalTimeoutMs: 10_000 },
      ).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toMatchObject({ reason: 'timeout', detail: 'connect' })
    } finally {
      silent.close()
    }
  })

  it('a slow answer (headers after the limit) is a timeout; a 2xx whose body trickles counts as sent', async () => {
    const slowHeaders = await receiver((_req, res) => setTimeout(() => res.writeHead(200).end(), 1500).unref())
    expect(await sendWebhook(delivery(), endpoint(slowHeaders.url), { ...LOCAL, totalTimeoutMs: 300 })).toMatchObject({
      state: 'failed',
      error: 'timeout',
    })
    const trickle = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      const timer = setInterval(() => res.write('.'), 50)
      res.on('close', () => clearInterval(timer))
    })
    const started = Date.now()
    expect(await sendWebhook(delivery(), endpoint(trickle.url), { ...LOCAL, totalTimeoutMs: 400 })).toMatchObject({
      state: 'sent',
      status: 200,
    })
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('a 64 MB body is not read: we stop after 64 KB and close the connection', async () => {
    const total = 64 * 1024 * 1024
    let written = 0
    let closedEarly = false
    const huge = await receiver((_req, res) => {
      // No Content-Length: the client only finds out by reading.
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      const chunk = Buffer.alloc(64 * 1024, 120)
      const pump = () => {
        while (written < total) {
          written += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end()
      }
      res.on('close', () => {
        closedEarly = written < total
      })
      pump()
    })
    const before = process.memoryUsage().rss
    const res = await postJson(huge.url, '{}', {}, { allowPrivate: true, totalTimeoutMs: 5000 })
    expect(res.status).toBe(200)
    expect(res.truncated).toBe(true)
    expect(res.body.length).toBeLessThanOrEqual(64 * 1024)
    await new Promise((r) => setTimeout(r, 100))
    expect(closedEarly).toBe(true)
    expect(written).toBeLessThan(16 * 1024 * 1024)
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024)
    // The same through sendWebhook: sent, quickly.
    expect(await sendWebhook(delivery(), endpoint(huge.url), LOCAL)).toMatchObject({ state: 'sent' })
  })

  it('redirects are never followed, to a private address or a public one', async () => {
    const target = await receiver((_req, res) => res.writeHead(200).end())
    const toPrivate = await receiver((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${target.port}/internal` }).end())
    const toMeta = await receiver((_req, res) => res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end())
    const toPublic = await receiver((_req, res) => res.writeHead(301, { location: 'https://example.com/new-hook' }).end())
    const a = await sendWebhook(delivery(), endpoint(toPrivate.url), LOCAL)
    expect(a).toMatchObject({
      state: 'failed',
      status: 302,
      retryable: true,
      error: `HTTP 302: redirect to 127.0.0.1:${target.port} not followed`,
    })
    expect(await sendWebhook(delivery(), endpoint(toMeta.url), LOCAL)).toMatchObject({
      state: 'failed',
      status: 307,
      error: 'HTTP 307: redirect to 169.254.169.254 not followed',
    })
    expect(await sendWebhook(delivery(), endpoint(toPublic.url), LOCAL)).toMatchObject({
      state: 'failed',
      status: 301,
      error: 'HTTP 301: redirect to example.com not followed',
    })
    expect(target.seen).toHaveLength(0)
  })

  it('410 is gone for good; 429 is retried after its Retry-After; other 4xx retried; refused connections retried', async () => {
    const gone = await receiver((_req, res) => res.writeHead(410).end())
    expect(await sendWebhook(delivery(), endpoint(gone.url), LOCAL)).toMatchObject({
      state: 'failed',
      status: 410,
      gone: true,
      retryable: false,
    })
    const busy = await receiver((_req, res) => res.writeHead(429, { 'retry-after': '120' }).end())
    expect(await sendWebhook(delivery(), endpoint(busy.url), LOCAL)).toMatchObject({
      state: 'failed',
      status: 429,
      retryable: true,
      retryAfterMs: 120_000,
    })
    const notFound = await receiver((_req, res) => res.writeHead(404).end())
    expect(await sendWebhook(delivery(), endpoint(notFound.url), LOCAL)).toMatchObject({ state: 'failed', status: 404, retryable: true })
    // A port nobody listens on (a receiver that was just closed).
    const closed = await receiver(() => undefined)
    closed.server.close()
    await new Promise((r) => setTimeout(r, 50))
    expect(await sendWebhook(delivery(), endpoint(closed.url), LOCAL)).toMatchObject({
      state: 'failed',
      retryable: true,
      error: 'connection refused',
    })
  })

  it('keeps connections alive: 200 deliveries to one receiver over a bounded handful of connections', async () => {
    const fast = await receiver((_req, res) => res.writeHead(204).end())
    const e = endpoint(fast.url)
    const outcomes = []
    for (let batch = 0; batch < 10; batch++)
      outcomes.push(...(await Promise.all(Array.from({ length: 20 }, () => sendWebhook(delivery(), e, LOCAL)))))
    expect(outcomes.every((o) => o.state === 'sent')).toBe(true)
    expect(fast.seen).toHaveLength(200)
    expect(fast.connections).toBeLessThanOrEqual(32)
  })
})

// ---- SSRF ------------------------------------------------------------------------------------

describe('SSRF: webhook URLs and the addresses they reach', () => {
  const PUBLIC = { address: '93.184.216.34', family: 4 }
  const publicDns = async () => [PUBLIC]
  const strict = { allowPrivate: false, resolve: publicDns }

  async function refusal(raw: string, o: Parameters<typeof validateWebhookUrl>[1] = strict): Promise<string> {
    try {
      await validateWebhookUrl(raw, o)
    } catch (e) {
      if (e instanceof AppError) return e.code
      throw e
    }
    return 'accepted'
  }

  it('refuses what is not a plain http(s) URL', async () => {
    for (const bad of [
      'ftp://files.example.com/hook',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'gopher://example.com/',
      `https://example.com/${'a'.repeat(10 * 1024)}`,
      'https://user:pass@example.com/hook',
      'https://user@example.com/hook',
      'https://example.com/hook#frag',
      'not a url',
      '',
      '   ',
    ])
      expect(await refusal(bad), bad).toBe('DISTRIBUTION_WEBHOOK_URL_INVALID')
  })

  it('refuses private, loopback, link-local and reserved addresses, however they are written', async () => {
    for (const bad of [
      'http://127.0.0.1/hook',
      'http://127.1/hook',
      'http://10.0.0.1/hook',
      'http://172.16.5.4/hook',
      'http://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0:8080/',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::ffff:a9fe:a9fe]/hook',
      'http://[fe80::1]/hook',
      'http://[fc00::1]/hook',
      'http://2130706433/hook',
      'http://0177.0.0.1/hook',
      'http://0x7f.0.0.1/hook',
      'http://100.64.0.1/hook',
    ])
      expect(await refusal(bad), bad).toBe('DISTRIBUTION_WEBHOOK_PRIVATE')
  })

  it('refuses a name that resolves to a private address, or to a mix of public and private', async () => {
    expect(
      await refusal('https://hooks.evil.example/x', { allowPrivate: false, resolve: async () => [{ address: '10.1.2.3', family: 4 }] }),
    ).toBe('DISTRIBUTION_WEBHOOK_PRIVATE')
    expect(
      await refusal('https://hooks.evil.example/x', {
        allowPrivate: false,
        resolve: async () => [PUBLIC, { address: '169.254.169.254', family: 4 }],
      }),
    ).toBe('DISTRIBUTION_WEBHOOK_PRIVATE')
    expect(await refusal('https://nowhere.invalid/x', { allowPrivate: false, resolve: async () => [] })).toBe(
      'DISTRIBUTION_WEBHOOK_URL_INVALID',
    )
  })

  it('accepts a public URL and returns it normalised; allowPrivate lets loopback through', async () => {
    expect(await validateWebhookUrl('  HTTPS://Hooks.Example.COM/tin?x=1  ', strict)).toBe('https://hooks.example.com/tin?x=1')
    expect(await validateWebhookUrl('http://127.0.0.1:9/hook', { allowPrivate: true })).toBe('http://127.0.0.1:9/hook')
  })

  it('messages are bilingual', () => {
    for (const code of ['DISTRIBUTION_WEBHOOK_URL_INVALID', 'DISTRIBUTION_WEBHOOK_PRIVATE']) {
      const m = both(`errors.${code}`, { url: 'x', host: 'y' })
      expect(m.vi).not.toBe(`errors.${code}`)
      expect(m.en).not.toBe(m.vi)
    }
  })

  it('at send time, a private answer is refused and nothing is sent; the endpoint is final', async () => {
    const hit = await receiver((_req, res) => res.writeHead(200).end())
    let asked = 0
    const out = await sendWebhook(delivery(), endpoint(`http://hook.partner.example:${hit.port}/x`), {
      allowPrivate: false,
      publicUrl: PUBLIC_URL,
      resolve: async () => {
        asked++
        return [{ address: '127.0.0.1', family: 4 }]
      },
    })
    expect(out).toMatchObject({ state: 'failed', retryable: false, error: 'address not allowed' })
    expect(asked).toBe(1)
    expect(hit.seen).toHaveLength(0)
    // IP literals too, without any look-up.
    expect(await sendWebhook(delivery(), endpoint(hit.url), { allowPrivate: false, publicUrl: PUBLIC_URL })).toMatchObject({
      error: 'address not allowed',
    })
    expect(hit.seen).toHaveLength(0)
  })

  it('DNS rebinding: the name is resolved once per send and the socket connects to that answer', async () => {
    const hit = await receiver((_req, res) => res.writeHead(200).end())
    // The first answer is the receiver; any later question would get an unroutable address
    // (and the system resolver does not know the name at all). Private addresses are allowed
    // here only because the receiver runs on loopback: the point is the single resolution.
    const answers = ['127.0.0.1', '10.255.255.1']
    let asked = 0
    const resolve = async () => [{ address: answers[Math.min(asked++, 1)] as string, family: 4 }]
    const out = await sendWebhook(delivery(), endpoint(`http://rebind.partner.example:${hit.port}/x`), {
      allowPrivate: true,
      publicUrl: PUBLIC_URL,
      resolve,
      connectTimeoutMs: 500,
    })
    expect(out).toMatchObject({ state: 'sent', status: 200 })
    expect(asked).toBe(1)
    // The Host header stays the name the partner gave.
    expect(hit.seen[0]?.headers.host).toBe(`rebind.partner.example:${hit.port}`)
    // Public at validation, private at send: the send's own single resolution refuses it.
    let phase = 0
    const rebinding = async () => [phase++ === 0 ? PUBLIC : { address: '127.0.0.1', family: 4 }]
    const url = await validateWebhookUrl(`http://rebind2.partner.example:${hit.port}/x`, { allowPrivate: false, resolve: rebinding })
    const sent = await sendWebhook(delivery(), endpoint(url), { allowPrivate: false, publicUrl: PUBLIC_URL, resolve: rebinding })
    expect(sent).toMatchObject({ state: 'failed', error: 'address not allowed' })
    expect(phase).toBe(2)
    expect(hit.seen).toHaveLength(1)
  })
})

// ---- Retry timing ------------------------------------------------------------------------------

describe('retry timing', () => {
  it('exponential backoff with equal jitter, capped at 6 h, none after the last attempt', () => {
    expect(backoffDelayMs(1, () => 0)).toBe(30_000)
    expect(backoffDelayMs(1, () => 1)).toBe(60_000)
    expect(backoffDelayMs(4, () => 0)).toBe(4 * 60_000)
    expect(backoffDelayMs(11, () => 1)).toBe(6 * 3600_000)
    expect(backoffDelayMs(11, () => 0)).toBe(3 * 3600_000)
    for (let n = 1; n < WEBHOOK_MAX_ATTEMPTS; n++) {
      const d = retryDelayMs(n)
      expect(d).not.toBeNull()
      expect(d as number).toBeGreaterThanOrEqual(Math.min(6 * 3600_000, 60_000 * 2 ** (n - 1)) / 2)
    }
    expect(retryDelayMs(WEBHOOK_MAX_ATTEMPTS)).toBeNull()
    expect(() => retryDelayMs(0)).toThrow(RangeError)
    // The whole schedule spans most of a day at most.
    let worst = 0
    for (let n = 1; n < WEBHOOK_MAX_ATTEMPTS; n++) worst += backoffDelayMs(n, () => 1) as number
    expect(worst).toBeGreaterThan(12 * 3600_000)
    expect(worst).toBeLessThan(24 * 3600_000)
  })

  it('Retry-After in seconds or as a date, capped', () => {
    const at = new Date('2025-06-01T00:00:00Z')
    expect(retryAfterMs('30', at)).toBe(30_000)
    expect(retryAfterMs('Sun, 01 Jun 2025 00:02:00 GMT', at)).toBe(120_000)
    expect(retryAfterMs('9999999', at)).toBe(6 * 3600_000)
    expect(retryAfterMs('soon', at)).toBeUndefined()
    expect(retryAfterMs(undefined, at)).toBeUndefined()
  })
})
