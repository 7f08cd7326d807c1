/**
 * Passkeys through the routes, with a software authenticator written here (ES256, "none"
 * attestation, the bytes a platform authenticator would send): a partner adds a passkey,
 * signs in with it without an e-mail, the counter grows, a replayed answer and a cloned
 * authenticator (counter going back) are refused, another partner cannot remove it, a revoked
 * partner cannot use it, and removal is audited. The browser flow is test/e2e/partner-signin.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { partners } from '../../partners/partners.tables.ts'
import { passkeys } from './auth.tables.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})

const ORIGIN = 'http://donghanh.test'
const RP_ID = 'donghanh.test'
const b64u = (b: Uint8Array) => isoBase64URL.fromBuffer(new Uint8Array(b))
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest()

/** One discoverable ES256 credential on a software authenticator. */
class SoftKey {
  readonly id = randomBytes(16)
  private readonly key: KeyObject
  private readonly publicJwk: { x: string; y: string }
  counter = 0
  userHandle = ''
  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    this.key = privateKey
    this.publicJwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string }
  }

  /** The answer to registration options (what `startRegistration` returns). */
  register(options: { challenge: string; user: { id: string } }) {
    this.userHandle = options.user.id
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: ORIGIN }))
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, isoBase64URL.toBuffer(this.publicJwk.x)],
      [-3, isoBase64URL.toBuffer(this.publicJwk.y)],
    ])
    const credentialLength = Buffer.alloc(2)
    credentialLength.writeUInt16BE(this.id.length)
    const authData = Buffer.concat([
      sha256(RP_ID),
      Buffer.from([0x45]), // user present, user verified, attested credential data
      Buffer.alloc(4),
      Buffer.alloc(16), // AAGUID
      credentialLength,
      this.id,
      Buffer.from(isoCBOR.encode(cose)),
    ])
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]) as never,
    )
    return {
      id: b64u(this.id),
      rawId: b64u(this.id),
      type: 'public-key',
      clientExtensionResults: {},
      response: { clientDataJSON: b64u(clientDataJSON), attestationObject: b64u(attestationObject), transports: ['internal'] },
    }
  }

  /** The answer to authentication options (what `startAuthentication` returns). */
  authenticate(challenge: string, counter = ++this.counter) {
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: ORIGIN }))
    const count = Buffer.alloc(4)
    count.writeUInt32BE(counter)
    const authData = Buffer.concat([sha256(RP_ID), Buffer.from([0x05]), count])
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.key)
    return {
      id: b64u(this.id),
      rawId: b64u(this.id),
      type: 'public-key',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: this.userHandle,
      },
    }
  }
}

const json = (login: Login | null) => ({ ...(login?.headers ?? {}), accept: 'application/json' })

/** Anonymous JSON headers with a double-submit CSRF cookie. */
async function anonymous() {
  const res = await t.app.inject({ method: 'GET', url: '/doi-tac/dang-nhap' })
  const csrf = res.cookies.find((c) => c.name === 'dh_csrf')?.value as string
  return { cookie: `dh_csrf=${csrf}`, 'x-csrf-token': csrf, accept: 'application/json' }
}

async function addPasskey(login: Login, key: SoftKey, name = 'Điện thoại') {
  const options = await t.app.inject({ method: 'POST', url: '/doi-tac/bao-mat/passkey/tuy-chon', headers: json(login), payload: {} })
  expect(options.statusCode).toBe(200)
  const body = options.json()
  expect(body.rp.id).toBe(RP_ID)
  expect(body.authenticatorSelection.residentKey).toBe('required')
  return t.app.inject({
    method: 'POST',
    url: '/doi-tac/bao-mat/passkey',
    headers: json(login),
    payload: { name, response: key.register(body) },
  })
}

async function signInWith(key: SoftKey, o: { counter?: number; replay?: string } = {}) {
  const headers = await anonymous()
  const options = await t.app.inject({ method: 'POST', url: '/doi-tac/dang-nhap/passkey/tuy-chon', headers, payload: {} })
  expect(options.statusCode).toBe(200)
  const { challenge, allowCredentials } = options.json()
  // Usernameless: the options name no credential.
  expect(allowCredentials ?? []).toEqual([])
  const used = o.replay ?? challenge
  const res = await t.app.inject({
    method: 'POST',
    url: '/doi-tac/dang-nhap/passkey',
    headers,
    payload: { response: key.authenticate(used, o.counter) },
  })
  return { res, challenge }
}

describe('passkeys', () => {
  it('adds a passkey, signs in with it (no e-mail), raises the counter, refuses replays and clones', async () => {
    const { partner, login, user } = await makePartner(t)
    const key = new SoftKey()
    const added = await addPasskey(login, key, 'iPhone của Hoà')
    expect(added.statusCode).toBe(200)
    expect(added.json()).toEqual({ redirect: '/doi-tac/bao-mat?ok=passkey-added' })
    const [row] = await t.database.db.select().from(passkeys).where(eq(passkeys.userId, user.id))
    expect(row).toMatchObject({ name: 'iPhone của Hoà', counter: 0, credentialId: b64u(key.id) })
    const page = await t.app.inject({ method: 'GET', url: '/doi-tac/bao-mat', headers: { cookie: login.cookie } })
    expect(page.body).toContain('iPhone của Hoà')

    const first = await signInWith(key)
    expect(first.res.statusCode).toBe(200)
    expect(first.res.json()).toEqual({ redirect: '/doi-tac' })
    const cookie = first.res.cookies.find((c) => c.name === 'dh_sid')
    expect(cookie?.value).toBeTruthy()
    const mine = await t.app.inject({ method: 'GET', url: '/doi-tac/bao-mat', headers: { cookie: `dh_sid=${cookie?.value}` } })
    expect(mine.statusCode).toBe(200)
    const [used] = await t.database.db.select().from(passkeys).where(eq(passkeys.userId, user.id))
    expect(used?.counter).toBe(1)
    expect(used?.lastUsedAt).toBeInstanceOf(Date)
    const signedIn = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'portal.signed_in'), eq(auditEvents.subjectId, partner.id)))
    expect(signedIn.map((a) => a.summary.method)).toEqual(['passkey'])

    // The same challenge again: used up.
    const replay = await signInWith(key, { replay: first.challenge })
    expect(replay.res.statusCode).toBe(400)
    expect(replay.res.json().error.code).toBe('PORTAL_PASSKEY_CHALLENGE')
    // A clone whose counter went back: the signature is good but the counter is not.
    const clone = await signInWith(key, { counter: 1 })
    expect(clone.res.statusCode).toBe(400)
    expect(clone.res.json().error.code).toBe('PORTAL_PASSKEY_FAILED')
    // Signed by another key under this credential's id: refused.
    const impostor = new SoftKey()
    Object.assign(impostor, { id: key.id, userHandle: key.userHandle })
    const forged = await signInWith(impostor, { counter: 50 })
    expect(forged.res.statusCode).toBe(400)
    expect(forged.res.json().error.code).toBe('PORTAL_PASSKEY_FAILED')
  })

  it('refuses an answer to a challenge handed to someone else, and a made-up passkey name', async () => {
    const a = await makePartner(t)
    const b = await makePartner(t)
    const options = await t.app.inject({ method: 'POST', url: '/doi-tac/bao-mat/passkey/tuy-chon', headers: json(a.login), payload: {} })
    const res = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/bao-mat/passkey',
      headers: json(b.login),
      payload: { name: 'x', response: new SoftKey().register(options.json()) },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('PORTAL_PASSKEY_CHALLENGE')
    const unnamed = await addPasskey(a.login, new SoftKey(), '   ')
    expect(unnamed.statusCode).toBe(400)
    expect(unnamed.json().error.message.vi).toContain('tên')
  })

  it('lets only the owner remove a passkey (audited), and a removed passkey signs nobody in', async () => {
    const owner = await makePartner(t)
    const other = await makePartner(t)
    const key = new SoftKey()
    expect((await addPasskey(owner.login, key)).statusCode).toBe(200)
    const [row] = await t.database.db.select().from(passkeys).where(eq(passkeys.userId, owner.user.id))
    const url = `/doi-tac/bao-mat/passkey/${row?.id}/xoa`
    const refused = await t.app.inject({ method: 'POST', url, headers: other.login.headers, payload: {} })
    expect(refused.statusCode).toBe(404)
    expect(await t.database.db.select().from(passkeys).where(eq(passkeys.userId, owner.user.id))).toHaveLength(1)
    const removed = await t.app.inject({ method: 'POST', url, headers: owner.login.headers, payload: {} })
    expect(removed.statusCode).toBe(303)
    expect(removed.headers.location).toBe('/doi-tac/bao-mat?ok=passkey-removed')
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'portal.passkey_removed'), eq(auditEvents.subjectId, row?.id as string)))
    expect(audit).toHaveLength(1)
    const after = await signInWith(key)
    expect(after.res.statusCode).toBe(401)
    expect(after.res.json().error.code).toBe('PORTAL_PASSKEY_UNKNOWN')
  })

  it('refuses a revoked partner and a disabled account with a clear message; a suspended one signs in', async () => {
    const p = await makePartner(t)
    const key = new SoftKey()
    expect((await addPasskey(p.login, key)).statusCode).toBe(200)
    await t.database.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, p.partner.id))
    expect((await signInWith(key)).res.statusCode).toBe(200)
    await t.database.db.update(partners).set({ status: 'revoked' }).where(eq(partners.id, p.partner.id))
    const revoked = await signInWith(key)
    expect(revoked.res.statusCode).toBe(403)
    expect(revoked.res.json().error.code).toBe('PORTAL_PARTNER_REVOKED')
    expect(revoked.res.json().error.message.vi).toContain('thu hồi')
    expect(revoked.res.json().error.message.en).toContain('revoked')
    expect(revoked.res.cookies.find((c) => c.name === 'dh_sid')).toBeUndefined()
  })

  it('gives staff no passkeys here', async () => {
    const staff = await loginAs(t, await makeUser(t, { role: 'approver' }))
    const res = await t.app.inject({ method: 'POST', url: '/doi-tac/bao-mat/passkey/tuy-chon', headers: json(staff), payload: {} })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('PARTNER_REQUIRED')
  })
})
