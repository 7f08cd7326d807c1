/**
 * Routes of the accounts module. Each validates, authorises (route `access` + policy),
 * calls one command and presents the result. Forms re-render with the error on refusal.
 */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import QRCode from 'qrcode'
import { withTransaction } from '../../db/index.ts'
import { totpUri } from '../../platform/auth/secrets.ts'
import { now } from '../../platform/clock.ts'
import { AppError, isAppError } from '../../platform/errors.ts'
import { applyTenant } from '../../platform/tenancy/index.ts'
import { runForm } from '../../platform/html/forms.tsx'
import { authorize } from '../../platform/policy/index.ts'
import {
  acceptInvitePage,
  accountPage,
  badLinkPage,
  enrolPage,
  forgotPage,
  recoveryCodesPage,
  resetPage,
  setupDonePage,
  setupPage,
  signInPage,
  usersPage,
  verifyPage,
} from './accounts.pages.tsx'
import type { TypedApp } from '../../platform/modules.ts'
import { acceptInvite } from './commands/accept-invite.ts'
import { changePassword } from './commands/change-password.ts'
import { changeUserRole } from './commands/change-user-role.ts'
import { IdentityBody, identityFromBody } from '../settings/settings.routes.tsx'
import { completeSetup } from './commands/complete-setup.ts'
import { confirmTotpEnrolment, startTotpEnrolment } from './commands/enrol-totp.ts'
import { inviteUser } from './commands/invite-user.ts'
import { requestPasswordReset } from './commands/request-password-reset.ts'
import { resetPassword } from './commands/reset-password.ts'
import { setUserStatus } from './commands/set-user-status.ts'
import { signIn } from './commands/sign-in.ts'
import { withAttemptLimit } from './attempts.ts'
import { revokeSession, signOut } from './commands/sign-out.ts'
import { verifySecondFactor } from './commands/verify-second-factor.ts'
import { listUserSessions, loadSession } from './sessions.ts'
import { checkRecoveryDownload, recoveryCodesText, signRecoveryDownload } from './recovery-codes-file.ts'
import { peekToken } from './tokens.ts'
import { auditActor, findUser, hasActiveAdmin, listUsers, type User } from './users.ts'

export const SESSION_COOKIE = 'dh_sid'

const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(100)) }
const Hidden = { hide: true }

const SetupBody = Type.Object({
  token: Str(100),
  name: Str(200),
  email: Str(254),
  password: Str(256),
  passwordConfirm: Str(256),
  ...IdentityBody,
  spName: Type.Optional(Str(400)),
  spTitle: Type.Optional(Str(400)),
  spPhone: Type.Optional(Str(80)),
  spEmail: Type.Optional(Str(254)),
  ...Csrf,
})
const SignInBody = Type.Object({ email: Str(254), password: Str(256), next: Type.Optional(Str(500)), ...Csrf })
const CodeBody = Type.Object({ code: Str(40), next: Type.Optional(Str(500)), ...Csrf })
const TokenQuery = Type.Object({ token: Type.Optional(Str(100)) })
const AcceptBody = Type.Object({ token: Str(100), name: Str(200), password: Str(256), passwordConfirm: Str(256), ...Csrf })
const EmailBody = Type.Object({ email: Str(254), ...Csrf })
const ResetBody = Type.Object({ token: Str(100), password: Str(256), passwordConfirm: Str(256), ...Csrf })
const PasswordBody = Type.Object({ current: Str(256), password: Str(256), passwordConfirm: Str(256), ...Csrf })
const InviteBody = Type.Object({ email: Str(254), role: Str(40), name: Type.Optional(Str(200)), ...Csrf })
const RoleBody = Type.Object({ role: Str(40), ...Csrf })
const RecoveryDownloadBody = Type.Object({ codes: Str(300), expires: Str(20), mac: Str(100), ...Csrf })
const IdParams = Type.Object({ id: Str(64) })
const NextQuery = Type.Object({ next: Type.Optional(Str(500)) })

const UserJson = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  status: Type.String(),
  totpEnabled: Type.Boolean(),
})

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-/.?=&%]*$/.test(next) ? next : '/console'
}

function presentUser(u: User): Static<typeof UserJson> {
  return { id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, totpEnabled: !!u.totpEnabledAt }
}

/** Registers the account routes (pages and JSON API). */
export async function registerAccountRoutes(app: TypedApp): Promise<void> {
  const { config, database, tenant } = app.ctx
  const limits = { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours }
  const secure = config.publicUrl.startsWith('https://')
  const setSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure })
  const tx = <T,>(fn: Parameters<typeof withTransaction<T>>[1]) => withTransaction(database.pool, fn)
  const r = (req: FastifyRequest, reply: FastifyReply) => ({ req, reply })
  const currentUser = (req: FastifyRequest): User => {
    if (!req.session) throw new AppError('UNAUTHENTICATED')
    return req.session.user
  }

  // --- setup wizard -------------------------------------------------------------------
  app.get('/console/setup', { config: { access: 'public' }, schema: { ...Hidden, querystring: TokenQuery } }, async (req, reply) => {
    if (await hasActiveAdmin(database.db, tenant.id)) return setupDonePage(r(req, reply))
    return setupPage(r(req, reply), { token: req.query.token })
  })
  app.post('/console/setup', { config: { access: 'public' }, schema: { ...Hidden, body: SetupBody } }, async (req, reply) => {
    const b = req.body
    const identity = identityFromBody(b)
    const spokesperson = { name: b.spName ?? '', title: b.spTitle ?? '', phone: b.spPhone ?? '', email: b.spEmail ?? '' }
    return runForm(
      reply,
      async () => {
        const created = await tx((t) =>
          completeSetup({
            tx: t,
            tenantId: tenant.id,
            token: b.token,
            email: b.email,
            name: b.name,
            password: b.password,
            passwordConfirm: b.passwordConfirm,
            identity,
            spokesperson,
            ip: req.ip,
          }),
        )
        // Pages and mails of this process read the new identity at once (others on the notice).
        applyTenant(tenant, created.tenant)
        // The new admin continues straight to TOTP enrolment with a fresh partial session.
        const signedIn = await signIn({
          database,
          tenantId: tenant.id,
          email: created.email,
          password: b.password,
          ip: req.ip,
          userAgent: req.headers['user-agent'],
          limits,
          refuseDemo: config.env === 'production',
        })
        setSession(reply, signedIn.token)
        return reply.redirect('/console/totp/enrol', 303)
      },
      (e) =>
        e.code === 'SETUP_DONE'
          ? setupDonePage(r(req, reply))
          : setupPage(r(req, reply), { error: e, token: b.token, email: b.email, name: b.name, identity, spokesperson }),
    )
  })

  // --- sign in ------------------------------------------------------------------------
  app.get('/console/sign-in', { config: { access: 'public' }, schema: { ...Hidden, querystring: NextQuery } }, async (req, reply) => {
    if (req.actor) return reply.redirect(safeNext(req.query.next), 303)
    if (!(await hasActiveAdmin(database.db, tenant.id))) return reply.redirect('/console/setup', 303)
    return signInPage(r(req, reply), { next: req.query.next })
  })
  app.post('/console/sign-in', { config: { access: 'public' }, schema: { ...Hidden, body: SignInBody } }, async (req, reply) => {
    const b = req.body
    return runForm(
      reply,
      async () => {
        const result = await signIn({
          database,
          tenantId: tenant.id,
          email: b.email,
          password: b.password,
          ip: req.ip,
          userAgent: req.headers['user-agent'],
          limits,
          refuseDemo: config.env === 'production',
        })
        setSession(reply, result.token)
        const next = safeNext(b.next)
        if (result.stage === 'enrol') return reply.redirect('/console/totp/enrol', 303)
        if (result.stage === 'verify') return reply.redirect(`/console/totp/verify?next=${encodeURIComponent(next)}`, 303)
        return reply.redirect(next === '/console' ? '/doi-tac' : next, 303)
      },
      (e) => signInPage(r(req, reply), { error: e, email: b.email, next: b.next }),
    )
  })

  // --- TOTP ---------------------------------------------------------------------------
  const showEnrol = async (req: FastifyRequest, reply: FastifyReply, error?: AppError) => {
    const user = currentUser(req)
    if (req.session?.stage !== 'enrol') return reply.redirect('/console/totp/verify', 303)
    const secret = await tx((t) => startTotpEnrolment({ tx: t, user }))
    const qrDataUrl = await QRCode.toDataURL(totpUri(user.email, `Đồng Hành · ${tenant.shortName}`, secret), { margin: 1, width: 200 })
    return enrolPage(r(req, reply), { qrDataUrl, secret, error })
  }
  app.get('/console/totp/enrol', { config: { access: 'partial' }, schema: Hidden }, async (req, reply) => showEnrol(req, reply))
  app.post('/console/totp/enrol', { config: { access: 'partial' }, schema: { ...Hidden, body: CodeBody } }, async (req, reply) => {
    const b = req.body
    const session = req.session
    if (session?.stage !== 'enrol') throw new AppError('UNAUTHENTICATED')
    return runForm(
      reply,
      async () => {
        const user = (await findUser(database.db, tenant.id, session.user.id)) as User
        const result = await withAttemptLimit(database, tenant.id, ['totp', user.id], () =>
          tx((t) =>
            confirmTotpEnrolment({
              tx: t,
              user,
              code: b.code,
              sessionId: session.id,
              limits,
              ip: req.ip,
              userAgent: req.headers['user-agent'],
            }),
          ),
        )
        setSession(reply, result.token)
        // The page belongs to the new session: its forms (download, sign-out) carry that session's
        // CSRF token, and the download form its signature.
        const fresh = await loadSession(database.db, result.token, limits)
        if (!fresh) throw new AppError('UNAUTHENTICATED')
        req.session = fresh
        return recoveryCodesPage(r(req, reply), {
          codes: result.recoveryCodes,
          next: '/console',
          download: signRecoveryDownload(fresh, result.recoveryCodes, now()),
        })
      },
      (e) => showEnrol(req, reply, e),
    )
  })
  // The recovery codes as a .txt file, from the page shown right after enrolment (works without JavaScript).
  app.post(
    '/console/totp/recovery-codes.txt',
    { config: { access: 'signed-in' }, schema: { ...Hidden, body: RecoveryDownloadBody } },
    async (req, reply) => {
      const session = req.session
      if (!session) throw new AppError('UNAUTHENTICATED')
      const at = now()
      const codes = checkRecoveryDownload(session, req.body, at)
      return reply
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-disposition', 'attachment; filename="dong-hanh-ma-khoi-phuc.txt"')
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(recoveryCodesText(session.user.email, codes, at))
    },
  )
  app.get('/console/totp/verify', { config: { access: 'partial' }, schema: { ...Hidden, querystring: NextQuery } }, async (req, reply) => {
    if (req.session?.stage === 'enrol') return reply.redirect('/console/totp/enrol', 303)
    return verifyPage(r(req, reply), { next: req.query.next })
  })
  app.post('/console/totp/verify', { config: { access: 'partial' }, schema: { ...Hidden, body: CodeBody } }, async (req, reply) => {
    const b = req.body
    const session = req.session
    if (session?.stage !== 'verify') throw new AppError('UNAUTHENTICATED')
    return runForm(
      reply,
      async () => {
        const result = await withAttemptLimit(database, tenant.id, ['totp', session.user.id], () =>
          tx((t) =>
            verifySecondFactor({
              tx: t,
              user: session.user,
              code: b.code,
              sessionId: session.id,
              limits,
              ip: req.ip,
              userAgent: req.headers['user-agent'],
            }),
          ),
        )
        setSession(reply, result.token)
        return reply.redirect(safeNext(b.next), 303)
      },
      (e) => verifyPage(r(req, reply), { error: e, next: b.next }),
    )
  })

  // --- sign out -----------------------------------------------------------------------
  app.post('/console/sign-out', { config: { access: 'public' }, schema: { ...Hidden, body: Type.Object(Csrf) } }, async (req, reply) => {
    const session = req.session
    if (session) await tx((t) => signOut({ tx: t, user: session.user, sessionId: session.id, everywhere: false, ip: req.ip }))
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.redirect('/console/sign-in', 303)
  })

  // --- invitation ---------------------------------------------------------------------
  app.get(
    '/console/invite/accept',
    { config: { access: 'public' }, schema: { ...Hidden, querystring: TokenQuery } },
    async (req, reply) => {
      const token = req.query.token ?? ''
      try {
        const row = await peekToken(database.db, tenant.id, token, 'invite')
        const user = row.userId ? await findUser(database.db, tenant.id, row.userId) : undefined
        if (user?.status !== 'invited') throw new AppError('TOKEN_INVALID')
        return acceptInvitePage(r(req, reply), { token, email: user.email, role: user.role, name: user.name })
      } catch (e) {
        if (isAppError(e)) return badLinkPage(r(req, reply), e)
        throw e
      }
    },
  )
  app.post('/console/invite/accept', { config: { access: 'public' }, schema: { ...Hidden, body: AcceptBody } }, async (req, reply) => {
    const b = req.body
    return runForm(
      reply,
      async () => {
        await tx((t) =>
          acceptInvite({
            tx: t,
            tenantId: tenant.id,
            token: b.token,
            name: b.name,
            password: b.password,
            passwordConfirm: b.passwordConfirm,
            ip: req.ip,
          }),
        )
        return signInPage(r(req, reply), { notice: 'invite.done' })
      },
      async (e) => {
        if (e.code.startsWith('TOKEN_')) return badLinkPage(r(req, reply), e)
        const row = await peekToken(database.db, tenant.id, b.token, 'invite')
        const user = row.userId ? await findUser(database.db, tenant.id, row.userId) : undefined
        return acceptInvitePage(r(req, reply), { token: b.token, email: user?.email ?? '', role: user?.role ?? '', name: b.name, error: e })
      },
    )
  })

  // --- password reset -----------------------------------------------------------------
  app.get('/console/password/forgot', { config: { access: 'public' }, schema: Hidden }, async (req, reply) => forgotPage(r(req, reply), {}))
  app.post('/console/password/forgot', { config: { access: 'public' }, schema: { ...Hidden, body: EmailBody } }, async (req, reply) => {
    const b = req.body
    return runForm(
      reply,
      async () => {
        await tx((t) =>
          requestPasswordReset({
            tx: t,
            tenantId: tenant.id,
            tenantName: tenant.name,
            email: b.email,
            publicUrl: config.publicUrl,
            ip: req.ip,
          }),
        )
        return forgotPage(r(req, reply), { sent: true })
      },
      (e) => forgotPage(r(req, reply), { error: e }),
    )
  })
  app.get(
    '/console/password/reset',
    { config: { access: 'public' }, schema: { ...Hidden, querystring: TokenQuery } },
    async (req, reply) => {
      const token = req.query.token ?? ''
      try {
        await peekToken(database.db, tenant.id, token, 'reset')
        return resetPage(r(req, reply), { token })
      } catch (e) {
        if (isAppError(e)) return badLinkPage(r(req, reply), e)
        throw e
      }
    },
  )
  app.post('/console/password/reset', { config: { access: 'public' }, schema: { ...Hidden, body: ResetBody } }, async (req, reply) => {
    const b = req.body
    return runForm(
      reply,
      async () => {
        await tx((t) =>
          resetPassword({
            tx: t,
            tenantId: tenant.id,
            token: b.token,
            password: b.password,
            passwordConfirm: b.passwordConfirm,
            ip: req.ip,
          }),
        )
        return signInPage(r(req, reply), { notice: 'reset.done' })
      },
      (e) => (e.code.startsWith('TOKEN_') ? badLinkPage(r(req, reply), e) : resetPage(r(req, reply), { token: b.token, error: e })),
    )
  })

  // --- my account ---------------------------------------------------------------------
  const showAccount = async (req: FastifyRequest, reply: FastifyReply, o: { error?: AppError; notice?: string } = {}) => {
    const session = req.session
    if (!session) throw new AppError('UNAUTHENTICATED')
    const user = (await findUser(database.db, tenant.id, session.user.id)) as User
    const sessions = await listUserSessions(database.db, user.id)
    return accountPage(r(req, reply), { user, sessions, currentId: session.id, ...o })
  }
  app.get('/console/account', { config: { access: 'signed-in' }, schema: Hidden }, async (req, reply) => showAccount(req, reply))
  app.post(
    '/console/account/password',
    { config: { access: 'signed-in' }, schema: { ...Hidden, body: PasswordBody } },
    async (req, reply) => {
      const b = req.body
      const session = req.session as NonNullable<typeof req.session>
      return runForm(
        reply,
        async () => {
          await tx((t) =>
            changePassword({
              tx: t,
              user: session.user,
              current: b.current,
              password: b.password,
              passwordConfirm: b.passwordConfirm,
              sessionId: session.id,
              ip: req.ip,
            }),
          )
          return showAccount(req, reply, { notice: 'account.passwordChanged' })
        },
        (e) => showAccount(req, reply, { error: e }),
      )
    },
  )
  app.post(
    '/console/account/sign-out-everywhere',
    { config: { access: 'signed-in' }, schema: { ...Hidden, body: Type.Object(Csrf) } },
    async (req, reply) => {
      const session = req.session as NonNullable<typeof req.session>
      await tx((t) => signOut({ tx: t, user: session.user, sessionId: session.id, everywhere: true, ip: req.ip }))
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.redirect('/console/sign-in', 303)
    },
  )
  app.post(
    '/console/account/sessions/:id/revoke',
    { config: { access: 'signed-in' }, schema: { ...Hidden, params: IdParams, body: Type.Object(Csrf) } },
    async (req, reply) => {
      const session = req.session as NonNullable<typeof req.session>
      await tx((t) => revokeSession({ tx: t, user: session.user, sessionRef: req.params.id, ip: req.ip }))
      return reply.redirect('/console/account', 303)
    },
  )

  // --- users (admins) -----------------------------------------------------------------
  const showUsers = async (req: FastifyRequest, reply: FastifyReply, o: { error?: AppError; notice?: string } = {}) => {
    authorize(req.actor, 'list', 'user')
    return usersPage(r(req, reply), { users: await listUsers(database.db, tenant.id), selfId: req.actor.id, ...o })
  }
  const loadTarget = async (req: FastifyRequest, id: string, action: string): Promise<User> => {
    const target = await findUser(database.db, tenant.id, id)
    if (!target) throw new AppError('NOT_FOUND')
    authorize(req.actor, action, { type: 'user', tenantId: target.tenantId, record: target })
    return target
  }
  app.get('/console/users', { config: { access: { action: 'list', subject: 'user' } }, schema: Hidden }, async (req, reply) =>
    showUsers(req, reply),
  )
  app.post(
    '/console/users/invite',
    { config: { access: { action: 'invite', subject: 'user' } }, schema: { ...Hidden, body: InviteBody } },
    async (req, reply) => {
      const b = req.body
      const actor = req.actor
      authorize(actor, 'invite', 'user')
      return runForm(
        reply,
        async () => {
          await tx((t) =>
            inviteUser({
              tx: t,
              tenantId: tenant.id,
              tenantName: tenant.name,
              actor: auditActor(actor),
              email: b.email,
              role: b.role,
              name: b.name,
              publicUrl: config.publicUrl,
              ip: req.ip,
            }),
          )
          return showUsers(req, reply, { notice: 'users.invited' })
        },
        (e) => showUsers(req, reply, { error: e }),
      )
    },
  )
  app.post(
    '/console/users/:id/role',
    { config: { access: { action: 'list', subject: 'user' } }, schema: { ...Hidden, params: IdParams, body: RoleBody } },
    async (req, reply) => {
      const b = req.body
      return runForm(
        reply,
        async () => {
          const target = await loadTarget(req, req.params.id, 'change-role')
          await tx((t) =>
            changeUserRole({
              tx: t,
              user: target,
              role: b.role,
              actor: auditActor(req.actor as NonNullable<typeof req.actor>),
              ip: req.ip,
            }),
          )
          return showUsers(req, reply, { notice: 'users.roleChanged' })
        },
        (e) => showUsers(req, reply, { error: e }),
      )
    },
  )
  for (const action of ['disable', 'enable'] as const) {
    app.post(
      `/console/users/:id/${action}`,
      { config: { access: { action: 'list', subject: 'user' } }, schema: { ...Hidden, params: IdParams, body: Type.Object(Csrf) } },
      async (req, reply) =>
        runForm(
          reply,
          async () => {
            const target = await loadTarget(req, req.params.id, action)
            await tx((t) =>
              setUserStatus({
                tx: t,
                user: target,
                status: action === 'disable' ? 'disabled' : 'active',
                actor: auditActor(req.actor as NonNullable<typeof req.actor>),
                ip: req.ip,
              }),
            )
            return showUsers(req, reply, { notice: action === 'disable' ? 'users.disabled' : 'users.enabled' })
          },
          (e) => showUsers(req, reply, { error: e }),
        ),
    )
  }

  // --- JSON API -----------------------------------------------------------------------
  app.get(
    '/api/v1/me',
    {
      config: { access: 'signed-in' },
      schema: {
        summary: 'Tài khoản đang đăng nhập / the signed-in account',
        tags: ['accounts'],
        security: [{ session: [] }],
        response: { 200: UserJson },
      },
    },
    async (req) => presentUser(currentUser(req)),
  )
  app.get(
    '/api/v1/users',
    {
      config: { access: { action: 'list', subject: 'user' } },
      schema: {
        summary: 'Danh sách tài khoản / list accounts (admin)',
        tags: ['accounts'],
        security: [{ session: [] }],
        response: { 200: Type.Array(UserJson) },
      },
    },
    async (req) => {
      authorize(req.actor, 'list', 'user')
      return (await listUsers(database.db, tenant.id)).map(presentUser)
    },
  )
  app.post(
    '/api/v1/users/invitations',
    {
      config: { access: { action: 'invite', subject: 'user' } },
      schema: {
        summary: 'Mời một tài khoản / invite an account (admin; header x-csrf-token)',
        tags: ['accounts'],
        security: [{ session: [] }],
        body: Type.Object({ email: Str(254), role: Str(40), name: Type.Optional(Str(200)) }),
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (req, reply) => {
      const actor = req.actor
      authorize(actor, 'invite', 'user')
      const b = req.body as { email: string; role: string; name?: string }
      const { userId } = await tx((t) =>
        inviteUser({
          tx: t,
          tenantId: tenant.id,
          tenantName: tenant.name,
          actor: auditActor(actor),
          email: b.email,
          role: b.role,
          name: b.name,
          publicUrl: config.publicUrl,
          ip: req.ip,
        }),
      )
      return reply.code(201).send({ id: userId })
    },
  )
}
