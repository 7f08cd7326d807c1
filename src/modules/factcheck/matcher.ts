/**
 * Each process keeps an in-memory claim index per tenant (src/text/match-index.ts), built from
 * the database on first use and kept current incrementally: the writing process applies its
 * change at once, and others apply it on NOTIFY donghanh_claims. Every submission text is
 * indexed under its claim, so merged variants widen what a new submission can match.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { type Database, onCommit, type Tx } from '../../db/index.ts'
import type { EventListener } from '../../platform/events.ts'
import { ClaimIndex, type SearchOptions } from '../../text/match-index.ts'
import { DECISION_RANK, type MatchDecision } from '../../text/match-score.ts'
import { claimSubmissions, claims } from './factcheck.tables.ts'

/** A claim that matches a text. */
export interface ClaimCandidate {
  claimId: string
  /** Pair score (0 … 1). */
  score: number
  /** `merge`, `suggest`, or (staff views only, when asked for) `related`. */
  decision: MatchDecision
  /** How much of the shorter text the longer one carries (0 … 1): what makes a `related` one. */
  containment: number
}

/**
 * Order of candidates as staff see them: merge and suggest first by score, then related ones by
 * containment (the pair score breaking near ties), as `ClaimIndex.search` ranks them.
 */
export function candidateOrder(a: ClaimCandidate, b: ClaimCandidate): number {
  return rankKey(b) - rankKey(a)
}

function rankKey(c: Pick<ClaimCandidate, 'score' | 'decision' | 'containment'>): number {
  if (DECISION_RANK[c.decision] >= DECISION_RANK.suggest) return 3 + c.score
  return c.decision === 'related' ? 1 + c.containment + 0.25 * c.score : c.score
}

/**
 * What a staff view asks the matcher for: the `related` tier too (a pasted post that carries a
 * short claim on file). Never used for anything the public sees, which keeps the default
 * (suggest and merge only).
 */
export const STAFF_MATCH: Pick<SearchOptions, 'minDecision'> = { minDecision: 'related' }

/** A tenant's index and, per submission, the key it is indexed under (claim|submission). */
interface TenantIndex {
  index: ClaimIndex
  keyOf: Map<string, string>
}

const indexes = new Map<string, Promise<TenantIndex>>()
let database: Database | undefined

let poll: NodeJS.Timeout | undefined
// Submissions committed by other processes, found by time with a margin for transactions
// that committed out of order; ids already indexed are skipped.
const CATCH_UP_MS = 1000
const MARGIN_MS = 10_000

/** Sets the database the indexes are built from (once per process) and starts the catch-up poll. */
export function configureMatcher(db: Database, events?: EventListener): void {
  database = db
  indexes.clear()
  // A failure here is repaired by the catch-up poll; it is written down, never left unhandled.
  events
    ?.on('donghanh_claims', (payload) => {
      applyChange(payload).catch((e: Error) =>
        process.stderr.write(`claim index: change not applied (${e.message}); the catch-up poll repairs it\n`),
      )
    })
    .catch((e: Error) => process.stderr.write(`claim index: LISTEN failed (${e.message}); the catch-up poll keeps it current\n`))
  if (poll) clearInterval(poll)
  poll = setInterval(() => {
    void catchUpAndLog()
  }, CATCH_UP_MS)
  poll.unref()
}

/** Stops the catch-up poll and forgets the indexes (a process service's stop, and tests). */
export function stopMatcher(): void {
  if (poll) clearInterval(poll)
  poll = undefined
  indexes.clear()
  database = undefined
}

/**
 * One catch-up round. A failure (the database away for a moment) is written to stderr and the
 * next round, a second later, tries again: the index lags but is never wrong for long.
 */
export async function catchUpAndLog(): Promise<void> {
  try {
    await catchUp()
  } catch (err) {
    // Drizzle wraps the database's message in "Failed query: <the whole statement>".
    const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)
    process.stderr.write(`claim index catch-up failed, retrying in ${CATCH_UP_MS} ms: ${reason}\n`)
  }
}

async function catchUp(): Promise<void> {
  if (!database) return
  for (const [tenantId, p] of indexes) {
    const t = await p
    const since = new Date(Date.now() - MARGIN_MS)
    const rows = await database.db
      .select({ id: claimSubmissions.id })
      .from(claimSubmissions)
      .where(and(eq(claimSubmissions.tenantId, tenantId), sql`${claimSubmissions.createdAt} > ${since.toISOString()}`))
    const missing = rows.map((r) => r.id).filter((id) => !t.keyOf.has(id))
    if (missing.length) await applyChange([tenantId, ...missing].join(','))
  }
}

async function build(tenantId: string): Promise<TenantIndex> {
  if (!database) throw new Error('matcher not configured')
  const rows = await database.db
    .select({ id: claimSubmissions.id, claimId: claimSubmissions.claimId, text: claimSubmissions.text })
    .from(claimSubmissions)
    .innerJoin(claims, eq(claims.id, claimSubmissions.claimId))
    .where(and(eq(claimSubmissions.tenantId, tenantId), sql`${claims.status} NOT IN ('merged', 'dismissed')`))
  const index = new ClaimIndex()
  const keyOf = new Map<string, string>()
  for (const r of rows) {
    const key = `${r.claimId}|${r.id}`
    index.add(key, r.text)
    keyOf.set(r.id, key)
  }
  return { index, keyOf }
}

function indexFor(tenantId: string): Promise<TenantIndex> {
  let p = indexes.get(tenantId)
  if (!p) {
    p = build(tenantId)
    indexes.set(tenantId, p)
    p.catch(() => indexes.delete(tenantId))
  }
  return p
}

/**
 * Claims similar to `text`, best first ({@link candidateOrder}), grouped by claim: merge and
 * suggest by default (what the public may see); staff views pass {@link STAFF_MATCH} for the
 * `related` tier as well.
 */
export async function findSimilarClaims(
  tenantId: string,
  text: string,
  limit = 10,
  /**
   * How hard to look (candidates rescored, postings visited) and the weakest decision: the
   * intake looks for one merge, staff views for every suggestion and related claim.
   */
  effort: Pick<SearchOptions, 'candidates' | 'postingsBudget' | 'minDecision'> = {},
): Promise<ClaimCandidate[]> {
  const { index } = await indexFor(tenantId)
  const best = new Map<string, ClaimCandidate>()
  for (const m of index.search(text, { limit: limit * 3, ...effort })) {
    const claimId = String(m.id).split('|')[0] as string
    const prev = best.get(claimId)
    const next = { claimId, score: m.score, decision: m.decision, containment: m.containment }
    if (!prev || rankKey(next) > rankKey(prev)) best.set(claimId, next)
  }
  return [...best.values()].sort(candidateOrder).slice(0, limit)
}

/** Re-reads the submissions named in a change and updates the loaded index. */
async function applyChange(payload: string): Promise<void> {
  if (!database) return
  if (payload === '') {
    indexes.clear()
    return
  }
  const [tenantId, ...submissionIds] = payload.split(',')
  if (!tenantId || !indexes.has(tenantId)) return
  const { index, keyOf } = await indexFor(tenantId)
  const rows = submissionIds.length
    ? await database.db
        .select({ id: claimSubmissions.id, claimId: claimSubmissions.claimId, text: claimSubmissions.text, status: claims.status })
        .from(claimSubmissions)
        .innerJoin(claims, eq(claims.id, claimSubmissions.claimId))
        .where(inArray(claimSubmissions.id, submissionIds))
    : []
  for (const r of rows) {
    // The key carries the claim id, so a moved submission is re-keyed.
    const old = keyOf.get(r.id)
    if (old) index.remove(old)
    keyOf.delete(r.id)
    if (r.status !== 'merged' && r.status !== 'dismissed') {
      const key = `${r.claimId}|${r.id}`
      index.add(key, r.text)
      keyOf.set(r.id, key)
    }
  }
}

/**
 * Applies changed submissions to this process's index once `tx` commits. Moves (merge,
 * split) are also announced to other processes (NOTIFY, delivered on commit); new
 * submissions are not — NOTIFY serialises commits cluster-wide, which the intake cannot
 * afford — other processes pick them up with the catch-up poll within a second.
 */
export async function announceSubmissions(tx: Tx, tenantId: string, entries: IndexEntry[], opts: { moved?: boolean } = {}): Promise<void> {
  if (entries.length === 0) return
  const submissionIds = entries.map((e) => e.submissionId)
  // Synchronously at commit, so the very next submission in this process can match it.
  onCommit(tx, () => indexLocally(tenantId, entries))
  if (!opts.moved) return
  // NOTIFY payloads are limited to 8000 bytes: large batches make every process rebuild.
  const payload = submissionIds.length > 150 ? '' : [tenantId, ...submissionIds].join(',')
  await tx.execute(sql`SELECT pg_notify('donghanh_claims', ${payload})`)
}

/** A submission as indexed: its id, its claim, its text. */
export interface IndexEntry {
  submissionId: string
  claimId: string
  text: string
}

/** Updates this process's index (when loaded) from data the writer already holds. */
function indexLocally(tenantId: string, entries: IndexEntry[]): void {
  const loaded = indexes.get(tenantId)
  if (!loaded) return
  void loaded.then(({ index, keyOf }) => {
    for (const e of entries) {
      const old = keyOf.get(e.submissionId)
      if (old) index.remove(old)
      const key = `${e.claimId}|${e.submissionId}`
      index.add(key, e.text)
      keyOf.set(e.submissionId, key)
    }
  })
}
