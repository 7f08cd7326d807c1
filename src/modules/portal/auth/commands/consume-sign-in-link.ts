/**
 * Step 2 of signing in by e-mail: the partner presses "Đăng nhập" on the link's page (a POST,
 * so a mail scanner's GET never uses the link up). The link is checked (unknown, used, expired,
 * other browser, revoked partner), used once by a conditional UPDATE, the account is made on
 * the first sign-in, and a full session is created, all in one transaction with the audit row.
 * Refusals are audited after the rollback.
 */
import { and, eq, gt, isNull } from 'drizzle-orm'
import type { Database, Db, Tx } from '../../../../db/index.ts'
import { withTransaction } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { safeEqual, tokenHash } from '../../../../platform/auth/secrets.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError, isAppError } from '../../../../platform/errors.ts'
import { createSession, deleteSession, type SessionLimits } from '../../../accounts/sessions.ts'
import type { PartnerRow } from '../../../partners/partners.tables.ts'
import { signInLinks } from '../auth.tables.ts'
import { livePartner } from '../partner-lookup.ts'
import { ensurePartnerAccount } from './ensure-partner-account.ts'

type LinkRow = typeof signInLinks.$inferSelect

/** A link's row if it exists and is still usable from this browser; throws the reason otherwise. */
export async function checkSignInLink(
  db: Db | Tx,
  o: { tenantId: string; token: unknown; nonce: string | undefined },
): Promise<{ link: LinkRow; partner: PartnerRow }> {
  const token = o.token
  if (typeof token !== 'string' || token.length < 20 || token.length > 100) throw new AppError('PORTAL_LINK_INVALID')
  const [link] = await db
    .select()
    .from(signInLinks)
    .where(and(eq(signInLinks.tenantId, o.tenantId), eq(signInLinks.tokenHash, tokenHash(token))))
  if (!link) throw new AppError('PORTAL_LINK_INVALID')
  if (link.usedAt) throw new AppError('PORTAL_LINK_USED')
  if (link.expiresAt <= now()) throw new AppError('PORTAL_LINK_EXPIRED')
  // Forwarded or opened on another device: refused, and left unused for the right browser.
  if (!o.nonce || o.nonce.length > 100 || !safeEqual(tokenHash(o.nonce), link.nonceHash)) throw new AppError('PORTAL_LINK_OTHER_BROWSER')
  const partner = await livePartner(db, o.tenantId, link.partnerId)
  if (partner.status === 'revoked') throw new AppError('PORTAL_PARTNER_REVOKED')
  return { link, partner }
}

/** Options of {@link consumeSignInLink}. */
export interface ConsumeSignInLinkOptions {
  database: Database
  tenantId: string
  token: unknown
  /** The nonce cookie of this browser (set when it asked for the link). */
  nonce: string | undefined
  /** The session this browser had before (replaced by the new one). */
  previousSessionId?: string
  limits: SessionLimits
  ip: string
  userAgent?: string
}

/** Uses the link once and signs the partner in; returns the new session's cookie token. */
export async function consumeSignInLink(
  o: ConsumeSignInLinkOptions,
): Promise<{ token: string; partnerId: string; userId: string; created: boolean }> {
  try {
    return await withTransaction(o.database.pool, async (tx) => {
      const { link, partner } = await checkSignInLink(tx, o)
      const used = await tx
        .update(signInLinks)
        .set({ usedAt: now() })
        .where(and(eq(signInLinks.id, link.id), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now())))
        .returning({ id: signInLinks.id })
      // Two presses at once: the second finds the link used.
      if (used.length === 0) throw new AppError('PORTAL_LINK_USED')
      const { user, created } = await ensurePartnerAccount(tx, { partner, ip: o.ip })
      if (o.previousSessionId) await deleteSession(tx, o.previousSessionId)
      const token = await createSession(tx, {
        userId: user.id,
        tenantId: o.tenantId,
        stage: 'full',
        limits: o.limits,
        ip: o.ip,
        userAgent: o.userAgent,
      })
      await recordAudit(tx, {
        tenantId: o.tenantId,
        actor: { id: user.id, label: user.email },
        action: 'portal.signed_in',
        subjectType: 'partner',
        subjectId: partner.id,
        summary: { method: 'link', status: partner.status, accountCreated: created },
        ip: o.ip,
      })
      return { token, partnerId: partner.id, userId: user.id, created }
    })
  } catch (e) {
    if (isAppError(e) && e.code !== 'PORTAL_LINK_INVALID') await auditRefusal(o, e.code)
    throw e
  }
}

/** A refused link, in the chain (written after the rollback). Unknown tokens are not logged. */
async function auditRefusal(o: ConsumeSignInLinkOptions, reason: string): Promise<void> {
  const token = typeof o.token === 'string' ? o.token : ''
  await withTransaction(o.database.pool, async (tx) => {
    const [link] = await tx
      .select({ partnerId: signInLinks.partnerId })
      .from(signInLinks)
      .where(and(eq(signInLinks.tenantId, o.tenantId), eq(signInLinks.tokenHash, tokenHash(token))))
    await recordAudit(tx, {
      tenantId: o.tenantId,
      actor: { id: null, label: 'sign-in link' },
      action: 'portal.sign_in_refused',
      subjectType: 'partner',
      subjectId: link?.partnerId ?? null,
      summary: { method: 'link', reason },
      ip: o.ip,
    })
  })
}
