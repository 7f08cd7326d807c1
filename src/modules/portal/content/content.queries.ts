/**
 * What the partner portal reads: the home page's lists, the files a partner may download, the
 * partner's own profile, and the download log staff read. Embargoed releases come only from
 * `listEmbargoedForJournalists` and public ones only from `releases.public.ts` (the one
 * visibility rule); this file never decides on its own what a release's audience is.
 */
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { users } from '../../accounts/accounts.tables.ts'
import { caseHiddenFromSql } from '../../cases/cases.policy.ts'
import { listPublishedVerdicts } from '../../factcheck/factcheck.public.ts'
import { hasEmbargoAccess } from '../../partners/partners.actor.ts'
import { isUuid } from '../../partners/partners.normalize.ts'
import {
  type PartnerRow,
  partnerAcknowledgements,
  partnerChannels,
  partnerStatusHistory,
  partners,
  pressOutlets,
} from '../../partners/partners.tables.ts'
import { findPublicAttachment } from '../../releases/console/console.queries.ts'
import { listEmbargoedForJournalists, listPublicReleases } from '../../releases/releases.public.ts'
import { releaseAttachments, releaseEditions, releases } from '../../releases/releases.tables.ts'
import type { Actor } from '../../../platform/policy/index.ts'
import { partnerDownloads } from './content.tables.ts'

/** How many recent published releases the home page lists. */
export const RECENT_RELEASES = 20
/** How many verdict kits the home page lists. */
export const RECENT_VERDICTS = 10
/** Rows per page of the staff download log. */
export const DOWNLOADS_PAGE_SIZE = 50

/** An attachment as the portal lists it. */
export interface PortalFile {
  id: string
  releaseId: string
  fileName: string
  fileType: string
  sizeBytes: number
  alt: string
}

/** An embargoed release with its slug (the public address after the lift) and its files. */
export type PortalEmbargoed = Awaited<ReturnType<typeof listEmbargoedForJournalists>>[number] & {
  slug: string
  files: PortalFile[]
}

/**
 * The embargoed releases this partner may read now, with their files: none unless the live
 * record is accredited. The caller loaded `partner` in this request (`requirePartner`).
 */
export async function embargoedForPartner(db: Db, tenantId: string, partner: PartnerRow): Promise<PortalEmbargoed[]> {
  if (!hasEmbargoAccess(partner)) return []
  const items = await listEmbargoedForJournalists(db, tenantId)
  if (items.length === 0) return []
  const ids = items.map((i) => i.id)
  const [slugs, files] = await Promise.all([
    db
      .select({ id: releases.id, slug: releases.slug })
      .from(releases)
      .where(and(eq(releases.tenantId, tenantId), inArray(releases.id, ids))),
    filesOf(db, tenantId, ids),
  ])
  const slugOf = new Map(slugs.map((s) => [s.id, s.slug]))
  return items.map((i) => ({ ...i, slug: slugOf.get(i.id) ?? '', files: files.filter((f) => f.releaseId === i.id) }))
}

/** The attachments of releases the caller already knows the partner may see. */
async function filesOf(db: Db, tenantId: string, releaseIds: string[]): Promise<PortalFile[]> {
  return db
    .select({
      id: releaseAttachments.id,
      releaseId: releaseAttachments.releaseId,
      fileName: releaseAttachments.fileName,
      fileType: releaseAttachments.fileType,
      sizeBytes: releaseAttachments.sizeBytes,
      alt: releaseAttachments.alt,
    })
    .from(releaseAttachments)
    .where(and(eq(releaseAttachments.tenantId, tenantId), inArray(releaseAttachments.releaseId, releaseIds)))
    .orderBy(releaseAttachments.createdAt)
}

/** Everything the portal home shows a partner. */
export async function portalHome(db: Db, tenantId: string, partner: PartnerRow) {
  const [embargoed, recent, verdicts] = await Promise.all([
    embargoedForPartner(db, tenantId, partner),
    listPublicReleases(db, tenantId, { limit: RECENT_RELEASES }),
    listPublishedVerdicts(db, tenantId, { limit: RECENT_VERDICTS }),
  ])
  return { embargoed, recent, verdicts }
}

/** A file a partner asked for, and whether its release was under embargo when served. */
export interface PartnerFile {
  attachment: typeof releaseAttachments.$inferSelect
  embargoed: boolean
}

/**
 * The attachment `attachmentId` if this partner may download it NOW:
 * - of an embargoed release in the journalists' list → only for an accredited partner
 *   (`notAccredited` otherwise, so the page can say why);
 * - publicly downloadable (`findPublicAttachment`, the public files' rule) → any partner;
 * - anything else (draft, scheduled, sealed, withdrawn text, another tenant, a guessed id) →
 *   nothing, exactly like a missing id.
 */
export async function fileForPartner(
  db: Db,
  tenantId: string,
  partner: PartnerRow,
  attachmentId: string,
): Promise<PartnerFile | 'notAccredited' | undefined> {
  if (!isUuid(attachmentId)) return undefined
  const [row] = await db
    .select()
    .from(releaseAttachments)
    .where(and(eq(releaseAttachments.tenantId, tenantId), eq(releaseAttachments.id, attachmentId)))
  if (!row) return undefined
  const embargoed = await listEmbargoedForJournalists(db, tenantId)
  if (embargoed.some((r) => r.id === row.releaseId)) {
    return hasEmbargoAccess(partner) ? { attachment: row, embargoed: true } : 'notAccredited'
  }
  const pub = await findPublicAttachment(db, tenantId, attachmentId)
  return pub ? { attachment: pub, embargoed: false } : undefined
}

/** The partner's own profile: record, outlet, channels, status history, acknowledgements. */
export async function partnerProfile(db: Db, tenantId: string, partner: PartnerRow) {
  const [outlet, channels, history, acknowledgements] = await Promise.all([
    partner.outletId
      ? db
          .select({ name: pressOutlets.name })
          .from(pressOutlets)
          .where(and(eq(pressOutlets.tenantId, tenantId), eq(pressOutlets.id, partner.outletId)))
          .then((r) => r[0]?.name ?? null)
      : Promise.resolve(null),
    db
      .select()
      .from(partnerChannels)
      .where(and(eq(partnerChannels.tenantId, tenantId), eq(partnerChannels.partnerId, partner.id)))
      .orderBy(partnerChannels.createdAt),
    db
      .select({
        fromStatus: partnerStatusHistory.fromStatus,
        toStatus: partnerStatusHistory.toStatus,
        reason: partnerStatusHistory.reason,
        at: partnerStatusHistory.at,
      })
      .from(partnerStatusHistory)
      .where(and(eq(partnerStatusHistory.tenantId, tenantId), eq(partnerStatusHistory.partnerId, partner.id)))
      .orderBy(desc(partnerStatusHistory.at), desc(partnerStatusHistory.id)),
    db
      .select({
        textVersion: partnerAcknowledgements.textVersion,
        signedAt: partnerAcknowledgements.signedAt,
        method: partnerAcknowledgements.method,
      })
      .from(partnerAcknowledgements)
      .where(and(eq(partnerAcknowledgements.tenantId, tenantId), eq(partnerAcknowledgements.partnerId, partner.id)))
      .orderBy(desc(partnerAcknowledgements.signedAt)),
  ])
  return { partner, outlet, channels, history, acknowledgements }
}

/** Filters of the staff download log. */
export interface DownloadFilter {
  partnerId?: string
  releaseId?: string
  page?: number
}

/**
 * The download log for staff, newest first, one page. A release linked to a case sealed to
 * this reader keeps its row (someone did download) but not its title or file name.
 */
export async function listDownloads(db: Db, actor: Actor, f: DownloadFilter) {
  const where: SQL[] = [eq(partnerDownloads.tenantId, actor.tenantId)]
  if (f.partnerId && isUuid(f.partnerId)) where.push(eq(partnerDownloads.partnerId, f.partnerId))
  else if (f.partnerId) where.push(sql`false`)
  if (f.releaseId && isUuid(f.releaseId)) where.push(eq(partnerDownloads.releaseId, f.releaseId))
  else if (f.releaseId) where.push(sql`false`)
  const page = Math.max(1, Math.min(f.page ?? 1, 10_000))
  const hidden = caseHiddenFromSql(actor, releases.caseId)
  const rows = await db
    .select({
      id: partnerDownloads.id,
      at: partnerDownloads.at,
      ip: partnerDownloads.ip,
      userAgent: partnerDownloads.userAgent,
      embargoed: partnerDownloads.embargoed,
      partnerId: partnerDownloads.partnerId,
      partnerName: partners.name,
      partnerKind: partners.kind,
      userEmail: users.email,
      releaseId: partnerDownloads.releaseId,
      attachmentId: partnerDownloads.attachmentId,
      hidden: sql<boolean>`${hidden}`.mapWith(Boolean),
      fileName: sql<string>`CASE WHEN ${hidden} THEN '' ELSE ${releaseAttachments.fileName} END`,
      title: sql<string>`CASE WHEN ${hidden} THEN '' ELSE ${releaseEditions.title} END`,
    })
    .from(partnerDownloads)
    .innerJoin(partners, eq(partners.id, partnerDownloads.partnerId))
    .innerJoin(users, eq(users.id, partnerDownloads.userId))
    .innerJoin(releaseAttachments, eq(releaseAttachments.id, partnerDownloads.attachmentId))
    .innerJoin(releases, eq(releases.id, partnerDownloads.releaseId))
    .leftJoin(releaseEditions, eq(releaseEditions.id, sql`coalesce(${releases.publishedEditionId}, ${releases.workingEditionId})`))
    .where(and(...where))
    .orderBy(desc(partnerDownloads.at), desc(partnerDownloads.id))
    .limit(DOWNLOADS_PAGE_SIZE + 1)
    .offset((page - 1) * DOWNLOADS_PAGE_SIZE)
  return { rows: rows.slice(0, DOWNLOADS_PAGE_SIZE), page, hasMore: rows.length > DOWNLOADS_PAGE_SIZE }
}

/** How many files `partnerId` downloaded (all releases; the list masks what the reader may not see). */
export async function countDownloads(db: Db, tenantId: string, partnerId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(partnerDownloads)
    .where(and(eq(partnerDownloads.tenantId, tenantId), eq(partnerDownloads.partnerId, partnerId)))
  return row?.n ?? 0
}
