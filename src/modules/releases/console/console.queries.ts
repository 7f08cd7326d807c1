/**
 * Reads the release console needs beyond the domain repository: attachments, the approval
 * queue, the calendar, and display names. Lists use the same visibility rule as the policy
 * (`releaseVisibleTo`): a release linked to a sealed case shows only to its members, admins
 * included (an admin who is not a member reaches it only by break-glass).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { users } from '../../accounts/accounts.tables.ts'
import { cases } from '../../cases/cases.tables.ts'
import type { Actor } from '../../../platform/policy/index.ts'
import { hasPublicPage, publicTextSql } from '../releases.public.ts'
import { listReleasesFor, type ReleaseListRow, releaseVisibleTo } from '../releases.repository.ts'
import { type EditionContribution, releaseAttachments, releaseEditions, releases } from '../releases.tables.ts'
import type { Person } from './contributors.tsx'

/** An attachment row. */
export type Attachment = typeof releaseAttachments.$inferSelect

/** The attachments of a release, oldest first. */
export async function listAttachments(db: Db | Tx, tenantId: string, releaseId: string): Promise<Attachment[]> {
  return db
    .select()
    .from(releaseAttachments)
    .where(and(eq(releaseAttachments.tenantId, tenantId), eq(releaseAttachments.releaseId, releaseId)))
    .orderBy(asc(releaseAttachments.createdAt))
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** One attachment of one release (the caller has authorised reading the release). */
export async function findAttachment(db: Db, tenantId: string, releaseId: string, fileId: string): Promise<Attachment | undefined> {
  if (!UUID_RE.test(fileId)) return undefined
  const [row] = await db
    .select()
    .from(releaseAttachments)
    .where(and(eq(releaseAttachments.tenantId, tenantId), eq(releaseAttachments.releaseId, releaseId), eq(releaseAttachments.id, fileId)))
  return row
}

/**
 * An attachment the public may download: its release has a public page (published or
 * withdrawn keeping its text, never gone, never linked to a sealed case — the one rule of `releases.public.ts`),
 * and the file was added before the public edition was published, so files uploaded for a
 * correction that is still a draft stay private until that correction goes out.
 */
export async function findPublicAttachment(db: Db, tenantId: string, fileId: string): Promise<Attachment | undefined> {
  if (!UUID_RE.test(fileId)) return undefined
  const [row] = await db
    .select({ a: releaseAttachments })
    .from(releaseAttachments)
    .innerJoin(releases, eq(releases.id, releaseAttachments.releaseId))
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
    .where(
      and(
        eq(releaseAttachments.id, fileId),
        eq(releaseAttachments.tenantId, tenantId),
        hasPublicPage(tenantId),
        sql`${releases.status} <> 'gone'`,
        // A withdrawal that removed the text removes its files too (a photo is text enough).
        publicTextSql(),
        sql`${releaseEditions.publishedAt} IS NOT NULL AND ${releaseAttachments.createdAt} <= ${releaseEditions.publishedAt}`,
      ),
    )
  return row?.a
}

/** A row of the approval queue. */
export interface QueueRow {
  id: string
  kind: string
  status: string
  title: string
  editionNumber: number
  submittedBy: string | null
  submitterEmail: string | null
  submittedAt: Date | null
  caseCode: string | null
  caseState: string | null
  correction: boolean
  /** Who wrote or changed the edition's text (none of them may approve it). */
  contributors: EditionContribution[]
}

/** Submitted editions `actor` may see, oldest submission first. */
export async function approvalQueue(db: Db, actor: Actor): Promise<QueueRow[]> {
  return db
    .select({
      id: releases.id,
      kind: releases.kind,
      status: releases.status,
      title: releaseEditions.title,
      editionNumber: releaseEditions.number,
      submittedBy: releaseEditions.submittedBy,
      submitterEmail: users.email,
      submittedAt: releaseEditions.submittedAt,
      caseCode: cases.code,
      caseState: cases.state,
      correction: sql<boolean>`${releases.publishedEditionId} IS NOT NULL`,
      contributors: releaseEditions.contributors,
    })
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.workingEditionId))
    .leftJoin(users, eq(users.id, releaseEditions.submittedBy))
    .leftJoin(cases, eq(cases.id, releases.caseId))
    .where(and(eq(releases.tenantId, actor.tenantId), eq(releaseEditions.status, 'submitted'), releaseVisibleTo(actor)))
    .orderBy(asc(releaseEditions.submittedAt))
    .limit(500)
}

/** Scheduled and embargoed releases `actor` may see, by lift time. */
export async function calendarItems(db: Db, actor: Actor): Promise<ReleaseListRow[]> {
  const rows = await listReleasesFor(db, actor, { statuses: ['scheduled', 'embargoed'], limit: 1000 })
  return rows.filter((r) => r.publishAt).sort((a, b) => (a.publishAt as Date).getTime() - (b.publishAt as Date).getTime())
}

/** Names (name, else e-mail) and roles of the given accounts of a tenant, for the contributor lists. */
export async function userPeople(db: Db, tenantId: string, ids: (string | null | undefined)[]): Promise<Map<string, Person>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))]
  if (wanted.length === 0) return new Map()
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, wanted)))
  return new Map(rows.map((u) => [u.id, { name: u.name || u.email, role: u.role }]))
}
