/**
 * The ONE rule for what the public may see, used by every public surface (pages, lists,
 * home, search, feeds, sitemap, Open Graph, JSON API, verify page, cache). A release is
 * public when its status is `published` (the lift job sets that at the lift time, after its
 * run-time "not before" check) and it is not linked to a sealed case. Withdrawn releases keep
 * only their own page (with the reason); gone ones answer 410. The text of a withdrawn
 * release stays public only after a factual error: for every other category (privacy, legal,
 * safety, other, or none recorded) `publicColumns` blank it, `publiclyVerifiable` and
 * `publicTextSql` leave it out, so the page, the API, the verify page and the files hold only
 * the notice.
 *
 * The search planner and the verify page's lookups build on these rules in the newsroom
 * (`newsroom/search-planner.ts`, `newsroom/verify-lookups.ts`).
 */
import { type AnyColumn, and, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../db/index.ts'
import { cases } from '../cases/cases.tables.ts'
import { spokespersons } from '../spokespersons/spokespersons.tables.ts'
import { releaseEditions, releaseSlugs, releases } from './releases.tables.ts'

/**
 * SQL: the release is not linked to a sealed case. The one copy of that condition: every public
 * rule below, and the journalists' embargo list, include it.
 */
function notInSealedCase(): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM ${cases} c WHERE c.id = ${releases.caseId} AND c.state = 'sealed')`
}

/**
 * True when a withdrawal of `category` leaves the text public under the notice: after a factual
 * error only. Privacy, legal, safety, other, and rows withdrawn before categories existed
 * (null) remove it (fail closed). `publicTextSql` is its SQL twin.
 */
export function withdrawalKeepsText(category: string | null | undefined): boolean {
  return category === 'factual_error'
}

/**
 * SQL: the release's text (title, summary, body, keywords, files, verification) may be shown
 * publicly, given that it has a public page: anything but a withdrawal that removed it.
 */
export function publicTextSql(): SQL {
  return sql`(${releases.status} <> 'withdrawn' OR ${releases.withdrawnCategory} IS NOT DISTINCT FROM 'factual_error')`
}

/** SQL: `value` where the text is public, else `blank` (what a text-removed withdrawal shows). */
function ifTextPublic<T>(value: AnyColumn, blank: SQL): SQL<T> {
  return sql<T>`CASE WHEN ${publicTextSql()} THEN ${value} ELSE ${blank} END`
}

/** SQL: the release is listed publicly (lists, feeds, sitemap, search, home, API). */
export function publiclyListed(tenantId: string): SQL {
  return and(
    eq(releases.tenantId, tenantId),
    eq(releases.status, 'published'),
    sql`${releases.publishedEditionId} IS NOT NULL`,
    notInSealedCase(),
  ) as SQL
}

/** SQL: the release has a public page (published, or withdrawn with its reason, or gone → 410). */
export function hasPublicPage(tenantId: string): SQL {
  return and(
    eq(releases.tenantId, tenantId),
    sql`${releases.status} IN ('published', 'withdrawn', 'gone')`,
    sql`${releases.publishedEditionId} IS NOT NULL`,
    notInSealedCase(),
  ) as SQL
}

/** Columns of a public release card or page. */
export const publicColumns = {
  id: releases.id,
  slug: releases.slug,
  kind: releases.kind,
  status: releases.status,
  category: releases.category,
  firstPublishedAt: releases.firstPublishedAt,
  lastPublishedAt: releases.lastPublishedAt,
  withdrawnAt: releases.withdrawnAt,
  withdrawnReason: releases.withdrawnReason,
  withdrawnCategory: releases.withdrawnCategory,
  /** A withdrawal removed the text: the text columns below are blank (the notice is all there is). */
  textRemoved: sql<boolean>`NOT ${publicTextSql()}`.mapWith(Boolean),
  editionId: releaseEditions.id,
  editionNumber: releaseEditions.number,
  title: ifTextPublic<string>(releaseEditions.title, sql`''`),
  summary: ifTextPublic<string>(releaseEditions.summary, sql`''`),
  bodyMd: ifTextPublic<string>(releaseEditions.bodyMd, sql`''`),
  tags: ifTextPublic<string[]>(releaseEditions.tags, sql`'{}'::text[]`),
  communes: ifTextPublic<string[]>(releaseEditions.communes, sql`'{}'::text[]`),
  changeNote: ifTextPublic<string | null>(releaseEditions.changeNote, sql`NULL`),
  publishedAt: releaseEditions.publishedAt,
  // The code, signature and hash would let anyone confirm a guessed copy of the removed text.
  verificationCode: ifTextPublic<string | null>(releaseEditions.verificationCode, sql`NULL`),
  signature: ifTextPublic<string | null>(releaseEditions.signature, sql`NULL`),
  contentHash: ifTextPublic<string | null>(releaseEditions.contentHash, sql`NULL`),
  spokespersonName: spokespersons.name,
  spokespersonTitle: spokespersons.title,
  spokespersonPhone: spokespersons.phone,
  spokespersonEmail: spokespersons.email,
}

/** A public release as pages and feeds see it. */
export type PublicRelease = Awaited<ReturnType<typeof listPublicReleases>>[number]

/** Filters of the public lists. */
export interface PublicListFilter {
  kind?: string
  category?: string
  commune?: string
  /** Only releases last published at or after this instant (e.g. current warnings). */
  since?: Date
  limit?: number
  offset?: number
}

/** Publicly listed releases, newest first. */
export async function listPublicReleases(db: Db, tenantId: string, f: PublicListFilter = {}) {
  const where: SQL[] = [publiclyListed(tenantId)]
  if (f.kind) where.push(eq(releases.kind, f.kind as 'press_release'))
  if (f.category) where.push(eq(releases.category, f.category))
  if (f.commune) where.push(sql`${f.commune} = ANY(${releaseEditions.communes})`)
  if (f.since) where.push(sql`${releases.lastPublishedAt} >= ${f.since.toISOString()}::timestamptz`)
  return db
    .select(publicColumns)
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
    .leftJoin(spokespersons, eq(spokespersons.id, releases.spokespersonId))
    .where(and(...where))
    .orderBy(desc(releases.lastPublishedAt))
    .limit(Math.min(f.limit ?? 20, 100))
    .offset(f.offset ?? 0)
}

/** A release's public page by slug: the release, or a redirect to its current slug, or nothing. */
export async function findPublicRelease(
  db: Db,
  tenantId: string,
  slug: string,
): Promise<{ release: PublicRelease } | { redirectTo: string } | undefined> {
  const [row] = await db
    .select(publicColumns)
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
    .leftJoin(spokespersons, eq(spokespersons.id, releases.spokespersonId))
    .where(and(hasPublicPage(tenantId), eq(releases.slug, slug)))
  if (row) return { release: row }
  const [old] = await db
    .select({ slug: releases.slug })
    .from(releaseSlugs)
    .innerJoin(releases, eq(releases.id, releaseSlugs.releaseId))
    .where(and(eq(releaseSlugs.tenantId, tenantId), eq(releaseSlugs.slug, slug), hasPublicPage(tenantId)))
  if (old) return { redirectTo: old.slug }
  return undefined
}

/**
 * The published editions of a release, newest first (the public history of corrections); none
 * when a withdrawal removed the text (titles and notes are text too).
 */
export async function publicEditionHistory(db: Db, releaseId: string) {
  return db
    .select({
      number: releaseEditions.number,
      title: releaseEditions.title,
      changeNote: releaseEditions.changeNote,
      minor: releaseEditions.minor,
      publishedAt: releaseEditions.publishedAt,
      verificationCode: releaseEditions.verificationCode,
    })
    .from(releaseEditions)
    .innerJoin(releases, eq(releases.id, releaseEditions.releaseId))
    .where(and(eq(releaseEditions.releaseId, releaseId), sql`${releaseEditions.status} IN ('published', 'superseded')`, publicTextSql()))
    .orderBy(desc(releaseEditions.number))
}

/** The next instant at which some scheduled or embargoed release lifts (caches expire then). */
export async function nextLiftAt(db: Db, tenantId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`min(${releases.publishAt})` })
    .from(releases)
    .where(and(eq(releases.tenantId, tenantId), sql`${releases.status} IN ('scheduled', 'embargoed')`))
  return row?.at ? new Date(row.at) : null
}

/**
 * SQL: the release's published editions may be matched on the verify page: listed, or
 * withdrawn with its text left public (a factual error). Gone ("published in error") never
 * matches, nor a withdrawal that removed the text: a match would show that text again.
 */
export function publiclyVerifiable(tenantId: string): SQL {
  return and(hasPublicPage(tenantId), sql`${releases.status} IN ('published', 'withdrawn')`, publicTextSql()) as SQL
}

/** Slugs and dates of every listed release (sitemap). */
export async function listPublicSitemap(db: Db, tenantId: string) {
  return db
    .select({ slug: releases.slug, kind: releases.kind, lastPublishedAt: releases.lastPublishedAt })
    .from(releases)
    .where(publiclyListed(tenantId))
    .orderBy(desc(releases.lastPublishedAt))
    .limit(50_000)
}

/** Categories and communes that listed releases name (list pages worth linking). */
export async function publicFacets(db: Db, tenantId: string): Promise<{ categories: string[]; communes: string[] }> {
  const rows = await db
    .select({ category: releases.category, communes: releaseEditions.communes })
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
    .where(publiclyListed(tenantId))
  const categories = new Set<string>()
  const communes = new Set<string>()
  for (const r of rows) {
    if (r.category) categories.add(r.category)
    for (const c of r.communes) communes.add(c)
  }
  return { categories: [...categories].sort(), communes: [...communes].sort() }
}

/**
 * Embargoed releases for accredited journalists (the caller checked `read-embargoed`): the
 * approved text with its lift time. Never a scheduled release, never one linked to a sealed case.
 */
export async function listEmbargoedForJournalists(db: Db, tenantId: string) {
  return db
    .select({
      id: releases.id,
      kind: releases.kind,
      publishAt: releases.publishAt,
      title: releaseEditions.title,
      summary: releaseEditions.summary,
      bodyMd: releaseEditions.bodyMd,
      category: releaseEditions.category,
      spokespersonName: spokespersons.name,
      spokespersonTitle: spokespersons.title,
      spokespersonPhone: spokespersons.phone,
      spokespersonEmail: spokespersons.email,
    })
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.workingEditionId))
    .leftJoin(spokespersons, eq(spokespersons.id, releases.spokespersonId))
    .where(
      and(
        eq(releases.tenantId, tenantId),
        eq(releases.status, 'embargoed'),
        eq(releaseEditions.status, 'approved'),
        sql`${releases.publishAt} IS NOT NULL`,
        notInSealedCase(),
      ),
    )
    .orderBy(releases.publishAt)
}
