/**
 * Who the client is (TRUST_PROXY). Served directly, a client that writes a new X-Forwarded-For
 * on every request is still one address: its sign-in failures lock it, its rumour submissions
 * run out. Behind a configured proxy (an address list or a hop count), the address the proxy
 * forwards is the client, and a spoofed entry left of the trusted hops is ignored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, form, makeUser, mergeCookies, type TestApp } from '../../../test/support/app.ts'
import { loadConfig, parseTrustProxy } from '../../config.ts'
import { freezeClock, resetClock } from '../clock.ts'

/** An app whose test route echoes what the app takes for the client. */
async function appWith(env: Record<string, string>): Promise<TestApp> {
  const t = await createTestApp(env, (app) => {
    app.get('/test/client', { config: { access: 'public' } }, async (req) => ({ ip: req.ip, protocol: req.protocol }))
  })
  await makeUser(t, { role: 'admin' })
  return t
}

let fake = 0
/** A new made-up address each call, as an attacker would send. */
const fakeIp = () => `198.18.${Math.floor(++fake / 250)}.${(fake % 250) + 1}`

async function client(t: TestApp, headers: Record<string, string>, remoteAddress = '127.0.0.1') {
  return (await t.app.inject({ url: '/test/client', headers, remoteAddress })).json() as { ip: string; protocol: string }
}

/** 25 failed sign-ins, each with a new e-mail and a new X-Forwarded-For; the status codes. */
async function signInTries(t: TestApp, forwarded: (i: number) => string, remoteAddress = '127.0.0.1'): Promise<number[]> {
  const codes: number[] = []
  for (let i = 0; i < 25; i++) {
    const headers = { 'x-forwarded-for': forwarded(i) }
    const page = await t.app.inject({ url: '/console/sign-in', headers, remoteAddress })
    const cookie = mergeCookies('', page)
    const f = form({ _csrf: csrfFrom(page.body), email: `nobody${i}.${fake}@example.vn`, password: 'wrong-password-123' })
    const res = await t.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      payload: f.payload,
      headers: { ...f.headers, ...headers, cookie },
      remoteAddress,
    })
    codes.push(res.statusCode)
  }
  return codes
}

/** 25 rumour submissions through the API, each with its own text; the status codes. */
async function submissions(t: TestApp, forwarded: (i: number) => string, remoteAddress = '127.0.0.1'): Promise<number[]> {
  const codes: number[] = []
  for (let i = 0; i < 25; i++) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      payload: { text: `Nghe nói có tin đồn số ${i} về phường ${fake} ở Thanh Hóa` },
      headers: { 'x-forwarded-for': forwarded(i) },
      remoteAddress,
    })
    codes.push(res.statusCode)
  }
  return codes
}

const accepted = (codes: number[]) => codes.filter((c) => c === 200 || c === 201).length

afterEach(() => resetClock())

describe('TRUST_PROXY setting', () => {
  it('trusts nobody by default; takes a hop count or a list of addresses; refuses true and typos', () => {
    expect(loadConfig({}).trustProxy).toBe(false)
    expect(parseTrustProxy('')).toBe(false)
    expect(parseTrustProxy('0')).toBe(false)
    expect(parseTrustProxy('none')).toBe(false)
    expect(parseTrustProxy('2')).toBe(2)
    expect(parseTrustProxy('127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback')).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ])
    expect(() => parseTrustProxy('true')).toThrow(/TRUST_PROXY=true/)
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/Invalid TRUST_PROXY entry/)
    expect(() => parseTrustProxy('proxy.local')).toThrow(/Invalid TRUST_PROXY entry/)
  })
})

describe('served directly (TRUST_PROXY unset)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await appWith({})
  })
  afterAll(async () => {
    await t.close()
  })

  it('takes the socket address, whatever X-Forwarded-For and X-Forwarded-Proto say', async () => {
    expect(await client(t, { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' }, '192.0.2.10')).toEqual({
      ip: '192.0.2.10',
      protocol: 'http',
    })
  })

  it('locks sign-in for the address after 20 failures, though each try forwards a new address', async () => {
    freezeClock(new Date())
    const codes = await signInTries(t, () => fakeIp())
    // 20 failures per address, then a doubling delay (the clock stands still here).
    expect(codes).toEqual([...Array(20).fill(401), ...Array(5).fill(429)])
  })

  it('limits rumour submissions for the address, though each forwards a new address', async () => {
    const codes = await submissions(t, () => fakeIp(), '192.0.2.20')
    // 10 at once per address (one more token every 6 s, so a slow run may see one or two more).
    expect(accepted(codes)).toBeGreaterThanOrEqual(10)
    expect(accepted(codes)).toBeLessThanOrEqual(12)
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(13)
  })
})

describe('behind a proxy at a configured address (TRUST_PROXY=127.0.0.1)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await appWith({ TRUST_PROXY: '127.0.0.1' })
  })
  afterAll(async () => {
    await t.close()
  })

  it('takes the forwarded client from the proxy, the rightmost untrusted entry, and the forwarded scheme', async () => {
    expect(await client(t, { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' })).toEqual({
      ip: '203.0.113.9',
      protocol: 'https',
    })
    // The client wrote its own "X-Forwarded-For: 1.2.3.4"; the proxy appended the real peer.
    expect((await client(t, { 'x-forwarded-for': '1.2.3.4, 203.0.113.9' })).ip).toBe('203.0.113.9')
    // A peer that is not the proxy is believed in nothing it forwards.
    expect(await client(t, { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' }, '192.0.2.30')).toEqual({
      ip: '192.0.2.30',
      protocol: 'http',
    })
  })

  it('counts sign-in failures per forwarded client: 25 different clients lock nobody', async () => {
    freezeClock(new Date())
    const codes = await signInTries(t, () => fakeIp())
    expect(codes.filter((c) => c === 429)).toEqual([])
  })

  it('locks the forwarded client however it varies the spoofed entries left of it', async () => {
    freezeClock(new Date())
    const codes = await signInTries(t, () => `${fakeIp()}, 203.0.113.50`)
    expect(codes).toEqual([...Array(20).fill(401), ...Array(5).fill(429)])
  })

  it('limits rumour submissions per forwarded client, not per spoofed entry', async () => {
    const spoofing = await submissions(t, () => `${fakeIp()}, 203.0.113.60`)
    expect(accepted(spoofing)).toBeLessThanOrEqual(12)
    // Other clients behind the same proxy are not held back by it.
    const others = await submissions(t, () => fakeIp())
    expect(accepted(others)).toBe(25)
  })
})

describe('behind one proxy hop (TRUST_PROXY=1)', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await appWith({ TRUST_PROXY: '1' })
  })
  afterAll(async () => {
    await t.close()
  })

  it('believes the nearest hop only: the address it forwards, not the client-written ones', async () => {
    expect(await client(t, { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' }, '10.0.0.5')).toEqual({
      ip: '203.0.113.9',
      protocol: 'https',
    })
    expect((await client(t, { 'x-forwarded-for': '1.2.3.4, 5.6.7.8, 203.0.113.9' }, '10.0.0.5')).ip).toBe('203.0.113.9')
    const spoofing = await submissions(t, () => `${fakeIp()}, 203.0.113.70`, '10.0.0.5')
    expect(accepted(spoofing)).toBeLessThanOrEqual(12)
  })
})
