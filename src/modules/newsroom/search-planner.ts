/**
 * The search planner of the public newsroom: full-text search over listed releases
 * ({@link publiclyListed}), choosing per query between the GIN index and a walk through the
 * newest releases from the statistics ANALYZE keeps (see {@link searchPublicReleases}). The
 * reader's query is parsed by `search.ts` (`toTsQuery`); the verify page's lookups
 * (`verify-lookups.ts`) share the statistics and the pair tsquery.
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../db/index.ts'
import { publicColumns, publiclyListed } from '../releases/releases.public.ts'
import { releaseEditions, releases } from '../releases/releases.tables.ts'
import { spokespersons } from '../spokespersons/spokespersons.tables.ts'

/** Ranking works on blocks of this many matches, newest first (see {@link searchPublicReleases}). */
export const SEARCH_CANDIDATES = 200
/** Counts stop here; beyond it the page says "more than …". */
export const SEARCH_COUNT_CAP = 1000
/** How long the term frequencies read from the planner's statistics are reused. */
const SEARCH_STATS_TTL_MS = 60_000

/** The thresholds of {@link searchPublicReleases}' choices (row counts are releases; shares, of all releases). */
export interface SearchTuning {
  /** The walk is tried only for a query whose rarest part is in more than this many releases… */
  indexFirstRows: number
  /** …and whose guessed matches are more than this many; */
  guessRows: number
  /** it first reads this many of the newest listed releases (a sample)… */
  walkFirst: number
  /** …or, when the rarest part is in at least this share, enough at once to reach the count's cap; */
  broadShare: number
  /** if the matches among them promise at most this many in all, it leaves the rest to the index; */
  indexRows: number
  /** else it reads on in date order, never beyond this many releases in all. */
  walkRows: number
  /** In the index: a query expected to match at least this many releases is looked for among the recent ones first… */
  windowRows: number
  /** …those where this many times the matches needed are expected. */
  windowMargin: number
  /** A word held by more than this share is checked on the rows rather than asked of the index. */
  wordMax: number
  /** A prefix is asked of the index when all the lexemes it starts are held by at most this share… */
  prefixMax: number
  /** …and at most this many times the rarest word's. */
  prefixVsWord: number
  /** The guess counts adjacent words by their pair's share ({@link chainShare}; else as independent). */
  pairChain: boolean
}

/** The thresholds in use, chosen by measuring the bench's 100,000 releases (bench/releases.bench.ts). */
export const SEARCH_TUNING: Readonly<SearchTuning> = {
  indexFirstRows: 7000,
  guessRows: 12_000,
  walkFirst: 500,
  broadShare: 0.5,
  indexRows: 12_000,
  walkRows: 6000,
  windowRows: 2500,
  windowMargin: 2,
  wordMax: 0.8,
  prefixMax: 0.25,
  prefixVsWord: 3,
  pairChain: true,
}

/** One positive part of a reader's query (built by the newsroom's `toTsQuery`). */
export interface ReleaseSearchPart {
  kind: 'word' | 'prefix' | 'phrase'
  /** Folded tokens: the word, the prefix (without `:*`), or the phrase's words in order. */
  lexemes: string[]
  /** A phrase's consecutive word pairs, lexemes of `search_pairs` ("xa trung"); empty otherwise. */
  pairs: string[]
  /** The part as a tsquery over `search_vector`. */
  tsquery: SQL
  /** Its words in any order: a tsquery the GIN index answers without re-checking rows. */
  words: SQL
}

/** A reader's query: all of it as one tsquery (what a release must match, and its rank), its positive parts and its exclusions. */
export interface ReleaseSearch {
  tsquery: SQL
  parts: ReleaseSearchPart[]
  /** One `!!…` tsquery per excluded word. */
  excluded: SQL[]
}

/** How {@link searchPublicReleases} finds the matches: chosen per query (`auto`), or forced (tests, bench). */
export type SearchStrategy = 'auto' | 'walk' | 'index'

/** What ANALYZE last sampled of the releases: lexeme frequencies and publication dates. */
interface SearchStats {
  /** Releases in the table (all tenants and states), as the planner counts them. */
  rows: number
  /** Share of releases holding each common lexeme of `search_vector`, and of `search_pairs`. */
  vector: Map<string, number>
  pairs: Map<string, number> | null
  /** Assumed for a lexeme not listed: half the rarest listed one, as the planner assumes. */
  vectorRare: number
  pairsRare: number
  /** Publication dates splitting the releases into equal parts, oldest first (as text). */
  dates: string[]
}

const statsCache = new WeakMap<object, { at: number; value: Promise<SearchStats | null> }>()

/**
 * The statistics of {@link SearchStats} (null before the first ANALYZE), per pool: read once,
 * then refreshed in the background once a minute, so a search waits only for the first read.
 */
export function searchStats(db: Db): Promise<SearchStats | null> {
  const cached = statsCache.get(db.$client)
  if (cached && Date.now() - cached.at < SEARCH_STATS_TTL_MS) return cached.value
  // Without statistics every search asks the index for the whole query: still exact, maybe
  // slower. The reason goes to stderr (there is no request logger down here), once a minute.
  const value = readSearchStats(db).catch((err: unknown) => {
    process.stderr.write(`search statistics unreadable, the index answers alone: ${causeOf(err)}\n`)
    return null
  })
  if (!cached) {
    statsCache.set(db.$client, { at: Date.now(), value })
    return value
  }
  cached.at = Date.now()
  void value.then((v) => {
    cached.value = Promise.resolve(v)
  })
  return cached.value
}

/** The database's own message (Drizzle wraps it in "Failed query: <the whole statement>"). */
function causeOf(err: unknown): string {
  if (err instanceof Error) return err.cause instanceof Error ? err.cause.message : err.message
  return String(err)
}

async function readSearchStats(db: Db): Promise<SearchStats | null> {
  const { rows } = await db.execute<{
    attname: string
    elems: string[] | null
    freqs: number[] | null
    bounds: string[] | null
    reltuples: number
  }>(sql`
    SELECT s.attname::text AS attname, s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS freqs,
      s.histogram_bounds::text::text[] AS bounds, c.reltuples
    FROM pg_stats s JOIN pg_class c ON c.oid = 'releases'::regclass
    WHERE s.schemaname = current_schema() AND s.tablename = 'releases'
      AND s.attname IN ('search_vector', 'search_pairs', 'last_published_at')`)
  const read = (attname: string) => {
    const row = rows.find((r) => r.attname === attname)
    if (!row?.elems?.length || !row.freqs) return null
    const map = new Map(row.elems.map((e, i) => [e, Number(row.freqs?.[i])]))
    // After one frequency per element come the lowest and highest of them, then the null share.
    return { map, rare: Number(row.freqs[row.elems.length]) / 2 }
  }
  const vector = read('search_vector')
  const pairs = read('search_pairs')
  const total = Number(rows[0]?.reltuples)
  if (!vector || !(total > 0)) return null
  const dates = rows.find((r) => r.attname === 'last_published_at')?.bounds ?? []
  return {
    rows: total,
    vector: vector.map,
    vectorRare: vector.rare,
    pairs: pairs?.map ?? null,
    pairsRare: pairs?.rare ?? vector.rare,
    dates,
  }
}

/** The publication date after which about `count` releases were published (null: nearly all of them, or unknown). */
function dateOfNewest(stats: SearchStats, count: number): string | null {
  const share = count / stats.rows
  if (stats.dates.length < 10 || share >= 0.8) return null
  return stats.dates[Math.floor((1 - share) * (stats.dates.length - 1))] ?? null
}

/** A part of the query as the GIN index finds it, and the share of releases estimated to hold it. */
interface IndexTerm {
  part: ReleaseSearchPart
  share: number
  /** What reading it in the index costs, as a share of releases: a prefix reads every posting of every lexeme it starts. */
  postings: number
  /** The index finds exactly the releases matching the part (no check of the row needed). */
  exact: boolean
  /** A tsquery over search_vector (words in any order), or pair lexemes of search_pairs. */
  vector?: SQL
  pairs?: string[]
}

/** How the index finds `part`, with the share of releases holding it (an upper bound: its rarest lexeme or pair). */
function indexTerm(part: ReleaseSearchPart, stats: SearchStats): IndexTerm {
  const word = (w: string) => stats.vector.get(w) ?? stats.vectorRare
  if (part.kind === 'prefix') {
    const x = part.lexemes[0] as string
    // Releases holding any of the lexemes it starts (as if independent); postings: all of theirs.
    let none = 1
    let postings = 0
    for (const [lexeme, f] of stats.vector) {
      if (!lexeme.startsWith(x)) continue
      none *= 1 - f
      postings += f
    }
    const share = Math.max(1 - none, stats.vectorRare)
    return { part, share, postings: Math.max(postings, share), exact: true, vector: part.words }
  }
  const share = Math.min(...part.lexemes.map(word))
  if (part.kind === 'word') return { part, share, postings: share, exact: true, vector: part.words }
  if (part.pairs.length === 0) return { part, share, postings: share, exact: false, vector: part.words }
  // A phrase's pairs are never more frequent than its words together; a single pair is the phrase.
  const pairs = Math.min(share, ...part.pairs.map((p) => stats.pairs?.get(p) ?? stats.pairsRare))
  return { part, share: pairs, postings: pairs, exact: part.pairs.length === 1, pairs: part.pairs }
}

/**
 * The share of releases holding all of `parts`, as a chain in the query's order: each word as
 * likely as on its own or, after the word typed before it, as likely as their pair in
 * `search_pairs` says when that is more — words typed together mostly come together ("đua xe
 * trái phép"), which independence would take for rare. A prefix being typed counts as the
 * word it already is ("trái phép" for "trai phep"). At most `rarest`.
 */
function chainShare(parts: ReleaseSearchPart[], stats: SearchStats, rarest: number): number {
  let share = 1
  let before: { lexeme: string; share: number } | null = null
  for (const part of parts) {
    const term = indexTerm(part, stats)
    let next = term.share
    const lexeme = part.kind === 'phrase' ? null : (part.lexemes[0] as string)
    const pair = before && lexeme !== null ? stats.pairs?.get(`${before.lexeme} ${lexeme}`) : undefined
    if (before && pair !== undefined) next = Math.max(next, Math.min(1, pair / before.share))
    share *= next
    before = lexeme !== null ? { lexeme, share: term.share } : null
  }
  return Math.min(share, rarest)
}

/** How the GIN index finds a query's releases. */
interface IndexPlan {
  /** The share of releases holding the query's rarest part: at least the share matching it. */
  share: number
  /**
   * A guess at the share matching the whole query: the geometric mean of the rarest part's share
   * (parts always together) and the chain of {@link chainShare} (parts independent, except words
   * typed together, which come together as often as their pair does).
   */
  guess: number
  /** The index condition: the rarest part, and every other part worth intersecting in the index. */
  condition: SQL
  /** What the index does not check exactly, to check on each row found (null: nothing). */
  rest: SQL | null
}

/**
 * How the index finds `search`'s releases: the rarest part, with the other words unless nearly
 * every release holds them (skipping through their postings costs more than it spares) and a
 * prefix only when its lexemes are rare enough; the rest is checked on the rows found. Null
 * without statistics (the whole query then goes to the index).
 */
function indexPlan(search: ReleaseSearch, stats: SearchStats | null, tuning: SearchTuning): IndexPlan | null {
  if (!stats || search.parts.length === 0) return null
  const terms = search.parts.map((p) => indexTerm(p, stats)).sort((a, b) => a.share - b.share)
  const rarestWord = terms.find((t) => t.part.kind !== 'prefix')?.share ?? 1
  const chosen = terms.filter(
    (t, i) =>
      i === 0 ||
      (t.part.kind === 'prefix' ? t.postings <= Math.min(tuning.prefixMax, tuning.prefixVsWord * rarestWord) : t.share <= tuning.wordMax),
  )
  const vector = chosen.flatMap((t) => (t.vector ? [t.vector] : []))
  const pairs = chosen.flatMap((t) => t.pairs ?? [])
  const conditions: SQL[] = []
  if (vector.length > 0) conditions.push(sql`${releases.searchVector} @@ (${sql.join(vector, sql` && `)})`)
  if (pairs.length > 0) conditions.push(sql`${releases.searchPairs} @@ ${pairsQuery(pairs, '&')}`)
  const rest = [...terms.filter((t) => !(chosen.includes(t) && t.exact)).map((t) => t.part.tsquery), ...search.excluded]
  const rarest = terms[0]?.share as number
  const together = tuning.pairChain ? chainShare(search.parts, stats, rarest) : terms.reduce((x, t) => x * t.share, 1)
  return {
    share: rarest,
    guess: Math.sqrt(rarest * together),
    condition: and(...conditions) as SQL,
    rest: rest.length > 0 ? sql.join(rest, sql` && `) : null,
  }
}

/**
 * Full-text search over listed releases ({@link publiclyListed}, applied by every statement),
 * best first. Results come in blocks of SEARCH_CANDIDATES matches by publication date, newest
 * block first, ranked within each block by `ts_rank_cd` (title matches weigh more); `total` is
 * the number of matches, capped at SEARCH_COUNT_CAP + 1 ("more than …"). `search` comes from
 * the newsroom's `toTsQuery`; `strategy` and `tuning` are for tests and the bench.
 *
 * The cost is in the rows read, and common syllables of Vietnamese ("thanh", "hoa", "cong",
 * "an") are in nearly every release while a commune's name is in one in a hundred, so the way
 * to the matches is chosen per query, from the lexeme frequencies ANALYZE keeps on
 * `search_vector` and `search_pairs` (read once a minute): the share of releases holding the
 * query's rarest part (an upper bound of its matches) and a guess at its matches
 * ({@link IndexPlan}).
 *
 * - **In the GIN index** (the default; always without statistics): the index finds the rarest
 *   part — a phrase by its word pairs (`search_pairs`, migration 0004) — intersected with the
 *   other parts rare enough to be worth it; the rest of the query is checked on each row found.
 *   Few matches expected (under `windowRows`): all of them, sorted by date and counted in one
 *   statement. More: first only those published since a date (from the statistics' histogram
 *   of publication dates) after which `windowMargin` times the matches needed should be — the
 *   planner intersects the GIN index with the date btree, so older matches are not read — and
 *   the count, up to the cap, from the index in the same statement; too few there → once more
 *   with the share found, then all.
 * - **Walking the newest releases**, for a query whose rarest part and guessed matches are both
 *   many (`indexFirstRows`, `guessRows`): listed releases in date order (the `releases_status`
 *   btree), each checked (`ts_match_vq` on `search_vector`, stored in the row: ~1 µs, no TOAST
 *   fetch), first a sample (`walkFirst`, or at once enough for the count's cap when the rarest
 *   part is everywhere). The share of matches among them decides: at most `indexRows` in all →
 *   the index, as above; else read on to the first block, and on to the cap when that is near
 *   (else the count comes from the index), never beyond `walkRows` releases in all.
 *
 * Whatever the way, every row returned was checked against the whole query, so the result is
 * exact and the same (releases.search.test.ts compares every way with the plain definition); an
 * estimate that is off only costs time. The statements are separate, not one snapshot: a
 * release published meanwhile may be counted and not yet listed, or the reverse; the page rows
 * are checked against the visibility rule again.
 *
 * Trade-offs: relevance ranks only within a block of SEARCH_CANDIDATES by date (it was the
 * newest 2,000, and nothing after them): an older release matching in its title comes after
 * every newer block; deeper pages cost more (their block must be reached) but all are
 * reachable; the count is exact up to the cap.
 */
export async function searchPublicReleases(
  db: Db,
  tenantId: string,
  search: ReleaseSearch,
  f: { kind?: string; limit?: number; offset?: number; strategy?: SearchStrategy; tuning?: Partial<SearchTuning> } = {},
) {
  const tuning = { ...SEARCH_TUNING, ...f.tuning }
  const limit = Math.min(f.limit ?? 20, 100)
  const offset = Math.max(0, f.offset ?? 0)
  const block = SEARCH_CANDIDATES
  const firstBlock = Math.floor(offset / block)
  /** Matches needed, newest first: every block the page touches. */
  const need = (Math.floor((offset + limit - 1) / block) + 1) * block
  /** …and to tell the count (one more than the cap means "more than"). */
  const want = Math.max(SEARCH_COUNT_CAP + 1, need)
  const listed: SQL[] = [publiclyListed(tenantId)]
  if (f.kind) listed.push(eq(releases.kind, f.kind as 'press_release'))
  const q = search.tsquery
  const strategy = f.strategy ?? 'auto'
  const stats = await searchStats(db)
  const tableRows = stats?.rows ?? 0
  const plan = indexPlan(search, stats, tuning)
  // Without statistics, the whole query is asked of the index.
  const anchor = plan
    ? and(plan.condition, plan.rest ? sql`ts_match_vq(${releases.searchVector}, (${plan.rest}))` : undefined)
    : sql`${releases.searchVector} @@ (${q})`

  /** All matches from the index, sorted by date: the newest `need`, and how many there are. */
  const fromIndex = async () => {
    const rows = await db
      .select({ id: releases.id, n: sql<number>`count(*) OVER ()` })
      .from(releases)
      .where(and(...listed, anchor))
      .orderBy(desc(releases.lastPublishedAt))
      .limit(need)
    return { ids: rows.map((r) => r.id), total: Number(rows[0]?.n ?? 0) }
  }
  /** Counts the matches, up to the cap, from the index (fenced, so that it is read as a whole). */
  const countMatches = async () => {
    const { rows } = await db.execute<{ n: number }>(sql`
      WITH m AS MATERIALIZED (SELECT 1 FROM ${releases} WHERE ${and(...listed, anchor)})
      SELECT count(*)::int AS n FROM (SELECT 1 FROM m LIMIT ${SEARCH_COUNT_CAP + 1}) x`)
    return rows[0]?.n ?? 0
  }
  /**
   * Reads up to `count` listed releases in date order (from the date `from` on, inclusive),
   * checking each, and returns the matches, at most `stopAt`. The last release it may read comes
   * back too (n = count): there are more, from its date. Dates travel as text (microseconds).
   */
  const walk = async (count: number, stopAt: number, from: string | undefined) => {
    const { rows } = await db.execute<{ id: string; at: string; hit: boolean; n: number }>(sql`
      SELECT w.id, w.at::text AS at, w.hit, w.n FROM (
        SELECT ${releases.id} AS id, ${releases.lastPublishedAt} AS at, ts_match_vq(${releases.searchVector}, (${q})) AS hit,
          row_number() OVER (ORDER BY ${releases.lastPublishedAt} DESC) AS n
        FROM ${releases}
        WHERE ${and(...listed, from === undefined ? undefined : sql`${releases.lastPublishedAt} <= ${from}::timestamptz`)}
        ORDER BY ${releases.lastPublishedAt} DESC LIMIT ${count}
      ) w WHERE w.hit OR w.n = ${count}
      ORDER BY w.at DESC LIMIT ${stopAt + 1}`)
    const last = rows.find((r) => Number(r.n) === count)
    return { hits: rows.filter((r) => r.hit).map((r) => r.id), next: last?.at, readAll: rows.length <= stopAt && !last }
  }

  /** The matches needed and their number (a count may still be running beside the reads that follow). */
  let result: { ids: string[]; total: number | Promise<number> } | undefined
  /** The share of matches among the newest releases, when the walk measured it. */
  let density: number | undefined
  if (
    strategy === 'walk' ||
    (strategy === 'auto' && plan && plan.share * tableRows > tuning.indexFirstRows && plan.guess * tableRows > tuning.guessRows)
  ) {
    const hits: string[] = []
    const seen = new Set<string>()
    let read = 0
    let from: string | undefined
    // Enough for the count at once when the rarest part is in most releases; else a sample.
    let count = plan && plan.share >= tuning.broadShare ? Math.ceil((1.1 * want) / plan.share) : tuning.walkFirst
    for (;;) {
      // (A read from a date takes again the last release of the read before, maybe a match.)
      const w = await walk(count, want - hits.length + (from === undefined ? 0 : 1), from)
      for (const id of w.hits) {
        if (seen.has(id)) continue
        seen.add(id)
        hits.push(id)
      }
      read += count
      if (hits.length >= want || w.readAll) {
        result = { ids: hits.slice(0, need), total: hits.length }
        break
      }
      // More releases published at one instant than one read takes: leave them to the index.
      if (w.next === from) break
      from = w.next
      // The share of matches among the releases read tells what is cheaper from here.
      density = hits.length / read
      if (strategy === 'auto' && density * tableRows <= tuning.indexRows) break
      const toCount = (want - hits.length) / Math.max(density, 1e-6)
      const toBlock = (need - hits.length) / Math.max(density, 1e-6)
      if (read + toCount <= tuning.walkRows) count = Math.ceil(Math.max(toCount * 1.2, 200))
      else if (hits.length >= need) {
        result = { ids: hits.slice(0, need), total: countMatches() }
        break
      } else if (read + toBlock <= tuning.walkRows) count = Math.ceil(Math.max(toBlock * 1.3, 200))
      else break
    }
  }
  if (!result && strategy !== 'walk' && stats) {
    // Twice the releases that should hold the blocks needed, newest first; if they hold too few,
    // once more with the share of matches found there (the count is known by then).
    const expected = (density ?? plan?.guess ?? 0) * tableRows
    let recent = expected >= tuning.windowRows ? (tuning.windowMargin * need * tableRows) / expected : Number.POSITIVE_INFINITY
    // The count runs beside the window reads and the page, on another connection of the pool:
    // the scans overlap instead of adding up (a query waits for the longer, not for both).
    let counting: Promise<number> | undefined
    for (let attempt = 0; attempt < 2 && !result; attempt++) {
      const since = Number.isFinite(recent) ? dateOfNewest(stats, recent) : null
      if (!since) break
      if (!counting) {
        counting = countMatches()
        // Handled here too, so a failing window read never leaves a rejection unobserved.
        counting.catch(() => undefined)
      }
      const { rows } = await db.execute<{ id: string }>(
        sql`SELECT ${releases.id} AS id FROM ${releases} WHERE ${and(...listed, anchor, sql`${releases.lastPublishedAt} >= ${since}::timestamptz`)}
          ORDER BY ${releases.lastPublishedAt} DESC LIMIT ${need}`,
      )
      if (rows.length >= need) result = { ids: rows.map((r) => r.id), total: counting }
      else if (rows.length > 0) recent *= (1.5 * need) / rows.length
      else break
    }
    // A count started for windows that came up short finishes before the fallback below.
    if (counting && !result) await counting.catch(() => undefined)
  }
  const { ids, total: matching } = result ?? (await fromIndex())
  const candidates = ids.slice(firstBlock * block)
  if (candidates.length === 0) {
    await matching
    return []
  }

  // The page: candidates ranked within their blocks and cut to the page in the subquery; the
  // rows (visibility checked again) come back in any order and are put in that order here.
  const rank = sql<number>`ts_rank_cd(${releases.searchVector}, (${q}))`
  const pageIds = sql`(
    SELECT c.id FROM unnest(${sql.param(candidates)}::uuid[]) WITH ORDINALITY AS c(id, n)
    JOIN ${releases} ON ${releases.id} = c.id
    ORDER BY (c.n - 1) / ${sql.raw(String(block))}, ${rank} DESC, c.n
    LIMIT ${limit} OFFSET ${offset - firstBlock * block})`
  const [rows, matched] = await Promise.all([
    db
      .select({ ...publicColumns, searchText: releases.searchText, rank })
      .from(releases)
      .innerJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
      .leftJoin(spokespersons, eq(spokespersons.id, releases.spokespersonId))
      .where(and(publiclyListed(tenantId), sql`${releases.id} IN ${pageIds}`)),
    matching,
  ])
  const total = Math.min(matched, SEARCH_COUNT_CAP + 1)
  const at = new Map(candidates.map((id, i) => [id, i]))
  const key = (r: (typeof rows)[number]) => at.get(r.id) ?? 0
  return rows
    .map((r) => ({ ...r, rank: Number(r.rank), total }))
    .sort((a, b) => Math.floor(key(a) / block) - Math.floor(key(b) / block) || b.rank - a.rank || key(a) - key(b))
}

/** A tsquery of pair lexemes (two lexemes joined by a space; quoted and escaped), joined by `op`. */
export function pairsQuery(pairs: string[], op: '&' | '|'): SQL {
  return sql`${pairs.map((p) => `'${p.replace(/['\\]/g, '\\$&')}'`).join(` ${op} `)}::tsquery`
}
