/**
 * The partner behind a signed-in account. A partner's account (`users.role` journalist or
 * influencer) is linked from `partners.user_id`; merged rows never count. Every partner-facing
 * surface (portal, inquiries, API tokens) asks here, and asks on every request: a suspension
 * takes effect at once, open sessions and tokens included.
 */
import { and, eq, isNull } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import { AppError } from '../../platform/errors.ts'
import { type Actor, isStaffRole } from '../../platform/policy/index.ts'
import { type PartnerRow, partners } from './partners.tables.ts'

/** The live (not merged) partner linked to `userId` in `tenantId`, or null. */
export async function partnerOfUser(db: Db | Tx, tenantId: string, userId: string): Promise<PartnerRow | null> {
  const [row] = await db
    .select()
    .from(partners)
    .where(and(eq(partners.tenantId, tenantId), eq(partners.userId, userId), isNull(partners.mergedInto)))
    .limit(1)
  return row ?? null
}

/**
 * The partner of `actor`; throws 401 without an actor and 403 (PARTNER_REQUIRED) for staff or
 * for an account with no live partner record. Fails closed.
 */
export async function requirePartner(db: Db | Tx, actor: Actor | null | undefined): Promise<PartnerRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED')
  if (isStaffRole(actor.role)) throw new AppError('PARTNER_REQUIRED')
  const partner = await partnerOfUser(db, actor.tenantId, actor.id)
  if (!partner) throw new AppError('PARTNER_REQUIRED')
  return partner
}

/** True when the partner may see embargoed material now: accredited, nothing else. */
export function hasEmbargoAccess(partner: Pick<PartnerRow, 'status'> | null | undefined): boolean {
  return partner?.status === 'accredited'
}
