/**
 * Revocation ends a partner's access everywhere at once, in the revoking transaction: open
 * sessions end and personal API tokens are revoked before the commit returns. Suspension and
 * expiry keep both (the live checks deny embargo on their own).
 */
import { and, eq, isNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type MadeUser, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { sessions } from '../../accounts/accounts.tables.ts'
import { changePartnerStatus } from '../../partners/commands/change-partner-status.ts'
import type { PartnerStatus } from '../../partners/partners.tables.ts'
import { createPartnerToken } from '../tokens/commands/create-partner-token.ts'
import { partnerTokens } from '../tokens/tokens.tables.ts'

let t: TestApp
let approver: MadeUser
beforeAll(async () => {
  t = await createTestApp()
  approver = await makeUser(t, { role: 'approver' })
})
afterAll(async () => {
  await t?.close()
})

async function setStatus(partnerId: string, to: PartnerStatus) {
  await withTransaction(t.database.pool, (tx) =>
    changePartnerStatus({
      tx,
      actor: { id: approver.id, tenantId: t.tenant.id, role: 'approver', email: approver.email },
      partnerId,
      to,
      reason: 'Vi phạm quy định cấm đăng trước (kiểm thử).',
    }),
  )
}

/** A partner with its session and two tokens (one per scope). */
async function partnerWithAccess(): Promise<MadePartner & { tokens: string[] }> {
  const p = await makePartner(t)
  const actor = { id: p.user.id, tenantId: t.tenant.id, role: p.user.role, email: p.user.email }
  const tokens: string[] = []
  for (const scope of ['inquiries', 'embargo:read']) {
    const { token } = await withTransaction(t.database.pool, (tx) =>
      createPartnerToken({ tx, actor, input: { name: `Máy chủ ${scope}`, scopes: [scope], days: 30 } }),
    )
    tokens.push(token)
  }
  return { ...p, tokens }
}

const sessionsOf = (userId: string) => t.database.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))
const activeTokensOf = (userId: string) =>
  t.database.db
    .select({ id: partnerTokens.id })
    .from(partnerTokens)
    .where(and(eq(partnerTokens.userId, userId), isNull(partnerTokens.revokedAt)))
const page = (p: MadePartner) => t.app.inject({ method: 'GET', url: '/doi-tac/cau-hoi', headers: p.login.headers })
const api = (token: string) => t.app.inject({ method: 'GET', url: '/api/v1/inquiries', headers: { authorization: `Bearer ${token}` } })

describe('a revoked partner', () => {
  it('loses every session and every token in the revoking transaction, audited with counts', async () => {
    const p = await partnerWithAccess()
    expect((await page(p)).statusCode).toBe(200)
    expect((await api(p.tokens[0] as string)).statusCode).toBe(200)

    await setStatus(p.partner.id, 'revoked')

    // No job ran: the rows are gone the moment the decision committed.
    expect(await sessionsOf(p.user.id)).toEqual([])
    expect(await activeTokensOf(p.user.id)).toEqual([])
    const after = await page(p)
    expect(after.statusCode).not.toBe(200)
    expect(after.body).not.toContain('cau-hoi/moi')
    const token = await api(p.tokens[0] as string)
    expect(token.statusCode).toBe(401)
    expect(token.headers['www-authenticate']).toContain('invalid_token')

    const [row] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'portal.access_ended'), eq(auditEvents.subjectId, p.partner.id)))
    expect(row?.summary).toEqual({ userId: p.user.id, sessionsEnded: 1, tokensRevoked: 2 })
  })

  it('leaves another partner untouched', async () => {
    const a = await partnerWithAccess()
    const b = await partnerWithAccess()
    await setStatus(a.partner.id, 'revoked')
    expect(await sessionsOf(b.user.id)).toHaveLength(1)
    expect(await activeTokensOf(b.user.id)).toHaveLength(2)
    expect((await page(b)).statusCode).toBe(200)
  })
})

describe('a suspended or expired partner', () => {
  it.each(['suspended', 'expired'] as const)('keeps sessions and tokens when %s (still reads their questions)', async (to) => {
    const p = await partnerWithAccess()
    await setStatus(p.partner.id, to)
    expect(await sessionsOf(p.user.id)).toHaveLength(1)
    expect(await activeTokensOf(p.user.id)).toHaveLength(2)
    expect((await page(p)).statusCode).toBe(200)
    expect((await api(p.tokens[0] as string)).statusCode).toBe(200)
    const ended = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'portal.access_ended'), eq(auditEvents.subjectId, p.partner.id)))
    expect(ended).toEqual([])
  })
})
