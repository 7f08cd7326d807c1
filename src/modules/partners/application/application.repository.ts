/** Reads of applications: the review queue, its count, the status page (no access checks: callers authorise first). */
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { tokenHash } from '../../../platform/auth/secrets.ts'
import { type PartnerRow, partnerStatusHistory, partners, pressOutlets } from '../partners.tables.ts'
import {
  type ApplicationFileRow,
  type ApplicationRow,
  partnerApplicationAnswers,
  partnerApplicationFiles,
  partnerApplicationLinks,
  partnerApplications,
} from './application.tables.ts'

/** Partner statuses that wait on staff in the review queue. */
export const WAITING_STATUSES = ['applied', 'more_info_needed', 'verified'] as const

/** One item of the review queue. */
export interface QueueItem {
  /** The partner waiting, or null for a duplicate application not made into a partner. */
  partner: PartnerRow | null
  /** The application behind it (null for a partner staff entered by hand). */
  application: ApplicationRow | null
  outletName: string | null
  /** The existing partner a duplicate application shares keys with. */
  duplicateOf: { id: string; name: string; status: string } | null
  files: ApplicationFileRow[]
  /** The latest question staff asked, and the answers given. */
  question: string | null
  answers: { round: number; answer: string; createdAt: Date }[]
  /** Since when it has waited in its current state. */
  since: Date
}

/**
 * The review queue of a tenant: live partners in applied, more_info_needed or verified (with
 * the application they came from, if any), and verified applications flagged as duplicates of
 * an existing partner, oldest waiting first.
 */
export async function listReviewQueue(db: Db | Tx, tenantId: string, limit = 200): Promise<QueueItem[]> {
  const waiting = await db
    .select()
    .from(partners)
    .where(and(eq(partners.tenantId, tenantId), isNull(partners.mergedInto), inArray(partners.status, [...WAITING_STATUSES])))
    .orderBy(asc(partners.statusChangedAt))
    .limit(limit)
  const dupApps = await db
    .select()
    .from(partnerApplications)
    .where(
      and(
        eq(partnerApplications.tenantId, tenantId),
        eq(partnerApplications.state, 'verified'),
        isNotNull(partnerApplications.duplicateOf),
      ),
    )
    .orderBy(asc(partnerApplications.verifiedAt))
    .limit(limit)
  const partnerIds = waiting.map((p) => p.id)
  const apps = partnerIds.length
    ? await db
        .select()
        .from(partnerApplications)
        .where(and(inArray(partnerApplications.partnerId, partnerIds), eq(partnerApplications.state, 'verified')))
    : []
  const allApps = [...apps, ...dupApps]
  const appIds = allApps.map((a) => a.id)
  const files = appIds.length
    ? await db
        .select()
        .from(partnerApplicationFiles)
        .where(inArray(partnerApplicationFiles.applicationId, appIds))
        .orderBy(asc(partnerApplicationFiles.createdAt))
    : []
  const answers = appIds.length
    ? await db
        .select()
        .from(partnerApplicationAnswers)
        .where(inArray(partnerApplicationAnswers.applicationId, appIds))
        .orderBy(asc(partnerApplicationAnswers.round))
    : []
  const outletIds = [...new Set([...waiting, ...allApps].map((x) => x.outletId).filter((x): x is string => !!x))]
  const outlets = outletIds.length
    ? await db.select({ id: pressOutlets.id, name: pressOutlets.name }).from(pressOutlets).where(inArray(pressOutlets.id, outletIds))
    : []
  const dupIds = [...new Set(dupApps.map((a) => a.duplicateOf as string))]
  const dupPartners = dupIds.length
    ? await db.select({ id: partners.id, name: partners.name, status: partners.status }).from(partners).where(inArray(partners.id, dupIds))
    : []
  const questions = partnerIds.length
    ? await db
        .selectDistinctOn([partnerStatusHistory.partnerId], {
          partnerId: partnerStatusHistory.partnerId,
          reason: partnerStatusHistory.reason,
        })
        .from(partnerStatusHistory)
        .where(and(inArray(partnerStatusHistory.partnerId, partnerIds), eq(partnerStatusHistory.toStatus, 'more_info_needed')))
        .orderBy(partnerStatusHistory.partnerId, desc(partnerStatusHistory.at))
    : []
  const outletName = (id: string | null, typed: string | null) => (id ? (outlets.find((o) => o.id === id)?.name ?? null) : typed)
  const itemOf = (partner: PartnerRow | null, application: ApplicationRow | null): QueueItem => ({
    partner,
    application,
    outletName: outletName(partner?.outletId ?? application?.outletId ?? null, application?.outletName ?? null),
    duplicateOf: application?.duplicateOf ? (dupPartners.find((d) => d.id === application.duplicateOf) ?? null) : null,
    files: application ? files.filter((f) => f.applicationId === application.id) : [],
    question: partner ? (questions.find((q) => q.partnerId === partner.id)?.reason ?? null) : null,
    answers: application ? answers.filter((a) => a.applicationId === application.id) : [],
    since: partner?.statusChangedAt ?? application?.verifiedAt ?? application?.createdAt ?? new Date(0),
  })
  const items = [...waiting.map((p) => itemOf(p, apps.find((a) => a.partnerId === p.id) ?? null)), ...dupApps.map((a) => itemOf(null, a))]
  return items.sort((a, b) => a.since.getTime() - b.since.getTime()).slice(0, limit)
}

/** How many items wait in the review queue (the menu badge): one small query. */
export async function countReviewQueue(db: Db | Tx, tenantId: string): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`
    SELECT (SELECT count(*) FROM partners WHERE tenant_id = ${tenantId} AND merged_into IS NULL
              AND status IN ('applied', 'more_info_needed', 'verified'))
         + (SELECT count(*) FROM partner_applications WHERE tenant_id = ${tenantId} AND state = 'verified'
              AND duplicate_of IS NOT NULL) AS n`)
  return Number(r.rows[0]?.n ?? 0)
}

/** The application of a private status token, or null. */
export async function applicationByStatusToken(db: Db | Tx, tenantId: string, token: string): Promise<ApplicationRow | null> {
  const [row] = await db
    .select({ app: partnerApplications })
    .from(partnerApplicationLinks)
    .innerJoin(partnerApplications, eq(partnerApplications.id, partnerApplicationLinks.applicationId))
    .where(and(eq(partnerApplicationLinks.tokenHash, tokenHash(token)), eq(partnerApplicationLinks.tenantId, tenantId)))
  return row?.app ?? null
}

/** What the applicant's status page shows. */
export interface ApplicationStatus {
  application: ApplicationRow
  /** The partner's status and since when (null: a duplicate, or not a partner). */
  partner: { status: PartnerRow['status']; since: Date } | null
  /** The latest question of staff while more information is needed. */
  question: string | null
  /** The latest reason given for a refusal (revoked). */
  reason: string | null
}

/** The status of an application as its applicant may see it. */
export async function applicationStatus(db: Db | Tx, app: ApplicationRow): Promise<ApplicationStatus> {
  if (!app.partnerId) return { application: app, partner: null, question: null, reason: null }
  // Follow a merge: the surviving record is the applicant's now.
  const [p] = await db
    .select({ status: partners.status, since: partners.statusChangedAt, mergedInto: partners.mergedInto })
    .from(partners)
    .where(eq(partners.id, app.partnerId))
  let partner = p ? { status: p.status, since: p.since } : null
  let partnerId = app.partnerId
  if (p?.mergedInto) {
    const [s] = await db
      .select({ status: partners.status, since: partners.statusChangedAt })
      .from(partners)
      .where(eq(partners.id, p.mergedInto))
    partner = s ?? partner
    partnerId = p.mergedInto
  }
  const [last] = await db
    .select({ to: partnerStatusHistory.toStatus, reason: partnerStatusHistory.reason })
    .from(partnerStatusHistory)
    .where(eq(partnerStatusHistory.partnerId, partnerId))
    .orderBy(desc(partnerStatusHistory.at), desc(partnerStatusHistory.id))
    .limit(1)
  return {
    application: app,
    partner,
    question: partner?.status === 'more_info_needed' && last?.to === 'more_info_needed' ? last.reason : null,
    reason: partner?.status === 'revoked' && last?.to === 'revoked' ? last.reason : null,
  }
}

/** A proof file of the tenant, or null. */
export async function applicationFile(db: Db | Tx, tenantId: string, fileId: string): Promise<ApplicationFileRow | null> {
  const [row] = await db
    .select()
    .from(partnerApplicationFiles)
    .where(and(eq(partnerApplicationFiles.id, fileId), eq(partnerApplicationFiles.tenantId, tenantId)))
  return row ?? null
}

/** Press outlets to pick from on the form. */
export async function outletChoices(db: Db | Tx, tenantId: string): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: pressOutlets.id, name: pressOutlets.name })
    .from(pressOutlets)
    .where(eq(pressOutlets.tenantId, tenantId))
    .orderBy(asc(pressOutlets.name))
    .limit(500)
}
