/**
 * What a partner did, for their registry page: how many questions they asked and files they
 * downloaded, with the latest few of each. Read through the owning modules' own queries
 * (inquiries' repository, the portal's download log, which masks releases of sealed cases for
 * this reader), so the page cannot show more than the full lists it links to.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import type { Actor } from '../../../platform/policy/index.ts'
import { listPartnerInquiries } from '../../inquiries/inquiries.repository.ts'
import { inquiries } from '../../inquiries/inquiries.tables.ts'
import { listDownloads } from '../../portal/content/content.queries.ts'
import { partnerDownloads } from '../../portal/content/content.tables.ts'

/** Rows of each kind shown on the page (the links lead to the rest). */
export const ACTIVITY_LATEST = 5

/** The partner's activity as the detail page shows it. */
export interface PartnerActivity {
  inquiryCount: number
  inquiries: Awaited<ReturnType<typeof listPartnerInquiries>>
  downloadCount: number
  downloads: Awaited<ReturnType<typeof listDownloads>>['rows']
}

/** Counts and latest rows of `partnerId`'s inquiries and downloads (the route has authorised `actor`). */
export async function partnerActivity(db: Db, actor: Actor, partnerId: string): Promise<PartnerActivity> {
  const count = sql<number>`count(*)::int`
  const [latestInquiries, [asked], downloads, [fetched]] = await Promise.all([
    listPartnerInquiries(db, actor.tenantId, partnerId, ACTIVITY_LATEST),
    db
      .select({ n: count })
      .from(inquiries)
      .where(and(eq(inquiries.tenantId, actor.tenantId), eq(inquiries.partnerId, partnerId))),
    listDownloads(db, actor, { partnerId }),
    db
      .select({ n: count })
      .from(partnerDownloads)
      .where(and(eq(partnerDownloads.tenantId, actor.tenantId), eq(partnerDownloads.partnerId, partnerId))),
  ])
  return {
    inquiryCount: asked?.n ?? 0,
    inquiries: latestInquiries,
    downloadCount: fetched?.n ?? 0,
    downloads: downloads.rows.slice(0, ACTIVITY_LATEST),
  }
}
