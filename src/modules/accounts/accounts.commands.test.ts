import { and, eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, linkIn, makeUser, type TestApp } from '../../../test/support/app.ts'
import { withTransaction } from '../../db/index.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { totpNow } from '../../platform/auth/secrets.ts'
import { advanceClock, freezeClock, now, resetClock } from '../../platform/clock.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import { tenants } from '../../platform/tenancy/tenants.tables.ts'
import { spokespersons } from '../spokespersons/spokespersons.tables.ts'
import { actionTokens, sessions, users } from './accounts.tables.ts'
import { acceptInvite } from './commands/accept-invite.ts'
import { changeUserRole } from './commands/change-user-role.ts'
import { completeSetup } from './commands/complete-setup.ts'
import { confirmTotpEnrolment, startTotpEnrolment } from './commands/enrol-totp.ts'
import { ensureSetupToken } from './commands/ensure-setup-token.ts'
import { inviteUser } from './commands/invite-user.ts'
import { requestPasswordReset } from './commands/request-password-reset.ts'
import { resetPassword } from './commands/reset-password.ts'
import { setUserStatus } from './commands/set-user-status.ts'
import { delayAfter } from './attempts.ts'
import { signIn } from './commands/sign-in.ts'
import { signOut } from './commands/sign-out.ts'
import { verifySecondFactor } from './commands/verify-second-factor.ts'
import { createSession, loadSession } from './sessions.ts'
import { findUser, findUserByEmail, SYSTEM_ACTOR } from './users.ts'

let t: TestApp
const limits = { idleMinutes: 30, absoluteHours: 12 }
const tx = <T>(fn: Parameters<typeof withTransaction<T>>[1]) => withTransaction(t.database.pool, fn)
const PW = 'Mot-cau-rat-dai-2026'
/** A made-up office (no real province's contacts in tests of the fresh install). */
const IDENTITY = {
  name: 'Công an tỉnh Thử Nghiệm',
  province: 'Thử Nghiệm',
  hotline: '0200 000 113',
  email: 'banbientap@thunghiem.example.vn',
  address: '1 đường Thử, phường Một, tỉnh Thử Nghiệm',
}

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
})
afterEach(() => resetClock())

async function lastAudit(action: string) {
  const rows = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, action))
  return rows[rows.length - 1]
}

async function sessionIdOf(token: string): Promise<string> {
  const s = await loadSession(t.database.db, token, limits)
  if (!s) throw new Error('no session')
  return s.id
}

describe('setup wizard', () => {
  it('refuses a weak password and writes nothing', async () => {
    const token = (await ensureSetupToken({ database: t.database, tenantId: t.tenant.id })) as string
    await expect(
      tx((x) =>
        completeSetup({
          tx: x,
          tenantId: t.tenant.id,
          token,
          email: 'qt@congan.vn',
          name: 'A',
          password: 'ngan',
          passwordConfirm: 'ngan',
          identity: IDENTITY,
        }),
      ),
    ).rejects.toMatchObject({ code: 'WEAK_PASSWORD', status: 400 })
    expect(await findUserByEmail(t.database.db, t.tenant.id, 'qt@congan.vn')).toBeUndefined()
    const [row] = await t.database.db
      .select()
      .from(actionTokens)
      .where(and(eq(actionTokens.kind, 'setup')))
    expect(row?.usedAt).toBeNull()
  })

  it('a fresh install has a neutral placeholder identity, no province of its own', async () => {
    expect(t.tenant).toMatchObject({ name: 'Đồng Hành', hotline: '', email: '', address: '', province: '', identitySetAt: null })
  })

  it('refuses a bad identity field by field, and writes nothing', async () => {
    const token = (await ensureSetupToken({ database: t.database, tenantId: t.tenant.id })) as string
    const attempt = (identity: Record<string, string>) =>
      tx((x) =>
        completeSetup({
          tx: x,
          tenantId: t.tenant.id,
          token,
          email: 'qt@congan.vn',
          name: 'A',
          password: PW,
          passwordConfirm: PW,
          identity,
        }),
      )
    await expect(attempt({ ...IDENTITY, hotline: 'gọi tôi' })).rejects.toMatchObject({ code: 'IDENTITY_HOTLINE', status: 400 })
    await expect(attempt({ ...IDENTITY, email: 'không phải thư' })).rejects.toMatchObject({ code: 'IDENTITY_EMAIL', status: 400 })
    await expect(attempt({ ...IDENTITY, province: ' ' })).rejects.toMatchObject({ code: 'IDENTITY_PROVINCE', status: 400 })
    await expect(attempt({ ...IDENTITY, name: '' })).rejects.toMatchObject({ code: 'IDENTITY_NAME', status: 400 })
    await expect(attempt({ ...IDENTITY, website: 'javascript:alert(1)' } as Record<string, string>)).rejects.toMatchObject({
      code: 'IDENTITY_WEBSITE',
    })
    expect(await findUserByEmail(t.database.db, t.tenant.id, 'qt@congan.vn')).toBeUndefined()
    const [tenant] = await t.database.db.select().from(tenants).where(eq(tenants.id, t.tenant.id))
    expect(tenant?.identitySetAt).toBeNull()
  })

  it('a new setup token replaces the earlier one', async () => {
    const first = (await ensureSetupToken({ database: t.database, tenantId: t.tenant.id })) as string
    const second = (await ensureSetupToken({ database: t.database, tenantId: t.tenant.id })) as string
    await expect(
      tx((x) =>
        completeSetup({
          tx: x,
          tenantId: t.tenant.id,
          token: first,
          email: 'qt@congan.vn',
          name: 'A',
          password: PW,
          passwordConfirm: PW,
          identity: IDENTITY,
        }),
      ),
    ).rejects.toMatchObject({ code: 'TOKEN_USED' })
    const done = await tx((x) =>
      completeSetup({
        tx: x,
        tenantId: t.tenant.id,
        token: second,
        email: ' QT@CongAn.vn ',
        name: 'Lê Minh Quân',
        password: PW,
        passwordConfirm: PW,
        identity: IDENTITY,
        spokesperson: {
          name: 'Đại tá Trần Văn Phát',
          title: 'Phó Giám đốc',
          phone: '0200 000 114',
          email: 'phatngon@thunghiem.example.vn',
        },
        ip: '10.0.0.1',
      }),
    )
    // The office's identity replaced the fresh install's placeholder, audited as the new admin.
    expect(done.tenant).toMatchObject({ ...IDENTITY, shortName: IDENTITY.name })
    expect(done.tenant.identitySetAt).not.toBeNull()
    expect(await lastAudit('tenant.identity_updated')).toMatchObject({ actorId: done.userId, subjectId: t.tenant.id })
    // The first spokesperson is in the register, so an editor can write the first release.
    const [sp] = await t.database.db.select().from(spokespersons).where(eq(spokespersons.tenantId, t.tenant.id))
    expect(sp).toMatchObject({ name: 'Đại tá Trần Văn Phát', title: 'Phó Giám đốc', active: true })
    expect(await lastAudit('spokesperson.created')).toMatchObject({ actorId: done.userId, subjectId: sp?.id })
    const user = await findUser(t.database.db, t.tenant.id, done.userId)
    expect(user).toMatchObject({ email: 'qt@congan.vn', role: 'admin', status: 'active', name: 'Lê Minh Quân' })
    const audit = await lastAudit('setup.completed')
    expect(audit).toMatchObject({ subjectId: done.userId, ip: '10.0.0.1', actorLabel: 'qt@congan.vn' })
  })

  it('closes for good once an admin exists', async () => {
    expect(await ensureSetupToken({ database: t.database, tenantId: t.tenant.id })).toBeNull()
  })
})

describe('sign in', () => {
  it('puts staff without TOTP at enrol, staff with TOTP at verify, partners straight in', async () => {
    const noTotp = await makeUser(t, { role: 'editor', totp: false })
    const withTotp = await makeUser(t, { role: 'approver' })
    const partner = await makeUser(t, { role: 'journalist' })
    const go = (u: { email: string; password: string }) =>
      signIn({
        database: t.database,
        tenantId: t.tenant.id,
        email: u.email,
        password: u.password,
        ip: '10.1.0.1',
        limits,
        refuseDemo: false,
      })
    expect((await go(noTotp)).stage).toBe('enrol')
    expect((await go(withTotp)).stage).toBe('verify')
    expect((await go(partner)).stage).toBe('full')
  })

  it('doubles the delay after the free failures and locks the e-mail', async () => {
    expect([1, 2, 3, 4, 5, 6, 20].map((n) => delayAfter('email', n))).toEqual([0, 0, 1, 2, 4, 8, 900])
    expect(delayAfter('ip', 20)).toBe(1)
    const u = await makeUser(t, { role: 'officer' })
    const attempt = (password: string) =>
      signIn({ database: t.database, tenantId: t.tenant.id, email: u.email, password, ip: '10.2.0.1', limits, refuseDemo: false })
    for (let i = 0; i < 3; i++) await expect(attempt('sai-mat-khau')).rejects.toMatchObject({ code: 'BAD_CREDENTIALS', status: 401 })
    expect(await lastAudit('user.sign_in_failed')).toMatchObject({ subjectId: u.id, ip: '10.2.0.1' })
    await expect(attempt('sai-mat-khau')).rejects.toMatchObject({ code: 'TOO_MANY_ATTEMPTS', status: 429 })
    // Even the right password is refused while locked, without being checked.
    const locked = await attempt(u.password).catch((e) => e)
    expect(locked).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' })
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0)
    advanceClock(2_000)
    expect((await attempt(u.password)).stage).toBe('verify')
  })

  it('refuses disabled accounts and demo accounts in production', async () => {
    const off = await makeUser(t, { role: 'editor', status: 'disabled' })
    const demo = await makeUser(t, { role: 'editor', isDemo: true })
    const go = (u: { email: string; password: string }, refuseDemo: boolean) =>
      signIn({ database: t.database, tenantId: t.tenant.id, email: u.email, password: u.password, ip: '10.3.0.1', limits, refuseDemo })
    await expect(go(off, false)).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED', status: 403 })
    await expect(go(demo, true)).rejects.toMatchObject({ code: 'DEMO_REFUSED', status: 403 })
    expect((await go(demo, false)).stage).toBe('verify')
  })
})

describe('TOTP', () => {
  it('enrols with a first code, issues ten recovery codes and a full session', async () => {
    const u = await makeUser(t, { role: 'editor', totp: false })
    const { token } = await signIn({
      database: t.database,
      tenantId: t.tenant.id,
      email: u.email,
      password: u.password,
      ip: '10.4.0.1',
      limits,
      refuseDemo: false,
    })
    const user = (await findUser(t.database.db, t.tenant.id, u.id)) as NonNullable<Awaited<ReturnType<typeof findUser>>>
    const secret = await tx((x) => startTotpEnrolment({ tx: x, user }))
    // Reloading the page shows the same secret.
    const again = await tx(async (x) => startTotpEnrolment({ tx: x, user: { ...user, totpSecret: secret } }))
    expect(again).toBe(secret)
    const fresh = (await findUser(t.database.db, t.tenant.id, u.id)) as typeof user
    await expect(tx((x) => confirmTotpEnrolment({ tx: x, user: fresh, code: '000000', sessionId: 'x', limits }))).rejects.toMatchObject({
      code: 'TOTP_INVALID',
    })
    const oldId = await sessionIdOf(token)
    const r = await tx((x) => confirmTotpEnrolment({ tx: x, user: fresh, code: totpNow(secret), sessionId: oldId, limits }))
    expect(r.recoveryCodes).toHaveLength(10)
    expect(new Set(r.recoveryCodes).size).toBe(10)
    const s = await loadSession(t.database.db, r.token, limits)
    expect(s?.stage).toBe('full')
    expect(s?.id).not.toBe(oldId)
    expect(await loadSession(t.database.db, token, limits)).toBeUndefined()
    expect(await lastAudit('user.totp_enrolled')).toMatchObject({ subjectId: u.id })
  })

  it('refuses a replayed code and accepts a recovery code once', async () => {
    // The clock stands still at the start of a time step: a replay must not cross into the next
    // step while the test signs in (it did once on a loaded CI machine, and the "replay" was a new code).
    freezeClock(new Date(Math.floor(Date.now() / 30_000) * 30_000 + 1000))
    const u = await makeUser(t, { role: 'approver', totp: false })
    const user = (await findUser(t.database.db, t.tenant.id, u.id)) as NonNullable<Awaited<ReturnType<typeof findUser>>>
    const secret = await tx((x) => startTotpEnrolment({ tx: x, user }))
    const enrolled = await tx(async (x) => {
      const fresh = (await findUser(x, t.tenant.id, u.id)) as typeof user
      return confirmTotpEnrolment({ tx: x, user: fresh, code: totpNow(secret, now()), sessionId: 'none', limits })
    })
    const signInAgain = async () => {
      const r = await signIn({
        database: t.database,
        tenantId: t.tenant.id,
        email: u.email,
        password: u.password,
        ip: '10.5.0.1',
        limits,
        refuseDemo: false,
      })
      return { id: await sessionIdOf(r.token), user: (await findUser(t.database.db, t.tenant.id, u.id)) as typeof user }
    }
    const a = await signInAgain()
    // The code used at enrolment is the current one: using it again is a replay.
    await expect(
      tx((x) => verifySecondFactor({ tx: x, user: a.user, code: totpNow(secret, now()), sessionId: a.id, limits })),
    ).rejects.toMatchObject({ code: 'TOTP_REPLAYED' })
    const code = enrolled.recoveryCodes[0] as string
    const ok = await tx((x) => verifySecondFactor({ tx: x, user: a.user, code: code.toUpperCase(), sessionId: a.id, limits }))
    expect(ok.usedRecoveryCode).toBe(true)
    const b = await signInAgain()
    await expect(tx((x) => verifySecondFactor({ tx: x, user: b.user, code, sessionId: b.id, limits }))).rejects.toMatchObject({
      code: 'TOTP_INVALID',
    })
    // The next time step's code works.
    advanceClock(30_000)
    const c = await tx((x) => verifySecondFactor({ tx: x, user: b.user, code: totpNow(secret, now()), sessionId: b.id, limits }))
    expect(c.usedRecoveryCode).toBe(false)
  })
})

describe('invitations', () => {
  it('creates an invited account, queues the mail and audits it', async () => {
    const admin = await makeUser(t, { role: 'admin' })
    const r = await tx((x) =>
      inviteUser({
        tx: x,
        tenantId: t.tenant.id,
        tenantName: t.tenant.name,
        actor: { id: admin.id, label: admin.email },
        email: 'NhungBT@baothanhhoa.vn',
        role: 'editor',
        name: 'Nhung',
        publicUrl: 'http://h',
      }),
    )
    expect(await findUser(t.database.db, t.tenant.id, r.userId)).toMatchObject({
      status: 'invited',
      role: 'editor',
      email: 'nhungbt@baothanhhoa.vn',
      passwordHash: null,
    })
    const [mail] = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'nhungbt@baothanhhoa.vn'))
    expect(mail?.textBody).toContain(r.link)
    expect(mail?.textBody).toContain('Biên tập viên')
    expect(await lastAudit('user.invited')).toMatchObject({
      actorId: admin.id,
      subjectId: r.userId,
      summary: { email: 'nhungbt@baothanhhoa.vn', role: 'editor' },
    })
  })

  it('refuses a taken e-mail, an invalid e-mail and an unknown role, writing nothing', async () => {
    const base = { tenantId: t.tenant.id, tenantName: 'x', actor: SYSTEM_ACTOR, publicUrl: 'http://h' }
    await expect(tx((x) => inviteUser({ ...base, tx: x, email: 'nhungbt@baothanhhoa.vn', role: 'editor' }))).rejects.toMatchObject({
      code: 'EMAIL_TAKEN',
      status: 409,
    })
    await expect(tx((x) => inviteUser({ ...base, tx: x, email: 'không-phải-email', role: 'editor' }))).rejects.toMatchObject({
      code: 'INVALID_EMAIL',
      status: 400,
    })
    await expect(tx((x) => inviteUser({ ...base, tx: x, email: 'a@b.vn', role: 'superadmin' }))).rejects.toMatchObject({
      code: 'ROLE_UNKNOWN',
    })
    expect(await findUserByEmail(t.database.db, t.tenant.id, 'a@b.vn')).toBeUndefined()
  })

  it('is accepted once; a reused or expired link is refused', async () => {
    const base = { tenantId: t.tenant.id, tenantName: 'x', actor: SYSTEM_ACTOR, publicUrl: 'http://h' }
    const a = await tx((x) => inviteUser({ ...base, tx: x, email: 'pv1@vnexpress.net', role: 'journalist' }))
    const token = new URL(a.link).searchParams.get('token') as string
    await expect(
      tx((x) => acceptInvite({ tx: x, tenantId: t.tenant.id, token, name: 'PV', password: PW, passwordConfirm: 'khac' })),
    ).rejects.toMatchObject({ code: 'PASSWORDS_DIFFER' })
    await tx((x) => acceptInvite({ tx: x, tenantId: t.tenant.id, token, name: 'Phóng viên Một', password: PW, passwordConfirm: PW }))
    expect(await findUser(t.database.db, t.tenant.id, a.userId)).toMatchObject({ status: 'active', name: 'Phóng viên Một' })
    await expect(
      tx((x) => acceptInvite({ tx: x, tenantId: t.tenant.id, token, name: 'X', password: PW, passwordConfirm: PW })),
    ).rejects.toMatchObject({ code: 'TOKEN_USED', status: 410 })
    const b = await tx((x) => inviteUser({ ...base, tx: x, email: 'pv2@vnexpress.net', role: 'journalist' }))
    advanceClock(8 * 24 * 3_600_000)
    const token2 = new URL(b.link).searchParams.get('token') as string
    await expect(
      tx((x) => acceptInvite({ tx: x, tenantId: t.tenant.id, token: token2, name: 'X', password: PW, passwordConfirm: PW })),
    ).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', status: 410 })
    await expect(
      tx((x) => acceptInvite({ tx: x, tenantId: t.tenant.id, token: 'x'.repeat(43), name: 'X', password: PW, passwordConfirm: PW })),
    ).rejects.toMatchObject({ code: 'TOKEN_INVALID' })
  })
})

describe('password reset', () => {
  it('mails a 30-minute single-use link; the reset ends every session', async () => {
    const u = await makeUser(t, { role: 'editor' })
    const session = await createSession(t.database.db, { userId: u.id, tenantId: t.tenant.id, stage: 'full', limits })
    await tx((x) =>
      requestPasswordReset({ tx: x, tenantId: t.tenant.id, tenantName: 'CA', email: u.email.toUpperCase(), publicUrl: 'http://h' }),
    )
    const [mail] = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, u.email))
    const token = new URL(linkIn(mail?.textBody, /http:\/\/h\S+/)).searchParams.get('token') as string
    const newPw = 'Mat-khau-moi-an-toan-2026'
    await tx((x) => resetPassword({ tx: x, tenantId: t.tenant.id, token, password: newPw, passwordConfirm: newPw }))
    expect(await loadSession(t.database.db, session, limits)).toBeUndefined()
    expect(
      (
        await signIn({
          database: t.database,
          tenantId: t.tenant.id,
          email: u.email,
          password: newPw,
          ip: '10.6.0.1',
          limits,
          refuseDemo: false,
        })
      ).stage,
    ).toBe('verify')
    await expect(
      tx((x) => resetPassword({ tx: x, tenantId: t.tenant.id, token, password: newPw, passwordConfirm: newPw })),
    ).rejects.toMatchObject({ code: 'TOKEN_USED' })
    expect(await lastAudit('user.password_reset')).toMatchObject({ subjectId: u.id, summary: { sessionsEnded: 1 } })
  })

  it('expires after 30 minutes and says nothing about unknown addresses', async () => {
    const u = await makeUser(t, { role: 'officer' })
    await tx((x) => requestPasswordReset({ tx: x, tenantId: t.tenant.id, tenantName: 'CA', email: u.email, publicUrl: 'http://h' }))
    const [mail] = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, u.email))
    const token = new URL(linkIn(mail?.textBody, /http:\/\/h\S+/)).searchParams.get('token') as string
    advanceClock(31 * 60_000)
    await expect(
      tx((x) => resetPassword({ tx: x, tenantId: t.tenant.id, token, password: PW, passwordConfirm: PW })),
    ).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' })
    const before = (await t.database.db.select().from(mailOutbox)).length
    await tx((x) =>
      requestPasswordReset({ tx: x, tenantId: t.tenant.id, tenantName: 'CA', email: 'khong-ton-tai@x.vn', publicUrl: 'http://h' }),
    )
    expect((await t.database.db.select().from(mailOutbox)).length).toBe(before)
  })
})

describe('roles, status and sessions', () => {
  it('changes a role with before/after in the audit and ends the sessions', async () => {
    const admin = await makeUser(t, { role: 'admin' })
    const u = await makeUser(t, { role: 'journalist' })
    const s = await createSession(t.database.db, { userId: u.id, tenantId: t.tenant.id, stage: 'full', limits })
    const user = (await findUser(t.database.db, t.tenant.id, u.id)) as NonNullable<Awaited<ReturnType<typeof findUser>>>
    await tx((x) => changeUserRole({ tx: x, user, role: 'editor', actor: { id: admin.id, label: admin.email } }))
    expect((await findUser(t.database.db, t.tenant.id, u.id))?.role).toBe('editor')
    expect(await loadSession(t.database.db, s, limits)).toBeUndefined()
    expect(await lastAudit('user.role_changed')).toMatchObject({
      summary: { role: { before: 'journalist', after: 'editor' }, totpRequired: true },
    })
  })

  it('never demotes or disables the last active admin (and rolls back)', async () => {
    // Make every other admin inactive first.
    await t.database.db.update(users).set({ status: 'disabled' }).where(eq(users.role, 'admin'))
    const last = await makeUser(t, { role: 'admin' })
    const user = (await findUser(t.database.db, t.tenant.id, last.id)) as NonNullable<Awaited<ReturnType<typeof findUser>>>
    await expect(tx((x) => changeUserRole({ tx: x, user, role: 'editor', actor: SYSTEM_ACTOR }))).rejects.toMatchObject({
      code: 'LAST_ADMIN',
    })
    await expect(tx((x) => setUserStatus({ tx: x, user, status: 'disabled', actor: SYSTEM_ACTOR }))).rejects.toMatchObject({
      code: 'LAST_ADMIN',
    })
    expect(await findUser(t.database.db, t.tenant.id, last.id)).toMatchObject({ role: 'admin', status: 'active' })
  })

  it('disabling ends sessions at once', async () => {
    const u = await makeUser(t, { role: 'editor' })
    const s = await createSession(t.database.db, { userId: u.id, tenantId: t.tenant.id, stage: 'full', limits })
    const user = (await findUser(t.database.db, t.tenant.id, u.id)) as NonNullable<Awaited<ReturnType<typeof findUser>>>
    await tx((x) => setUserStatus({ tx: x, user, status: 'disabled', actor: SYSTEM_ACTOR }))
    expect(await loadSession(t.database.db, s, limits)).toBeUndefined()
    expect(await lastAudit('user.disabled')).toMatchObject({ subjectId: u.id, summary: { sessionsEnded: 1 } })
  })

  it('expires sessions when idle and at the absolute limit; signs out everywhere', async () => {
    const u = await makeUser(t, { role: 'editor' })
    const idle = await createSession(t.database.db, { userId: u.id, tenantId: t.tenant.id, stage: 'full', limits })
    advanceClock(31 * 60_000)
    expect(await loadSession(t.database.db, idle, limits)).toBeUndefined()
    resetClock()
    const active = await createSession(t.database.db, { userId: u.id, tenantId: t.tenant.id, stage: 'full', limits })
    for (let i = 0; i < 25; i++) {
      advanceClock(29 * 60_000)
      if (i < 24) expect(await loadSession(t.database.db, active, limits)).toBeDefined()
    }
    // 25 × 29 min > 12 h: past the absolute limit even though never idle.
    expect(await loadSession(t.database.db, active, limits)).toBeUndefined()
    resetClock()
    const a = await createSession(t.database.db, { userId: u.id, tenantId: t.tenant.id, stage: 'full', limits })
    const b = await createSession(t.database.db, { userId: u.id, tenantId: t.tenant.id, stage: 'full', limits })
    const user = (await findUser(t.database.db, t.tenant.id, u.id)) as NonNullable<Awaited<ReturnType<typeof findUser>>>
    const r = await tx(async (x) => signOut({ tx: x, user, sessionId: await sessionIdOf(a), everywhere: true }))
    expect(r.sessionsEnded).toBe(2)
    expect(await loadSession(t.database.db, b, limits)).toBeUndefined()
    expect((await t.database.db.select().from(sessions).where(eq(sessions.userId, u.id))).length).toBe(0)
  })
})
