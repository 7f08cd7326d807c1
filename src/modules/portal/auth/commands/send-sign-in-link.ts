/**
 * The job behind /doi-tac/dang-nhap: looks the address up and, for a live partner who may sign
 * in, issues a single-use link (15 minutes; token and browser nonce stored as SHA-256) and mails
 * it, in one transaction with its audit row. Unknown addresses, revoked partners and staff
 * accounts get nothing (and the person who typed the address sees the same answer).
 */
import { and, eq, lt } from 'drizzle-orm'
import type { Db, Tx } from '../../../../db/index.ts'
import { withTransaction } from '../../../../db/index.ts'
import type { Database } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { randomToken, tokenHash } from '../../../../platform/auth/secrets.ts'
import { now } from '../../../../platform/clock.ts'
import { t } from '../../../../platform/i18n/index.ts'
import { queueMail } from '../../../../platform/mail/index.ts'
import { isStaffRole } from '../../../../platform/policy/index.ts'
import { users } from '../../../accounts/accounts.tables.ts'
import { findUserByEmail } from '../../../accounts/users.ts'
import type { PartnerRow } from '../../../partners/partners.tables.ts'
import { signInLinks } from '../auth.tables.ts'
import { partnerByEmailKey, signInEmailKeyOrNull } from '../partner-lookup.ts'
import type { SignInLinkJobData } from './request-sign-in-link.ts'

/** A link lives 15 minutes. */
export const LINK_TTL_MS = 15 * 60_000

/** The address of the confirm page for a token. */
export function signInLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/doi-tac/dang-nhap/lien-ket?token=${encodeURIComponent(token)}`
}

/**
 * True when the partner's account (linked, or an account with the same e-mail that a first
 * sign-in would link) is a staff account: staff sign in at /console/sign-in with TOTP.
 */
export async function isStaffAccountOf(db: Db | Tx, partner: PartnerRow): Promise<boolean> {
  if (partner.userId) {
    const [u] = await db.select({ role: users.role }).from(users).where(eq(users.id, partner.userId))
    return !!u && isStaffRole(u.role)
  }
  if (!partner.email) return false
  const u = await findUserByEmail(db, partner.tenantId, partner.email)
  return !!u && isStaffRole(u.role)
}

/** Why no link was sent (kept in the audit row; never shown to the asker). */
type Skip = 'unknown' | 'revoked' | 'staff_account' | 'no_address'

/**
 * Issues and mails the link, or does nothing for an address that may not sign in. Returns
 * what happened (for tests and logs).
 */
export async function sendSignInLink(database: Database, data: SignInLinkJobData): Promise<'sent' | Skip> {
  const email = signInEmailKeyOrNull(data.email)
  if (!email) return 'unknown'
  return withTransaction(database.pool, async (tx) => {
    const partner = await partnerByEmailKey(tx, data.tenantId, email)
    if (!partner) return 'unknown'
    let skip: Skip | null = null
    if (partner.status === 'revoked') skip = 'revoked'
    else if (await isStaffAccountOf(tx, partner)) skip = 'staff_account'
    else if (!partner.email) skip = 'no_address'
    if (skip) {
      await recordAudit(tx, {
        tenantId: data.tenantId,
        actor: { id: null, label: email },
        action: 'portal.sign_in_refused',
        subjectType: 'partner',
        subjectId: partner.id,
        summary: { method: 'link', reason: skip, step: 'request' },
        ip: data.ip,
      })
      return skip
    }
    const token = randomToken(32)
    const at = now()
    // Links long past their use are kept a week (for questions about a sign-in), then dropped.
    await tx
      .delete(signInLinks)
      .where(and(eq(signInLinks.tenantId, data.tenantId), lt(signInLinks.expiresAt, new Date(at.getTime() - 7 * 86_400_000))))
    const expiresAt = new Date(at.getTime() + LINK_TTL_MS)
    await tx.insert(signInLinks).values({
      tenantId: data.tenantId,
      partnerId: partner.id,
      tokenHash: tokenHash(token),
      nonceHash: data.nonceHash,
      requestedIp: data.ip.slice(0, 100),
      expiresAt,
      createdAt: at,
    })
    // The partner's language is not known: Vietnamese first, then English, in one message.
    const url = signInLinkUrl(data.publicUrl, token)
    const params = { name: partner.name, url, minutes: LINK_TTL_MS / 60_000 }
    await queueMail(tx, {
      tenantId: data.tenantId,
      to: partner.email as string,
      subject: `${t('vi', 'portal.auth.mail.subject')} / ${t('en', 'portal.auth.mail.subject')}`,
      text: `${t('vi', 'portal.auth.mail.body', params)}\n\n— English —\n\n${t('en', 'portal.auth.mail.body', params)}`,
    })
    await recordAudit(tx, {
      tenantId: data.tenantId,
      actor: { id: null, label: email },
      action: 'portal.sign_in_link_sent',
      subjectType: 'partner',
      subjectId: partner.id,
      summary: { expiresAt: expiresAt.toISOString() },
      ip: data.ip,
    })
    return 'sent'
  })
}
