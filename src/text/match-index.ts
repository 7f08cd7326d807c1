/**
 * Many claims at once: the storable signature of a claim (for a `jsonb` column and database
 * prefilters) and {@link ClaimIndex}, the in-memory index that proposes candidates by rare-token
 * overlap (IDF) and rescores the best few hundred with the pair score of `match-score.ts`.
 */
import { type ClaimFeatures, MAX_MATCH_CHARS, analyzeClaim } from './match-features.ts'
import {
  containmentOf,
  DECISION_RANK,
  type MatchDecision,
  SCORE_PARAMS,
  round4,
  scoreFeatures,
  similarity,
  withinOneEdit,
} from './match-score.ts'
import { normalizeText } from './normalize.ts'

/** A claim's matching signature, JSON-serialisable, for a `jsonb` column next to the claim. */
export interface ClaimSignature {
  /** Signature format version; recompute stored rows when it changes. */
  v: 1
  /** Canonical folded text (abbreviations expanded, synonyms replaced): for pg_trgm prefilters. */
  folded: string
  /** Unique folded content tokens (no stop words): for a GIN index / candidate generation. */
  terms: string[]
  /** Numbers with units applied. */
  numbers: string[]
  /** Places named (folded). */
  places: string[]
  /** Whether the text denies the claim as a whole ("sai sự thật", "bịa đặt" …). */
  denied: boolean
  /** Words under a negation. */
  negated: string[]
  /** Syllables as written (merge needs ≥ 8 on both sides). */
  syllables: number
  /** Canonical URLs in the text. */
  urls: string[]
}

/**
 * Computes the storable signature of a claim text. The desk stores it with the claim so that a
 * database prefilter (GIN on `terms`, trigram on `folded`, equality on `urls`) can find
 * candidates; the final score is always {@link similarity} on the texts.
 */
export function claimSignature(text: string): ClaimSignature {
  const f = analyzeClaim(text)
  return {
    v: 1,
    folded: f.tokens.map((t) => t.f).join(' '),
    terms: indexTerms(f),
    numbers: [...f.numbers],
    places: [...f.places],
    denied: f.denied,
    negated: [...f.negated],
    syllables: f.syllables,
    urls: f.urls,
  }
}

function indexTerms(f: ClaimFeatures): string[] {
  const out: string[] = []
  for (const [t, e] of f.bag) if (e.w >= 0.35) out.push(t)
  return out
}

// ---------------------------------------------------------------------------
// In-memory index

/** A claim identifier: the desk's primary key, or a line number for the CLI. */
export type ClaimId = string | number

/** One hit of {@link ClaimIndex.search}. */
export interface ClaimMatch {
  /** The id given to {@link ClaimIndex.add}. */
  id: ClaimId
  /** Pair score with the query (see {@link similarity}). */
  score: number
  /** `merge`, `suggest`, `related` (staff only; when asked for) or `none` (when asked for). */
  decision: MatchDecision
  /** How much of the shorter text the longer carries (`containmentOf`); ranks `related` hits. */
  containment: number
}

/** Options of {@link ClaimIndex.search}. */
export interface SearchOptions {
  /** Most hits to return, best first (default 10). */
  limit?: number
  /**
   * Weakest decision to return (default `suggest`: only suggest and merge). `related` is for
   * staff views only, never for anything the public sees.
   */
  minDecision?: MatchDecision
  /** Candidates rescored exactly after the IDF prefilter (default 120). More is slower, may find more. */
  candidates?: number
  /**
   * Postings the prefilter may visit (default {@link DEFAULT_POSTINGS_BUDGET}); rarest query
   * words first, at least three words always. Lower is faster on a large index but misses more.
   */
  postingsBudget?: number
}

/**
 * Default number of postings the prefilter visits per query (rarest query words first; at least
 * three words are always used). Bounds the cost on a 1 M index, where template-like words ("công an",
 * "lừa đảo") have posting lists of hundreds of thousands.
 */
export const DEFAULT_POSTINGS_BUDGET = 600_000

/**
 * Claims whose features the index keeps (least recently used dropped first): the newest claims
 * and those rescored often (a viral rumour's variants) are not analysed again for every
 * query. A few KB each.
 */
export const FEATURE_CACHE_SIZE = 4096

/** A row the desk loads into the index. */
export interface ClaimRow {
  /** The claim's id. */
  id: ClaimId
  /** The claim's text (as submitted; it is normalised here). */
  text: string
}

/**
 * A query with more distinct content words than this is a long one (a pasted post): it skips
 * the one-typo expansion of unknown words (a scan of the vocabulary per word, which a post of
 * 200 distinct words would repeat 100 times), leaves its everyday and framing words out of the
 * prefilter, and its candidates are ranked by the share of each claim they cover. Its postings stay within the same budget as any query's (rarest words
 * first), so a long query costs about what a short one does.
 */
export const MAX_QUERY_TERMS = 48

/** Growable posting list of internal document numbers. */
class Postings {
  data = new Uint32Array(4)
  length = 0
  push(doc: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = doc
  }
}

/**
 * In-memory claim index: folded canonical words → posting lists (typed arrays), candidates
 * ranked by IDF-weighted overlap (with one-typo expansion of unknown query words), the best
 * few hundred rescored with the exact pair score. Stores each claim's normalised text (not the
 * features) to keep 1 M claims within a few hundred MB.
 */
export class ClaimIndex {
  private readonly texts: string[] = []
  private readonly ids: ClaimId[] = []
  private readonly docOf = new Map<ClaimId, number>()
  private alive = new Uint8Array(1024)
  /** Index terms per claim: long queries rank candidates by the share of a claim they cover. */
  private termCount = new Uint16Array(1024)
  private readonly vocab = new Map<string, number>()
  private readonly terms: string[] = []
  private readonly postings: Postings[] = []
  private readonly byUrl = new Map<string, number[]>()
  private scores = new Float32Array(1024)
  private touched = new Uint32Array(1024)
  private live = 0
  /** Features of recently added or rescored claims (least recently used dropped first). */
  private readonly featureCache = new Map<number, ClaimFeatures>()
  /** Features of the latest queries by text: a submission is searched for, then added. */
  private readonly recentQueries = new Map<string, ClaimFeatures>()

  /** Builds an index from stored rows (e.g. `SELECT id, text FROM claims`). */
  static fromRows(rows: Iterable<ClaimRow>): ClaimIndex {
    const index = new ClaimIndex()
    for (const r of rows) index.add(r.id, r.text)
    return index
  }

  /** Number of claims currently in the index. */
  get size(): number {
    return this.live
  }

  /**
   * Adds (or replaces) a claim.
   * @param id the claim's id
   * @param text the claim's text
   */
  add(id: ClaimId, text: string): void {
    if (this.docOf.has(id)) this.remove(id)
    const doc = this.texts.length
    const head = text.length > MAX_MATCH_CHARS * 4 ? text.slice(0, MAX_MATCH_CHARS * 4) : text
    const normalized = normalizeText(head)
    const stored = normalized.length > MAX_MATCH_CHARS ? normalized.slice(0, MAX_MATCH_CHARS) : normalized
    const f = this.recentQueries.get(stored) ?? analyzeClaim(stored, true)
    this.remember(doc, f)
    this.texts.push(stored)
    this.ids.push(id)
    this.docOf.set(id, doc)
    if (doc >= this.alive.length) {
      const next = new Uint8Array(this.alive.length * 2)
      next.set(this.alive)
      this.alive = next
      const counts = new Uint16Array(this.alive.length)
      counts.set(this.termCount)
      this.termCount = counts
    }
    this.alive[doc] = 1
    this.live++
    const terms = indexTerms(f)
    this.termCount[doc] = Math.min(terms.length, 65_535)
    for (const term of terms) {
      let t = this.vocab.get(term)
      if (t === undefined) {
        t = this.terms.length
        this.vocab.set(term, t)
        this.terms.push(term)
        this.postings.push(new Postings())
      }
      this.postings[t].push(doc)
    }
    for (const u of f.urls) {
      const list = this.byUrl.get(u)
      if (list) list.push(doc)
      else this.byUrl.set(u, [doc])
    }
  }

  /**
   * Removes a claim (e.g. after a staff split). Its postings stay until the index is rebuilt;
   * they are skipped when searching.
   * @returns whether the id was present
   */
  remove(id: ClaimId): boolean {
    const doc = this.docOf.get(id)
    if (doc === undefined) return false
    this.docOf.delete(id)
    this.alive[doc] = 0
    this.texts[doc] = ''
    this.featureCache.delete(doc)
    this.live--
    return true
  }

  /**
   * Claims that state the same thing as `query`, best first.
   * @param query the new submission's text (any encoding, with or without marks)
   * @param options limit, weakest decision, candidate count
   */
  search(query: string, options: SearchOptions = {}): ClaimMatch[] {
    const limit = options.limit ?? 10
    const minRank = DECISION_RANK[options.minDecision ?? 'suggest']
    // Containment decides only the related tier; without it, the hits get theirs at the end.
    const wantRelated = minRank <= DECISION_RANK.related
    const k = Math.max(options.candidates ?? 120, limit)
    const q = analyzeClaim(query)
    // Normalising is idempotent: a normalised query is analysed exactly as add() would.
    this.recentQueries.set(query, q)
    if (this.recentQueries.size > 64) this.recentQueries.delete(this.recentQueries.keys().next().value as string)
    const n = this.texts.length
    if (n === 0 || limit <= 0) return []
    if (this.scores.length < n) this.scores = new Float32Array(Math.max(n, this.scores.length * 2))
    if (this.touched.length < n) this.touched = new Uint32Array(Math.max(n, this.touched.length * 2))
    const scores = this.scores
    const touched = this.touched
    let touchedCount = 0
    const bump = (doc: number, w: number): void => {
      if (scores[doc] === 0) touched[touchedCount++] = doc
      scores[doc] += w
    }
    for (const u of q.urls) for (const doc of this.byUrl.get(u) ?? []) bump(doc, 1000)

    // Query terms with their IDF; unknown words (typos) borrow the postings of vocabulary
    // words one edit away.
    const weighted: { t: number; w: number }[] = []
    const queryTerms = indexTerms(q)
    const long = queryTerms.length > MAX_QUERY_TERMS
    for (const term of queryTerms) {
      // A post's everyday and framing words (weight under 1 in `info`) are in many claims and
      // tell none apart: on a large index they would spend the postings budget.
      if (long && (q.info.get(term) ?? 0) < 1) continue
      const t = this.vocab.get(term)
      if (t !== undefined) {
        weighted.push({ t, w: 1 })
      } else if (!long && term.length >= 3 && !/^\d/.test(term)) {
        for (const alt of this.nearTerms(term)) weighted.push({ t: alt, w: SCORE_PARAMS.typoCredit })
      }
    }
    // Rare terms first; skip terms so common they cannot tell claims apart once enough rarer
    // evidence has been gathered (bounds the work on a 1 M index).
    const scored = weighted.map((x) => {
      const df = this.postings[x.t].length
      return { ...x, df, idf: Math.log(1 + n / df) }
    })
    scored.sort((a, b) => a.df - b.df)
    let visited = 0
    const budget = options.postingsBudget ?? DEFAULT_POSTINGS_BUDGET
    for (let i = 0; i < scored.length; i++) {
      const s = scored[i]
      if (i >= 3 && visited + s.df > budget) break
      const p = this.postings[s.t]
      const w = s.w * s.idf
      const data = p.data
      for (let j = 0; j < p.length; j++) {
        const doc = data[j]
        if (scores[doc] === 0) touched[touchedCount++] = doc
        scores[doc] += w
      }
      visited += p.length
    }

    // Keep the k best by prefilter score (min-heap), then rescore exactly.
    const heapDoc = new Uint32Array(k)
    const heapScore = new Float32Array(k)
    let size = 0
    for (let ti = 0; ti < touchedCount; ti++) {
      const doc = touched[ti]
      // A long query (a pasted post) covers many words of many claims: rank by how much of each
      // claim it covers rather than by how many words it shares, or long claims that share its
      // everyday words crowd out the short claim it carries.
      const s = long ? scores[doc] / Math.sqrt(1 + this.termCount[doc]) : scores[doc]
      scores[doc] = 0
      if (!this.alive[doc]) continue
      if (size < k) {
        let i = size++
        while (i > 0) {
          const parent = (i - 1) >> 1
          if (heapScore[parent] <= s) break
          heapDoc[i] = heapDoc[parent]
          heapScore[i] = heapScore[parent]
          i = parent
        }
        heapDoc[i] = doc
        heapScore[i] = s
      } else if (s > heapScore[0]) {
        let i = 0
        for (;;) {
          const l = 2 * i + 1
          if (l >= size) break
          const r = l + 1
          const c = r < size && heapScore[r] < heapScore[l] ? r : l
          if (heapScore[c] >= s) break
          heapDoc[i] = heapDoc[c]
          heapScore[i] = heapScore[c]
          i = c
        }
        heapDoc[i] = doc
        heapScore[i] = s
      }
    }
    const hits: { doc: number; score: number; decision: MatchDecision; containment: number; key: number }[] = []
    for (let i = 0; i < size; i++) {
      const doc = heapDoc[i]
      const r = scoreFeatures(q, this.featuresOf(doc), wantRelated)
      if (DECISION_RANK[r.decision] < minRank) continue
      const score = round4(r.score)
      const containment = round4(r.containment)
      // Suggest and merge first by score (as before); related ones after, by containment, the
      // pair score breaking near ties (of two claims a post carries, the one closer in whole).
      const key =
        DECISION_RANK[r.decision] >= DECISION_RANK.suggest ? 3 + score : r.decision === 'related' ? 1 + containment + 0.25 * score : score
      hits.push({ doc, score, decision: r.decision, containment, key })
    }
    // Ties go to the older claim, so results are stable.
    hits.sort((a, b) => b.key - a.key || b.score - a.score || a.doc - b.doc)
    return hits.slice(0, limit).map((h) => ({
      id: this.ids[h.doc],
      score: h.score,
      decision: h.decision,
      containment: wantRelated ? h.containment : round4(containmentOf(q, this.featuresOf(h.doc))),
    }))
  }

  /** A stored claim's features: from the cache, or analysed again (texts are kept, features are not). */
  private featuresOf(doc: number): ClaimFeatures {
    const cached = this.featureCache.get(doc)
    if (cached) {
      this.featureCache.delete(doc)
      this.featureCache.set(doc, cached)
      return cached
    }
    const f = analyzeClaim(this.texts[doc], true)
    this.remember(doc, f)
    return f
  }

  private remember(doc: number, f: ClaimFeatures): void {
    this.featureCache.set(doc, f)
    if (this.featureCache.size > FEATURE_CACHE_SIZE) {
      const oldest = this.featureCache.keys().next().value
      if (oldest !== undefined) this.featureCache.delete(oldest)
    }
  }

  /** Vocabulary terms one edit away from an unknown word (bounded scan). */
  private nearTerms(term: string): number[] {
    const out: number[] = []
    for (let t = 0; t < this.terms.length && out.length < 4; t++) {
      const c = this.terms[t]
      if (Math.abs(c.length - term.length) <= 1 && withinOneEdit(term, c)) out.push(t)
    }
    return out
  }
}
