/**
 * Helpers of the desk's route tests: form and multipart posts with a login, the claim id of a
 * redirect, a real 1×1 PNG, and a staff entry.
 */
import { deflateSync } from 'node:zlib'
import type { LightMyRequestResponse } from 'fastify'
import type { Login, TestApp } from '../../../../test/support/app.ts'

/** URL-encodes fields; array values repeat the field. */
export function encode(fields: Record<string, string | string[]>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) p.append(k, one)
  return p.toString()
}

/** POSTs a form as `login` (CSRF in the header, as htmx and the tests send it). */
export function postForm(
  t: TestApp,
  login: Login,
  url: string,
  fields: Record<string, string | string[]> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...login.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: encode(fields),
  })
}

/** GETs a page as `login`. */
export function getPage(t: TestApp, login: Login, url: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url, headers: { ...login.headers, accept: 'text/html' } })
}

/** The claim id of a redirect to a claim page. */
export function claimIdOf(res: LightMyRequestResponse): string {
  const m = /^\/console\/kiem-chung\/([0-9a-f-]{36})/.exec(String(res.headers.location ?? ''))
  if (!m?.[1]) throw new Error(`not a redirect to a claim: ${res.statusCode} ${res.headers.location ?? res.body.slice(0, 300)}`)
  return m[1]
}

/** Enters a claim as staff; returns the claim id. */
export async function staffEntry(t: TestApp, login: Login, text: string, links = ''): Promise<string> {
  const res = await postForm(t, login, '/console/kiem-chung', { text, links, seenWhere: 'Nhóm Zalo khu phố' })
  if (res.statusCode !== 303) throw new Error(`staff entry refused: ${res.statusCode} ${res.body.slice(0, 500)}`)
  return claimIdOf(res)
}

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs). */
export function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (buf: Buffer) => {
    let c = 0xffffffff
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([len, body, sum])
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])),
    chunk('IDAT', deflateSync(Buffer.from([0, 0xd7, 0x1f, 0x1f]))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** POSTs a multipart form with text fields and one file. */
export function postMultipart(
  t: TestApp,
  login: Login,
  url: string,
  fields: Record<string, string>,
  file: { name: string; type: string; data: Buffer },
): Promise<LightMyRequestResponse> {
  const boundary = `----desk${Math.random().toString(16).slice(2)}`
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
  )
  parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`))
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...login.headers, 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
    payload: Buffer.concat(parts),
  })
}
