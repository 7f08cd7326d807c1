/**
 * A partner's account, made at their first sign-in: partners have no password and no TOTP;
 * the account exists so that sessions, audit rows and the portal can name them.
 */
import { and, eq, isNull, ne } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { isStaffRole } from '../../../../platform/policy/index.ts'
import { users } from '../../../accounts/accounts.tables.ts'
import { findUser, findUserByEmail, type User } from '../../../accounts/users.ts'
import { type PartnerRow, partners } from '../../../partners/partners.tables.ts'

/**
 * The account linked to `partner`, creating it (role = the partner's kind, name, e-mail, active,
 * no password, no TOTP) and linking `partners.user_id` in `tx` when there is none. An existing
 * account with the partner's e-mail is linked instead, if it is a partner account that no other
 * live record holds. Refuses a staff account (PORTAL_STAFF_ACCOUNT) and a disabled one
 * (ACCOUNT_DISABLED). Fails closed.
 */
export async function ensurePartnerAccount(tx: Tx, o: { partner: PartnerRow; ip?: string }): Promise<{ user: User; created: boolean }> {
  const { partner } = o
  let user: User | undefined
  if (partner.userId) {
    user = await findUser(tx, partner.tenantId, partner.userId)
    if (!user) throw new AppError('PARTNER_REQUIRED')
  } else {
    if (!partner.email) throw new AppError('PARTNER_REQUIRED')
    user = await findUserByEmail(tx, partner.tenantId, partner.email)
    if (user && !isStaffRole(user.role)) {
      // An account another live record already holds is not taken over.
      const [other] = await tx
        .select({ id: partners.id })
        .from(partners)
        .where(
          and(
            eq(partners.tenantId, partner.tenantId),
            eq(partners.userId, user.id),
            isNull(partners.mergedInto),
            ne(partners.id, partner.id),
          ),
        )
      if (other) throw new AppError('PARTNER_REQUIRED')
    }
  }
  if (user && isStaffRole(user.role)) throw new AppError('PORTAL_STAFF_ACCOUNT')
  if (user && user.status !== 'active') throw new AppError('ACCOUNT_DISABLED')
  let created = false
  if (!user) {
    const [row] = await tx
      .insert(users)
      .values({
        tenantId: partner.tenantId,
        email: partner.email as string,
        name: partner.name,
        role: partner.kind,
        status: 'active',
        passwordHash: null,
        totpSecret: null,
      })
      .returning()
    user = row as User
    created = true
  }
  if (partner.userId !== user.id) {
    await tx.update(partners).set({ userId: user.id }).where(eq(partners.id, partner.id))
  }
  if (created) {
    await recordAudit(tx, {
      tenantId: partner.tenantId,
      actor: { id: user.id, label: user.email },
      action: 'portal.account_created',
      subjectType: 'partner',
      subjectId: partner.id,
      summary: { userId: user.id, role: user.role },
      ip: o.ip,
    })
  }
  return { user, created }
}
