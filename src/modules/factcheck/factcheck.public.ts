/**
 * What the public sees of the desk: published verdicts (page, list, search, feed), ticket
 * status pages (the code shows the status; code + key also the submitted text), and the
 * "did you mean…" suggestions, which only ever name published verdicts.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/index.ts'
import { safeEqual } from '../../platform/auth/secrets.ts'
import { claimEvidence, claimSubmissions, claims, verdicts } from './factcheck.tables.ts'
import { findSimilarClaims } from './matcher.ts'
import { normalizeTicketCode } from './ticket-code.ts'

/** A published verdict with its claim, as pages and feeds show it. */
export async function findPublishedVerdict(db: Db, tenantId: string, slug: string) {
  const [row] = await db
    .select({ claim: claims, verdict: verdicts })
    .from(claims)
    .innerJoin(verdicts, eq(verdicts.id, claims.publishedVerdictId))
    .where(and(eq(claims.tenantId, tenantId), eq(claims.slug, slug), eq(claims.status, 'published')))
  if (!row) return undefined
  const evidence = row.verdict.evidenceIds.length
    ? await db
        .select({
          id: claimEvidence.id,
          kind: claimEvidence.kind,
          title: claimEvidence.title,
          url: claimEvidence.url,
          sha256: claimEvidence.sha256,
          capturedAt: claimEvidence.capturedAt,
        })
        .from(claimEvidence)
        .where(and(eq(claimEvidence.claimId, row.claim.id), inArray(claimEvidence.id, row.verdict.evidenceIds)))
    : []
  const history = await db
    .select({
      version: verdicts.version,
      label: verdicts.label,
      publishedAt: verdicts.publishedAt,
      correctionNote: verdicts.correctionNote,
    })
    .from(verdicts)
    .where(and(eq(verdicts.claimId, row.claim.id), sql`${verdicts.status} IN ('published','superseded')`))
    .orderBy(desc(verdicts.version))
  const firstPublishedAt = history[history.length - 1]?.publishedAt ?? row.verdict.publishedAt
  return { ...row, evidence, history, firstPublishedAt }
}

/** Published verdicts, newest first; `q` searches the claims (diacritics optional). */
export async function listPublishedVerdicts(
  db: Db,
  tenantId: string,
  o: { q?: string; label?: string; limit?: number; offset?: number } = {},
) {
  const where = [eq(claims.tenantId, tenantId), eq(claims.status, 'published')]
  if (o.label) where.push(eq(verdicts.label, o.label as 'false'))
  if (o.q?.trim()) where.push(sql`${sql.raw('claims.search_vector')} @@ plainto_tsquery('simple', fold_vi(${o.q.trim().slice(0, 200)}))`)
  return db
    .select({
      slug: claims.slug,
      statement: claims.statement,
      label: verdicts.label,
      headline: verdicts.headline,
      publishedAt: verdicts.publishedAt,
      version: verdicts.version,
    })
    .from(claims)
    .innerJoin(verdicts, eq(verdicts.id, claims.publishedVerdictId))
    .where(and(...where))
    .orderBy(desc(verdicts.publishedAt))
    .limit(Math.min(o.limit ?? 20, 100))
    .offset(o.offset ?? 0)
}

/** A ticket's public status; with the right key, also what was submitted. */
export async function ticketStatus(db: Db, tenantId: string, ticket: string, key?: string) {
  const code = normalizeTicketCode(ticket)
  if (!code) return undefined
  const [row] = await db
    .select({ submission: claimSubmissions, claim: claims })
    .from(claimSubmissions)
    .innerJoin(claims, eq(claims.id, claimSubmissions.claimId))
    .where(and(eq(claimSubmissions.tenantId, tenantId), eq(claimSubmissions.ticket, code)))
  if (!row) return undefined
  let claim = row.claim
  // Follow merges: the ticket follows its claim.
  for (let i = 0; i < 10 && claim.mergedInto; i++) {
    const [next] = await db.select().from(claims).where(eq(claims.id, claim.mergedInto))
    if (!next) break
    claim = next
  }
  const verdict = claim.publishedVerdictId
    ? (await db.select().from(verdicts).where(eq(verdicts.id, claim.publishedVerdictId)))[0]
    : undefined
  const owner = key !== undefined && safeEqual(key, row.submission.ticketKey)
  return {
    ticket: row.submission.ticket,
    submittedAt: row.submission.createdAt,
    status: claim.status,
    level: claim.level,
    slug: claim.status === 'published' ? claim.slug : null,
    verdict:
      verdict && claim.status === 'published'
        ? { label: verdict.label, headline: verdict.headline, publishedAt: verdict.publishedAt }
        : null,
    text: owner ? row.submission.text : null,
    links: owner ? row.submission.links : null,
  }
}

/** Published verdicts that look like `text` ("có phải bạn muốn hỏi…"). */
export async function suggestPublishedVerdicts(db: Db, tenantId: string, text: string, limit = 3) {
  const similar = (await findSimilarClaims(tenantId, text, 10)).filter((c) => c.decision !== 'none')
  if (similar.length === 0) return []
  const ids = similar.map((s) => s.claimId)
  const rows = await db
    .select({ id: claims.id, slug: claims.slug, statement: claims.statement, label: verdicts.label, headline: verdicts.headline })
    .from(claims)
    .innerJoin(verdicts, eq(verdicts.id, claims.publishedVerdictId))
    .where(and(eq(claims.tenantId, tenantId), eq(claims.status, 'published'), inArray(claims.id, ids)))
  const score = new Map(similar.map((s) => [s.claimId, s.score]))
  return rows.sort((a, b) => (score.get(b.id) ?? 0) - (score.get(a.id) ?? 0)).slice(0, limit)
}
