/**
 * Finding the partner behind an e-mail address or a link, for signing in. No access checks:
 * the sign-in commands decide what each finding allows.
 */
import { and, eq, isNull } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { AppError, isAppError } from '../../../platform/errors.ts'
import { normalizePartnerEmail } from '../../partners/partners.normalize.ts'
import { type PartnerRow, partnerKeys, partners } from '../../partners/partners.tables.ts'

/**
 * The e-mail as a partner key (NFC, lower case, punycode domain: `partners.normalize.ts`), or
 * throws INVALID_EMAIL for something that cannot be an address.
 */
export function signInEmailKey(input: string): string {
  return normalizePartnerEmail(input.slice(0, 254))
}

/** Like {@link signInEmailKey}, but null instead of throwing (a job must not retry on bad input). */
export function signInEmailKeyOrNull(input: string): string | null {
  try {
    return signInEmailKey(input)
  } catch (e) {
    if (isAppError(e)) return null
    throw e
  }
}

/**
 * The live partner whose normalised e-mail key is `emailKey`. Keys follow a merge to the
 * survivor, so a merged person's old address finds the surviving record.
 */
export async function partnerByEmailKey(db: Db | Tx, tenantId: string, emailKey: string): Promise<PartnerRow | null> {
  const [row] = await db
    .select({ partner: partners })
    .from(partnerKeys)
    .innerJoin(partners, eq(partners.id, partnerKeys.partnerId))
    .where(
      and(eq(partnerKeys.tenantId, tenantId), eq(partnerKeys.kind, 'email'), eq(partnerKeys.value, emailKey), isNull(partners.mergedInto)),
    )
    .limit(1)
  return row?.partner ?? null
}

/**
 * The partner a link was issued to, following merges to the surviving record (a link mailed
 * just before staff merged two records still signs the person in). Throws PORTAL_LINK_INVALID
 * when the chain does not end in a live record.
 */
export async function livePartner(db: Db | Tx, tenantId: string, partnerId: string): Promise<PartnerRow> {
  let id: string | null = partnerId
  for (let hops = 0; id && hops < 10; hops++) {
    const [row]: PartnerRow[] = await db
      .select()
      .from(partners)
      .where(and(eq(partners.tenantId, tenantId), eq(partners.id, id)))
    if (!row) break
    if (!row.mergedInto) return row
    id = row.mergedInto
  }
  throw new AppError('PORTAL_LINK_INVALID')
}
