/**
 * NUL characters (U+0000, `%00`) in a URL or a body are a clear 400 (NUL_BYTE) in Vietnamese
 * and English on every route, instead of the database's 500; the texts "%00" and "\0" as
 * characters (not NUL) still work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, form, makeUser, mergeCookies, type TestApp } from '../../../test/support/app.ts'
import { t as tr } from '../i18n/index.ts'
import { containsNul, urlHasNul } from './nul-bytes.ts'

let t: TestApp

beforeAll(async () => {
  t = await createTestApp()
  await makeUser(t, { role: 'admin' })
})
afterAll(async () => {
  await t.close()
})

/** Expects the NUL_BYTE refusal: 400, both languages (JSON for the API, a page otherwise). */
function expectRefused(res: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string): void {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBe(400)
  if (String(res.headers['content-type']).includes('json')) {
    expect(JSON.parse(res.body).error.code, what).toBe('NUL_BYTE')
  }
  expect(res.body, what).toContain(tr('vi', 'errors.NUL_BYTE').slice(0, 30))
  expect(res.body, what).toContain(tr('en', 'errors.NUL_BYTE').slice(0, 30))
}

describe('NUL bytes at the boundary', () => {
  it('refuses %00 in the path or the query of any route, matched or not', async () => {
    for (const url of [
      '/tin/%00',
      '/tin/a%00b',
      '/api/v1/releases/%00',
      '/kiem-chung/%00',
      '/kiem-chung/phieu/%00',
      '/tim-kiem?q=a%00b',
      '/tim-kiem?q=a%00',
      '/xac-minh?ma=%00',
      '/api/v1/releases?q=%00',
      '/console/sign-in?next=%2F%00',
      '/khong-co/%00',
    ]) {
      expectRefused(await t.app.inject({ url }), url)
    }
  })

  it('refuses a NUL in a claim (form and API), the verify form and a sign-in form', async () => {
    const desk = await t.app.inject({ url: '/kiem-chung' })
    const cookie = mergeCookies('', desk)
    const claim = form({ _csrf: csrfFrom(desk.body), text: 'Nghe nói có tin đồn\u0000 ở phường Hạc Thành' })
    expectRefused(
      await t.app.inject({ method: 'POST', url: '/kiem-chung', payload: claim.payload, headers: { ...claim.headers, cookie } }),
      'claim form',
    )

    const boundary = '----nul'
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfFrom(desk.body)}\r\n--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\nTin đồn có ký tự \u0000 rỗng ở Sầm Sơn\r\n--${boundary}--\r\n`
    expectRefused(
      await t.app.inject({
        method: 'POST',
        url: '/kiem-chung',
        payload: multipart,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie },
      }),
      'claim form, multipart',
    )

    expectRefused(
      await t.app.inject({ method: 'POST', url: '/api/v1/claims', payload: { text: 'Tin đồn về \u0000 phường Hạc Thành' } }),
      'claims API',
    )
    expectRefused(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/claims',
        payload: { text: 'Tin đồn về phường Hạc Thành', links: ['https://example.vn/\u0000'] },
      }),
      'claims API, link',
    )

    const verify = form({ input: 'Công an tỉnh Thanh Hóa thông báo\u0000' })
    expectRefused(await t.app.inject({ method: 'POST', url: '/xac-minh', payload: verify.payload, headers: verify.headers }), 'verify form')

    const page = await t.app.inject({ url: '/console/sign-in' })
    const signIn = form({ _csrf: csrfFrom(page.body), email: 'a\u0000@example.vn', password: 'x' })
    expectRefused(
      await t.app.inject({
        method: 'POST',
        url: '/console/sign-in',
        payload: signIn.payload,
        headers: { ...signIn.headers, cookie: mergeCookies('', page) },
      }),
      'sign-in form',
    )
  })

  it('lets the characters "%00" and "\\0" through as text', async () => {
    expect((await t.app.inject({ url: '/tim-kiem?q=a%2500b' })).statusCode).toBe(200)
    const verify = form({ input: 'Mã %00 và \\0 trong văn bản' })
    expect((await t.app.inject({ method: 'POST', url: '/xac-minh', payload: verify.payload, headers: verify.headers })).statusCode).toBe(
      200,
    )
  })

  it('finds a NUL in values and keys at any depth, in no other character', () => {
    expect(urlHasNul('/a%00')).toBe(true)
    expect(urlHasNul('/a?b=%2500')).toBe(false)
    expect(containsNul({ a: [{ b: 'x\u0000' }] })).toBe(true)
    expect(containsNul({ 'k\u0000': 'v' })).toBe(true)
    expect(containsNul({ a: ['\u0001', 'x', 1, null, true] })).toBe(false)
    expect(containsNul(Buffer.from([0, 0]))).toBe(false)
  })
})
