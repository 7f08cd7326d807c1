/**
 * What a partner did, for their registry page: one block per module that keeps partner activity
 * (inquiries, downloads), each read through that module's own queries, so the page cannot show
 * more than the full lists it links to. The modules register in partners.extensions.ts.
 */
import type { Db } from '../../../db/index.ts'
import type { Locale } from '../../../platform/i18n/index.ts'
import type { Actor } from '../../../platform/policy/index.ts'
import { type PartnerActivityBlock, partnerDataHolders } from '../partners.extensions.ts'

/** Rows of each kind shown on the page (the links lead to the rest). */
export const ACTIVITY_LATEST = 5

/** The partner's activity blocks as the detail page shows them (the route has authorised `actor`). */
export async function partnerActivity(db: Db, actor: Actor, partnerId: string, locale: Locale): Promise<PartnerActivityBlock[]> {
  return Promise.all(
    partnerDataHolders().flatMap((h) => (h.activity ? [h.activity({ db, actor, partnerId, limit: ACTIVITY_LATEST, locale })] : [])),
  )
}
