/**
 * Partner sign-in routes: the link request and the link itself under /doi-tac/dang-nhap,
 * passkey sign-in under /doi-tac/dang-nhap/passkey, and /doi-tac/bao-mat (passkeys, sessions,
 * sign out). Each validates, authorises (route access; `requirePartner` for the partner's own
 * pages), calls one command and presents. Partners have no password: staff sign in at
 * /console/sign-in.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { and, asc, eq } from 'drizzle-orm'
import { withTransaction } from '../../../db/index.ts'
import { randomToken } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { createRateLimiter } from '../../../platform/http/rate-limit.ts'
import { runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { isStaffRole } from '../../../platform/policy/index.ts'
import { SESSION_COOKIE } from '../../accounts/accounts.routes.tsx'
import { listUserSessions } from '../../accounts/sessions.ts'
import type { User } from '../../accounts/users.ts'
import { requirePartner } from '../../partners/partners.actor.ts'
import { linkConfirmPage, securityPage, signInRequestPage } from './auth.pages.tsx'
import { passkeys } from './auth.tables.ts'
import { addPasskey, passkeyRegistrationOptions } from './commands/add-passkey.ts'
import { checkSignInLink, consumeSignInLink } from './commands/consume-sign-in-link.ts'
import { revokePartnerSession, signOutElsewhere, signOutPartner } from './commands/end-partner-sessions.ts'
import { removePasskey } from './commands/remove-passkey.ts'
import { requestSignInLink, signInLinkLimiters } from './commands/request-sign-in-link.ts'
import { passkeySignInOptions, signInWithPasskey } from './commands/sign-in-with-passkey.ts'
import { relyingParty } from './webauthn.ts'

/** The cookie holding this browser's sign-in nonce (its SHA-256 is stored with each link it asked for). */
export const LINK_NONCE_COOKIE = 'dh_link_nonce'
const NONCE_PATH = '/doi-tac/dang-nhap'
// A little longer than a link lives, refreshed at each request.
const NONCE_MAX_AGE_S = 20 * 60

const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(100)) }
const Hidden = { hide: true }
const EmailBody = Type.Object({ email: Str(254), ...Csrf })
const TokenQuery = Type.Object({ token: Type.Optional(Str(200)) })
const TokenBody = Type.Object({ token: Str(200), ...Csrf })
const NoticeQuery = Type.Object({ ok: Type.Optional(Str(40)), n: Type.Optional(Str(6)) })
// The browser's WebAuthn answer is checked by @simplewebauthn/server, not by the schema.
const WebAuthnAnswer = Type.Object(
  { id: Str(1024), response: Type.Object({ clientDataJSON: Str(4096) }, { additionalProperties: true }) },
  { additionalProperties: true },
)
const PasskeySignInBody = Type.Object({ response: WebAuthnAnswer })
const PasskeyAddBody = Type.Object({ name: Str(200), response: WebAuthnAnswer })
const IdParams = Type.Object({ id: Str(64) })
const RefParams = Type.Object({ ref: Str(64) })
const EmptyBody = Type.Optional(Type.Object(Csrf))

// Notices of /doi-tac/bao-mat after a redirect (?ok=…): only these keys are shown.
const NOTICES: Record<string, string> = {
  'passkey-added': 'portal.auth.passkeyAdded',
  'passkey-removed': 'portal.auth.passkeyRemoved',
  'session-ended': 'portal.auth.sessionEnded',
  elsewhere: 'portal.auth.signedOutElsewhere',
}

/** Registers the partner sign-in routes. */
export async function registerPortalAuthRoutes(app: TypedApp): Promise<void> {
  const { config, database, tenant } = app.ctx
  const limits = { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours }
  const secure = config.publicUrl.startsWith('https://')
  const limiters = signInLinkLimiters()
  // Each passkey sign-in attempt stores a challenge: anonymous callers get a bounded number.
  const passkeyLimiter = createRateLimiter({ name: 'portal-passkey-ip', capacity: 30, perMinute: 10 })
  const rp = () => relyingParty(config.publicUrl, `Đồng Hành · ${tenant.shortName}`)
  const r = (req: FastifyRequest, reply: FastifyReply) => ({ req, reply })
  const setSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure })
  /** This browser's nonce: kept if it has one, else a new one; refreshed either way. */
  const browserNonce = (req: FastifyRequest, reply: FastifyReply): string => {
    const existing = req.cookies[LINK_NONCE_COOKIE]
    const nonce = existing && /^[A-Za-z0-9_-]{40,64}$/.test(existing) ? existing : randomToken(32)
    reply.setCookie(LINK_NONCE_COOKIE, nonce, { path: NONCE_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: NONCE_MAX_AGE_S })
    return nonce
  }
  /** The signed-in partner's account and record (403 for staff or an account without a live record). */
  const partnerSession = async (req: FastifyRequest) => {
    const partner = await requirePartner(database.db, req.actor)
    const session = req.session
    if (!session) throw new AppError('UNAUTHENTICATED')
    return { partner, user: session.user as User, sessionId: session.id }
  }

  // --- the link request -----------------------------------------------------------------
  app.get('/doi-tac/dang-nhap', { config: { access: 'public' }, schema: { ...Hidden, querystring: NoticeQuery } }, async (req, reply) => {
    if (req.actor && !isStaffRole(req.actor.role)) return reply.redirect('/doi-tac', 303)
    const notice = req.query.ok === 'signed-out' ? 'portal.auth.signedOut' : undefined
    return signInRequestPage(r(req, reply), { staff: !!req.actor, notice })
  })
  app.post('/doi-tac/dang-nhap', { config: { access: 'public' }, schema: { ...Hidden, body: EmailBody } }, async (req, reply) => {
    const staff = !!req.actor && isStaffRole(req.actor.role)
    return runForm(
      reply,
      async () => {
        await requestSignInLink({
          database,
          tenantId: tenant.id,
          email: req.body.email,
          nonce: browserNonce(req, reply),
          ip: req.ip,
          publicUrl: config.publicUrl,
          limiters,
        })
        // The same page for every well-formed address; the address is not echoed back.
        return signInRequestPage(r(req, reply), { sent: true, staff })
      },
      (e) => signInRequestPage(r(req, reply), { error: e, email: req.body.email, staff }),
    )
  })

  // --- the link: GET shows a button (mail scanners prefetch GETs), POST uses it once ---------
  app.get(
    '/doi-tac/dang-nhap/lien-ket',
    { config: { access: 'public' }, schema: { ...Hidden, querystring: TokenQuery } },
    async (req, reply) => {
      const token = req.query.token ?? ''
      reply.header('referrer-policy', 'no-referrer')
      return runForm(
        reply,
        async () => {
          await checkSignInLink(database.db, { tenantId: tenant.id, token, nonce: req.cookies[LINK_NONCE_COOKIE] })
          return linkConfirmPage(r(req, reply), { token })
        },
        (e) => linkConfirmPage(r(req, reply), { token, error: e }),
      )
    },
  )
  app.post('/doi-tac/dang-nhap/lien-ket', { config: { access: 'public' }, schema: { ...Hidden, body: TokenBody } }, async (req, reply) => {
    const token = req.body.token
    return runForm(
      reply,
      async () => {
        const result = await consumeSignInLink({
          database,
          tenantId: tenant.id,
          token,
          nonce: req.cookies[LINK_NONCE_COOKIE],
          previousSessionId: req.session?.id,
          limits,
          ip: req.ip,
          userAgent: req.headers['user-agent'],
        })
        // The nonce cookie stays until it lapses: other links this browser asked for still work here.
        setSession(reply, result.token)
        return reply.redirect('/doi-tac', 303)
      },
      (e) => linkConfirmPage(r(req, reply), { token, error: e }),
    )
  })

  // --- passkey sign-in (JSON, from passkeys.js) ------------------------------------------
  app.post('/doi-tac/dang-nhap/passkey/tuy-chon', { config: { access: 'public' }, schema: { ...Hidden, body: EmptyBody } }, async (req) => {
    await passkeyLimiter.take(req.ip, now().getTime())
    return passkeySignInOptions(database, { tenantId: tenant.id, rp: rp() })
  })
  app.post(
    '/doi-tac/dang-nhap/passkey',
    { config: { access: 'public' }, schema: { ...Hidden, body: PasskeySignInBody } },
    async (req, reply) => {
      const result = await signInWithPasskey({
        database,
        tenantId: tenant.id,
        rp: rp(),
        response: req.body.response as never,
        previousSessionId: req.session?.id,
        limits,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      })
      setSession(reply, result.token)
      return { redirect: '/doi-tac' }
    },
  )

  // --- /doi-tac/bao-mat: passkeys and sessions -------------------------------------------
  app.get('/doi-tac/bao-mat', { config: { access: 'signed-in' }, schema: { ...Hidden, querystring: NoticeQuery } }, async (req, reply) => {
    const { partner, user, sessionId } = await partnerSession(req)
    const key = req.query.ok ? NOTICES[req.query.ok] : undefined
    const count = Number.parseInt(req.query.n ?? '0', 10) || 0
    return securityPage(r(req, reply), {
      partner,
      passkeys: await database.db
        .select()
        .from(passkeys)
        .where(and(eq(passkeys.tenantId, tenant.id), eq(passkeys.userId, user.id)))
        .orderBy(asc(passkeys.createdAt)),
      sessions: await listUserSessions(database.db, user.id),
      currentSessionId: sessionId,
      notice: key ? { key, params: { count } } : undefined,
    })
  })
  app.post(
    '/doi-tac/bao-mat/passkey/tuy-chon',
    { config: { access: 'signed-in' }, schema: { ...Hidden, body: EmptyBody } },
    async (req) => {
      const { user } = await partnerSession(req)
      return passkeyRegistrationOptions(database, { user, rp: rp() })
    },
  )
  app.post('/doi-tac/bao-mat/passkey', { config: { access: 'signed-in' }, schema: { ...Hidden, body: PasskeyAddBody } }, async (req) => {
    const { user } = await partnerSession(req)
    await addPasskey({ database, user, rp: rp(), name: req.body.name, response: req.body.response as never, ip: req.ip })
    return { redirect: '/doi-tac/bao-mat?ok=passkey-added' }
  })
  app.post(
    '/doi-tac/bao-mat/passkey/:id/xoa',
    { config: { access: 'signed-in' }, schema: { ...Hidden, params: IdParams, body: EmptyBody } },
    async (req, reply) => {
      const { user } = await partnerSession(req)
      await withTransaction(database.pool, (tx) => removePasskey({ tx, user, passkeyId: req.params.id, ip: req.ip }))
      return reply.redirect('/doi-tac/bao-mat?ok=passkey-removed', 303)
    },
  )
  app.post(
    '/doi-tac/bao-mat/phien/:ref/xoa',
    { config: { access: 'signed-in' }, schema: { ...Hidden, params: RefParams, body: EmptyBody } },
    async (req, reply) => {
      const { user, sessionId } = await partnerSession(req)
      await withTransaction(database.pool, (tx) => revokePartnerSession({ tx, user, sessionId, ref: req.params.ref, ip: req.ip }))
      return reply.redirect('/doi-tac/bao-mat?ok=session-ended', 303)
    },
  )
  app.post(
    '/doi-tac/bao-mat/dang-xuat-noi-khac',
    { config: { access: 'signed-in' }, schema: { ...Hidden, body: EmptyBody } },
    async (req, reply) => {
      const { user, sessionId } = await partnerSession(req)
      const ended = await withTransaction(database.pool, (tx) => signOutElsewhere({ tx, user, sessionId, ip: req.ip }))
      return reply.redirect(`/doi-tac/bao-mat?ok=elsewhere&n=${ended}`, 303)
    },
  )
  // Signing out asks for no partner record: a session is ended whatever became of the record.
  app.post('/doi-tac/bao-mat/dang-xuat', { config: { access: 'public' }, schema: { ...Hidden, body: EmptyBody } }, async (req, reply) => {
    const session = req.session
    if (session) await withTransaction(database.pool, (tx) => signOutPartner({ tx, user: session.user, sessionId: session.id, ip: req.ip }))
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.redirect('/doi-tac/dang-nhap?ok=signed-out', 303)
  })
}
