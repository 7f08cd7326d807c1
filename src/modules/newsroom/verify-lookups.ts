/**
 * The verify page's lookups: editions by verification code, and releases sharing a pasted
 * text's word pairs (the GIN index of `search_pairs`). Only editions of releases that are
 * {@link publiclyVerifiable} are ever read.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '../../db/index.ts'
import { publiclyVerifiable } from '../releases/releases.public.ts'
import { releaseEditions, releases } from '../releases/releases.tables.ts'
import { spokespersons } from '../spokespersons/spokespersons.tables.ts'
import { pairsQuery, searchStats } from './search-planner.ts'

/** Columns of a verifiable edition (with its release and the release's current edition). */
const verifiableColumns = {
  releaseId: releases.id,
  slug: releases.slug,
  kind: releases.kind,
  status: releases.status,
  withdrawnReason: releases.withdrawnReason,
  currentEditionId: releases.publishedEditionId,
  editionId: releaseEditions.id,
  editionNumber: releaseEditions.number,
  editionStatus: releaseEditions.status,
  title: releaseEditions.title,
  summary: releaseEditions.summary,
  bodyMd: releaseEditions.bodyMd,
  changeNote: releaseEditions.changeNote,
  publishedAt: releaseEditions.publishedAt,
  verificationCode: releaseEditions.verificationCode,
  signature: releaseEditions.signature,
  contentHash: releaseEditions.contentHash,
  // What the release page shows besides the signed text (its furniture, set aside in a copy).
  category: releaseEditions.category,
  tags: releaseEditions.tags,
  communes: releaseEditions.communes,
  firstPublishedAt: releases.firstPublishedAt,
  lastPublishedAt: releases.lastPublishedAt,
  withdrawnAt: releases.withdrawnAt,
  spokespersonName: spokespersons.name,
  spokespersonTitle: spokespersons.title,
  spokespersonPhone: spokespersons.phone,
  spokespersonEmail: spokespersons.email,
}

/** A published or superseded edition of a verifiable release. */
export type VerifiableEdition = Awaited<ReturnType<typeof verifiableEditions>>[number]

/** The public edition (current or superseded) with this verification code, if any. */
export async function findVerifiableEditionByCode(db: Db, tenantId: string, code: string): Promise<VerifiableEdition | undefined> {
  const [row] = await db
    .select(verifiableColumns)
    .from(releaseEditions)
    .innerJoin(releases, eq(releases.id, releaseEditions.releaseId))
    .leftJoin(spokespersons, eq(spokespersons.id, releases.spokespersonId))
    .where(
      and(
        publiclyVerifiable(tenantId),
        eq(releaseEditions.verificationCode, code),
        sql`${releaseEditions.status} IN ('published', 'superseded')`,
      ),
    )
  return row
}

/** How many of a pasted text's word pairs look candidates up in the index (the rarest of each stretch of the text). */
const VERIFY_PROBE_PAIRS = 12
/** A couple of probes estimated to be held by more releases than this is not looked up (while another is). */
const VERIFY_COUPLE_ROWS = 500
/** How many of the releases found by them are ranked by all the text's pairs. */
const VERIFY_RANKED = 50

/**
 * `count` of `pairs` (in the text's order): the text is cut into `count` stretches and the
 * rarest pair of each, by the index's statistics, is taken. The rarest pairs of the whole text
 * are often exactly what a forger wrote (an inserted sentence, a changed amount: pairs no
 * release holds), so they must not take all the probes; a stretch the forger did not touch
 * still gives a pair of the release, and the rarest of it (a name, a date) rather than a phrase
 * every notice repeats.
 */
export function rarestPerStretch(pairs: string[], count: number, shareOf: (pair: string) => number): string[] {
  if (pairs.length <= count) return pairs
  const out: string[] = []
  for (let k = 0; k < count; k++) {
    let best: string | undefined
    let bestShare = Number.POSITIVE_INFINITY
    for (let j = Math.floor((k * pairs.length) / count); j < Math.floor(((k + 1) * pairs.length) / count); j++) {
      const share = shareOf(pairs[j] as string)
      if (share < bestShare) [best, bestShare] = [pairs[j], share]
    }
    if (best !== undefined) out.push(best)
  }
  return out
}

/**
 * The consecutive word pairs of a text as `search_pairs` would hold them, in the text's order
 * without repeats. They come from PostgreSQL's own parse of the text (the positions of the same
 * `to_tsvector('simple', fold_vi(…))`), not from ours: its parser keeps a date "13/10/2025" or
 * "-2" as one token where ours splits them, and a pair the index can never hold ("13 10")
 * looks rarer than any other, so it was chosen as a probe and made its couple find nothing.
 */
export async function indexedPairs(db: Db, text: string): Promise<string[]> {
  const { rows } = await db.execute<{ lexeme: string; positions: number[] | null }>(
    sql`SELECT lexeme, positions FROM unnest(to_tsvector('simple', fold_vi(${text})))`,
  )
  const seq: string[] = []
  for (const r of rows) for (const p of r.positions ?? []) seq[p] = r.lexeme
  const pairs = new Set<string>()
  for (let p = 1; p < seq.length; p++) if (seq[p] !== undefined && seq[p + 1] !== undefined) pairs.add(`${seq[p]} ${seq[p + 1]}`)
  return [...pairs]
}

/**
 * Verifiable releases sharing the most consecutive word pairs with a pasted text, best first
 * (candidates for the comparison). The rarest pair of each twelfth of the text is a probe;
 * probes two by two find releases through the GIN index of `search_pairs` (a copy keeps most
 * couples even when a few words were changed or a sentence inserted); the
 * {@link VERIFY_RANKED} releases holding most probes are ranked again by all the text's pairs.
 * Ranking every release that shares a common phrase ("công an", "tỉnh Thanh Hóa") was what made
 * a check take seconds over many releases.
 */
export async function findVerifyCandidates(db: Db, tenantId: string, text: string, limit = 10): Promise<string[]> {
  const pairs = await indexedPairs(db, text)
  if (pairs.length === 0) return []
  const stats = await searchStats(db)
  const share = (p: string) => stats?.pairs?.get(p) ?? stats?.pairsRare ?? 0
  const total = stats?.rows ?? 0
  const probe = rarestPerStretch(pairs, VERIFY_PROBE_PAIRS, share)
  // Two pairs at a time, in the text's order: a release must hold both, and a copy keeps most
  // couples even when a few words were changed. A couple of two phrases every notice of a kind
  // repeats is held by thousands of releases, all ranked to find the first 50: it is left out
  // while a rarer couple remains.
  const couples: { pairs: string[]; rows: number }[] = []
  for (let k = 0; k < probe.length; k += 2) {
    const c = probe.slice(k, k + 2)
    couples.push({ pairs: c, rows: Math.min(...c.map(share)) * total })
  }
  // Only what the statistics list as common is left out: a pair they do not list is at most
  // as common as the rarest they do.
  const tooMany = Math.max(VERIFY_COUPLE_ROWS, (stats?.pairsRare ?? 0) * total)
  const selective = couples.filter((c) => c.rows <= tooMany)
  const chosen = selective.length > 0 ? selective.map((c) => c.pairs) : [couples.reduce((a, b) => (b.rows < a.rows ? b : a)).pairs]
  const found = sql`(${sql.join(
    chosen.map((c) => pairsQuery(c, '&')),
    sql` || `,
  )})`
  const all = pairsQuery(pairs, '|')
  const { rows } = await db.execute<{ id: string }>(sql`
    WITH found AS (
      SELECT ${releases.id} AS id, ${releases.searchPairs} AS pairs FROM ${releases}
      WHERE ${publiclyVerifiable(tenantId)} AND ${releases.searchPairs} @@ ${found}
      ORDER BY ts_rank(${releases.searchPairs}, ${pairsQuery(probe, '|')}) DESC LIMIT ${VERIFY_RANKED}
    )
    SELECT id FROM found ORDER BY ts_rank(pairs, ${all}) DESC LIMIT ${limit}`)
  return rows.map((r) => r.id)
}

/** Every published or superseded edition of the given releases, if they are verifiable. */
export async function verifiableEditions(db: Db, tenantId: string, releaseIds: string[]) {
  if (releaseIds.length === 0) return []
  return db
    .select(verifiableColumns)
    .from(releaseEditions)
    .innerJoin(releases, eq(releases.id, releaseEditions.releaseId))
    .leftJoin(spokespersons, eq(spokespersons.id, releases.spokespersonId))
    .where(
      and(publiclyVerifiable(tenantId), inArray(releases.id, releaseIds), sql`${releaseEditions.status} IN ('published', 'superseded')`),
    )
    .orderBy(desc(releaseEditions.number))
}
