/**
 * The matcher of "Tin nhắn này có phải lừa đảo?": per tenant, an in-memory {@link ClaimIndex}
 * over what the public may see about scams — the scam warnings in force (title, description
 * and each pattern of the published snapshot, as separate documents) and the desk's published
 * verdicts about scams (the claim's statement and the verdict's headline) — and a map of the
 * canonical links they name.
 *
 * Freshness: a stamp of the public content (count and latest time of the warnings' published
 * versions and of the published verdicts) says when the index must be rebuilt (once per change;
 * concurrent checks wait for the same build). Every path to the public writes a version row
 * (publish, update, cancel, close) or publishes a verdict, and notifies `donghanh_public`. In a
 * process whose app listens ({@link watchPublicChanges}), the stamp is read only after such a
 * notification (or a listener reconnect), and at least every {@link RECHECK_MS} as a safety
 * net: a check costs no query. Without a listener (scripts, benches) it is read on every check.
 * Expiry needs no change: each warning keeps its validity and is filtered at query time.
 *
 * Nothing pasted is kept: the text lives in this call only (the index's small cache of recent
 * query features is per process and never written anywhere).
 */
import { sql } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { PUBLIC_CHANGE_CHANNEL } from '../../../platform/notify.ts'
import { ClaimIndex, type ClaimMatch } from '../../../text/match-index.ts'
import { MAX_MATCH_CHARS } from '../../../text/match-features.ts'
import { DECISION_RANK, RELATED_THRESHOLD } from '../../../text/match-score.ts'
import { decodeEntities, looksLikeHtml, stripHtml } from '../../../text/normalize.ts'
import { canonicalUrl, URL_RE } from '../../../text/url-canonical.ts'
import type { VerdictLabel } from '../../factcheck/factcheck.tables.ts'
import { publicWarnings } from '../warnings.public.ts'
import type { WarningLevel } from '../warnings.types.ts'

/** Longest paste accepted, in characters (a message or a call script, not a book). */
export const SELFCHECK_MAX_CHARS = 20_000
/** Warnings and verdicts shown at most, each. */
export const SELFCHECK_MAX_RESULTS = 5
/**
 * Candidates rescored per search (the index's default). Every rescored candidate is returned
 * (the tier is decided here, see `counts`). 60 halved the cost on the bench's 10,000 warnings
 * and verdicts but found a warning for 10 % fewer scam messages.
 */
const SEARCH_CANDIDATES = 120
/** Links read from one paste at most. */
export const SELFCHECK_MAX_LINKS = 20

/**
 * Verdict labels that mark a claim as untrue or misleading: a verdict with one of these (or
 * whose claim or headline speaks of "lừa đảo", or whose claim the desk triaged as a scam or an
 * impersonation) is about a scam for the self-check.
 */
export const SCAM_VERDICT_LABELS: readonly VerdictLabel[] = ['scam', 'false', 'fabricated', 'distorted', 'missing_context']

/** A warning that matches a paste. */
export interface SelfCheckWarning {
  slug: string
  title: string
  titleEn: string | null
  level: WarningLevel
  /** What to do (the warning's instruction). */
  instruction: string
  instructionEn: string | null
  /** 0 … 1: 1 for a link the warning names; else the best of the pair score and the containment. */
  score: number
  matchedBy: 'text' | 'link'
}

/** A published verdict that matches a paste. */
export interface SelfCheckVerdict {
  slug: string
  headline: string
  label: VerdictLabel
  score: number
  matchedBy: 'text' | 'link'
}

/** A link found in a paste. */
export interface SelfCheckLink {
  /** As written (at most 300 characters). */
  url: string
  canonical: string
  /** True when a warning in force or a published scam verdict names it (or its bare host). */
  known: boolean
}

/** What a self-check finds. */
export interface SelfCheckResult {
  warnings: SelfCheckWarning[]
  verdicts: SelfCheckVerdict[]
  links: SelfCheckLink[]
}

/** A paste made ready for matching: its plain text and the links it carries. */
export interface Paste {
  text: string
  links: { url: string; canonical: string }[]
}

interface WarningEntry {
  kind: 'w'
  id: string
  slug: string
  title: string
  titleEn: string | null
  level: WarningLevel
  instruction: string
  instructionEn: string | null
  validFrom: number
  validUntil: number | null
}

interface VerdictEntry {
  kind: 'v'
  id: string
  slug: string
  headline: string
  label: VerdictLabel
}

type Entry = WarningEntry | VerdictEntry

/** A tenant's index: documents keyed `<entry id>|<n>`, links and bare hosts to the entries naming them. */
export interface SelfCheckIndex {
  index: ClaimIndex
  entries: Map<string, Entry>
  links: Map<string, Set<string>>
  hosts: Map<string, Set<string>>
  /** Documents indexed. */
  documents: number
  /** Milliseconds the build took. */
  buildMs: number
}

/** Longest a listening process trusts its index without reading the stamp again. */
export const RECHECK_MS = 5_000

interface Held {
  stamp: string
  built: Promise<SelfCheckIndex>
  /** The tenant's change count when the stamp was read. */
  seen: number
  /** When the stamp was read (ms). */
  checkedAt: number
}

const indexes = new Map<string, Held>()
/** Apps of this process whose listener reports public changes. */
let listening = 0
/** Public changes heard, per tenant ('' counts for every tenant: a reconnect). */
const changes = new Map<string, number>()
const changesOf = (tenantId: string) => (changes.get(tenantId) ?? 0) + (changes.get('') ?? 0)

/**
 * Lets the app's listener tell this process of public changes (`donghanh_public`, payload the
 * tenant id; empty after a reconnect): checks then read the stamp only after a change. Stops
 * when the app closes.
 */
export async function watchPublicChanges(app: {
  ctx: { events: { on(channel: string, handler: (payload: string) => void): Promise<void> } }
  addHook(name: 'onClose', hook: () => Promise<void>): unknown
}): Promise<void> {
  let open = true
  await app.ctx.events.on(PUBLIC_CHANGE_CHANNEL, (tenantId) => {
    if (open) changes.set(tenantId, (changes.get(tenantId) ?? 0) + 1)
  })
  listening++
  app.addHook('onClose', async () => {
    if (!open) return
    open = false
    listening--
  })
}

/**
 * Checks the length and emptiness of a paste (raw, as received).
 * @throws SELFCHECK_TOO_LONG over {@link SELFCHECK_MAX_CHARS}, SELFCHECK_EMPTY when nothing is left
 */
export function checkPasteLength(raw: string): void {
  if (raw.length > SELFCHECK_MAX_CHARS) throw new AppError('SELFCHECK_TOO_LONG', { max: SELFCHECK_MAX_CHARS, chars: raw.length })
}

/**
 * A paste made ready for matching: HTML reduced to its text (tags stripped, entities decoded;
 * the links of `href` attributes kept), links found in running text, canonical and de-duplicated.
 * @throws SELFCHECK_TOO_LONG, SELFCHECK_EMPTY
 */
export function readPaste(raw: string): Paste {
  checkPasteLength(raw)
  const hrefs: string[] = []
  let text: string
  if (looksLikeHtml(raw)) {
    for (const m of raw.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) hrefs.push(decodeEntities(m[1] ?? m[2] ?? m[3] ?? ''))
    text = stripHtml(raw)
  } else {
    text = decodeEntities(raw)
  }
  text = text.trim()
  const links: Paste['links'] = []
  const seen = new Set<string>()
  const take = (url: string) => {
    const trimmed = url.trim().replace(/[),.;!?\]]+$/, '')
    const canonical = canonicalUrl(trimmed)
    if (!canonical || seen.has(canonical) || links.length >= SELFCHECK_MAX_LINKS) return
    seen.add(canonical)
    links.push({ url: trimmed.slice(0, 300), canonical })
  }
  for (const h of hrefs) take(h)
  for (const m of text.matchAll(URL_RE)) take(m[0])
  if (text.length === 0 && links.length === 0) throw new AppError('SELFCHECK_EMPTY')
  return { text, links }
}

/** The host of a canonical link when it names a bare host (no path, no query), else null. */
function bareHost(canonical: string): string | null {
  const u = new URL(canonical)
  return u.pathname === '/' || u.pathname === '' ? (u.search ? null : u.host) : null
}

function hostOf(canonical: string): string {
  return new URL(canonical).host
}

function addLink(ix: SelfCheckIndex, raw: string, entryId: string): void {
  const c = canonicalUrl(raw)
  if (!c) return
  const set = ix.links.get(c) ?? new Set<string>()
  set.add(entryId)
  ix.links.set(c, set)
  const host = bareHost(c)
  if (host) {
    const hs = ix.hosts.get(host) ?? new Set<string>()
    hs.add(entryId)
    ix.hosts.set(host, hs)
  }
}

/** Links in a text (a claim's statement), raw. */
function linksIn(text: string): string[] {
  return [...text.matchAll(URL_RE)].map((m) => m[0].replace(/[),.;!?\]]+$/, ''))
}

/** The stamp of a tenant's public scam content: changes whenever the index must be rebuilt. */
async function stampOf(db: Db, tenantId: string): Promise<string> {
  const r = await db.execute<{ w: string; v: string }>(sql`
    SELECT
      (SELECT count(*)::text || '/' || coalesce(max(sent_at)::text, '') FROM warning_versions WHERE tenant_id = ${tenantId}) AS w,
      (SELECT count(*)::text || '/' || coalesce(max(v.published_at)::text, '')
         FROM claims c JOIN verdicts v ON v.id = c.published_verdict_id
        WHERE c.tenant_id = ${tenantId} AND c.status = 'published') AS v`)
  const row = r.rows[0]
  return `${row?.w ?? ''}|${row?.v ?? ''}`
}

/** Builds a tenant's index from what the public may see now. */
async function build(db: Db, tenantId: string): Promise<SelfCheckIndex> {
  const t0 = performance.now()
  const ix: SelfCheckIndex = { index: new ClaimIndex(), entries: new Map(), links: new Map(), hosts: new Map(), documents: 0, buildMs: 0 }
  const add = (entryId: string, n: number, text: string | null | undefined) => {
    if (!text?.trim()) return
    ix.index.add(`${entryId}|${n}`, text)
    ix.documents++
  }
  // The public rule (warnings.public.ts): the latest published version of active warnings not
  // expired; never a draft, a cancelled or a closed one.
  const warnings = await publicWarnings(db, tenantId, { kinds: ['scam'], limit: 1_000_000 })
  for (const w of warnings) {
    const s = w.snapshot
    const id = `w:${w.id}`
    ix.entries.set(id, {
      kind: 'w',
      id: w.id,
      slug: w.slug,
      title: s.titleVi,
      titleEn: s.titleEn,
      level: s.level,
      instruction: s.instructionVi,
      instructionEn: s.instructionEn,
      validFrom: new Date(s.validFrom).getTime(),
      validUntil: s.validUntil ? new Date(s.validUntil).getTime() : null,
    })
    add(id, 0, s.titleVi)
    add(id, 1, s.descriptionVi)
    s.patterns.forEach((p, i) => {
      add(id, 2 + i, p)
    })
    for (const link of s.links) addLink(ix, link, id)
  }
  // Published verdicts about scams (what /kiem-chung shows: a published claim and its verdict).
  const verdicts = await db.execute<{
    id: string
    slug: string
    statement: string
    appearances: string[]
    label: VerdictLabel
    headline: string
  }>(sql`
    SELECT c.id, c.slug, c.statement, c.appearances, v.label, v.headline
    FROM claims c JOIN verdicts v ON v.id = c.published_verdict_id
    WHERE c.tenant_id = ${tenantId} AND c.status = 'published' AND c.slug IS NOT NULL AND v.status = 'published'
      AND (v.label = ANY(${sql.param([...SCAM_VERDICT_LABELS])}::text[])
           OR c.harm IN ('scam', 'impersonation')
           OR fold_vi(c.statement || ' ' || v.headline) LIKE '%lua dao%')`)
  for (const v of verdicts.rows) {
    const id = `v:${v.id}`
    ix.entries.set(id, { kind: 'v', id: v.id, slug: v.slug, headline: v.headline, label: v.label })
    add(id, 0, v.statement)
    add(id, 1, v.headline)
    for (const link of [...(v.appearances ?? []), ...linksIn(v.statement)]) addLink(ix, link, id)
  }
  ix.buildMs = performance.now() - t0
  return ix
}

/**
 * The tenant's index, rebuilt when the public content changed since it was built (one stamp
 * query per call; a rebuild at most once per change, shared by concurrent callers).
 */
export async function selfCheckIndexFor(db: Db, tenantId: string): Promise<SelfCheckIndex> {
  const held = indexes.get(tenantId)
  const seen = changesOf(tenantId)
  const at = Date.now()
  if (held && listening > 0 && held.seen === seen && at - held.checkedAt < RECHECK_MS) return held.built
  const stamp = await stampOf(db, tenantId)
  const current = indexes.get(tenantId)
  if (current && current.stamp === stamp) {
    // `seen` was taken before the stamp: a change heard meanwhile makes the next check read again.
    current.seen = seen
    current.checkedAt = at
    return current.built
  }
  const built = build(db, tenantId)
  const entry: Held = { stamp, built, seen, checkedAt: at }
  indexes.set(tenantId, entry)
  built.catch(() => {
    if (indexes.get(tenantId) === entry) indexes.delete(tenantId)
  })
  return built
}

/** Forgets every tenant's index (tests, benches). */
export function resetSelfCheckIndexes(): void {
  indexes.clear()
}

/** Whether an app of this process feeds public changes to the self-check (benches print it). */
export function selfCheckListening(): boolean {
  return listening > 0
}

/**
 * How a hit ranks: matches the desk would suggest or merge by their score, then those whose
 * containment reaches the `related` threshold, by containment (as `ClaimIndex.search` ranks).
 */
function rankOf(m: ClaimMatch): number {
  if (DECISION_RANK[m.decision] >= DECISION_RANK.suggest) return 3 + m.score
  return 1 + m.containment + 0.25 * m.score
}

/**
 * A hit counts when it is `related` or better. The index gives `related` only when the longer
 * text is at least twice as long as the shorter (it keeps claims of like length apart at the
 * desk); here a pasted message and a warning's description are often of like length, so a
 * containment at the same threshold counts whatever the lengths ("tôi là cán bộ công an, bạn có
 * biên bản phạt nguội, bấm vào link để nộp phạt", unmarked, is carried by the description of
 * the "nộp phạt nguội qua đường link" warning).
 */
function counts(m: ClaimMatch): boolean {
  return DECISION_RANK[m.decision] >= DECISION_RANK.related || m.containment >= RELATED_THRESHOLD
}

/** Pieces of at most {@link MAX_MATCH_CHARS} (the index reads no more of a query), cut at spaces. */
function chunksOf(text: string): string[] {
  if (text.length <= MAX_MATCH_CHARS) return [text]
  const out: string[] = []
  let rest = text
  while (rest.length > 0 && out.length < Math.ceil(SELFCHECK_MAX_CHARS / MAX_MATCH_CHARS) + 1) {
    if (rest.length <= MAX_MATCH_CHARS) {
      out.push(rest)
      break
    }
    let cut = rest.lastIndexOf(' ', MAX_MATCH_CHARS)
    if (cut < MAX_MATCH_CHARS / 2) cut = MAX_MATCH_CHARS
    out.push(rest.slice(0, cut))
    rest = rest.slice(cut).trimStart()
  }
  return out
}

/** Fewest words of a paragraph searched on its own (shorter ones match by chance). */
export const MIN_PARAGRAPH_WORDS = 6
/** Paragraphs searched on their own, at most. */
const MAX_PARAGRAPHS = 20

/**
 * The paragraphs of a paste worth searching on their own, when it has more than one: a chat
 * pasted whole, or the text read from a screenshot, whose author, time and buttons ("Thích
 * Bình luận Chia sẻ") are paragraphs of their own and would dilute the message in the whole.
 */
function paragraphsOf(text: string): string[] {
  const parts = text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.split(' ').length >= MIN_PARAGRAPH_WORDS)
  return parts.length > 1 || (parts.length === 1 && parts[0] !== text.replace(/\s+/g, ' ').trim()) ? parts.slice(0, MAX_PARAGRAPHS) : []
}

/**
 * Searches a built index with a paste (no database): the matching warnings in force and
 * published verdicts, best first, at most {@link SELFCHECK_MAX_RESULTS} of each, and the
 * paste's links with whether a warning or verdict names them.
 */
export function searchSelfCheck(ix: SelfCheckIndex, paste: Paste, at: Date = now()): SelfCheckResult {
  const best = new Map<string, { rank: number; score: number; matchedBy: 'text' | 'link' }>()
  const consider = (entryId: string, rank: number, score: number, matchedBy: 'text' | 'link') => {
    const prev = best.get(entryId)
    if (!prev || rank > prev.rank) best.set(entryId, { rank, score, matchedBy })
  }
  const links: SelfCheckLink[] = paste.links.map((l) => {
    const named = new Set([...(ix.links.get(l.canonical) ?? []), ...(ix.hosts.get(hostOf(l.canonical)) ?? [])])
    for (const id of named) consider(id, 10, 1, 'link')
    return { url: l.url, canonical: l.canonical, known: false }
  })
  if (paste.text.length > 0) {
    // The whole paste, then each paragraph on its own (the best match of each entry counts).
    for (const chunk of [...chunksOf(paste.text), ...paragraphsOf(paste.text)]) {
      for (const m of ix.index.search(chunk, { minDecision: 'none', limit: SEARCH_CANDIDATES, candidates: SEARCH_CANDIDATES })) {
        if (!counts(m)) continue
        const entryId = String(m.id).split('|')[0] as string
        consider(entryId, rankOf(m), Math.round(Math.max(m.score, m.containment) * 1e4) / 1e4, 'text')
      }
    }
  }
  const t = at.getTime()
  const live = (e: Entry) => e.kind === 'v' || (e.validFrom <= t && (e.validUntil === null || e.validUntil > t))
  const ranked = [...best.entries()]
    .map(([id, b]) => ({ entry: ix.entries.get(id), ...b }))
    .filter((x): x is { entry: Entry; rank: number; score: number; matchedBy: 'text' | 'link' } => !!x.entry && live(x.entry))
    .sort((a, b) => b.rank - a.rank)
  // A link is known when a warning in force or a published verdict names it.
  const liveIds = new Set(ranked.map((x) => (x.entry.kind === 'w' ? `w:${x.entry.id}` : `v:${x.entry.id}`)))
  for (const l of links) {
    const named = [...(ix.links.get(l.canonical) ?? []), ...(ix.hosts.get(hostOf(l.canonical)) ?? [])]
    l.known = named.some((id) => liveIds.has(id))
  }
  const warnings: SelfCheckWarning[] = []
  const verdicts: SelfCheckVerdict[] = []
  for (const x of ranked) {
    const e = x.entry
    if (e.kind === 'w' && warnings.length < SELFCHECK_MAX_RESULTS)
      warnings.push({
        slug: e.slug,
        title: e.title,
        titleEn: e.titleEn,
        level: e.level,
        instruction: e.instruction,
        instructionEn: e.instructionEn,
        score: x.score,
        matchedBy: x.matchedBy,
      })
    else if (e.kind === 'v' && verdicts.length < SELFCHECK_MAX_RESULTS)
      verdicts.push({ slug: e.slug, headline: e.headline, label: e.label, score: x.score, matchedBy: x.matchedBy })
  }
  return { warnings, verdicts, links }
}

/**
 * "Tin nhắn này có phải lừa đảo?": the scam warnings in force and the published scam verdicts
 * that match a pasted message, call script or link, and the links it carries. Reads the
 * database only for the freshness stamp (and a rebuild when public content changed); stores
 * and logs nothing.
 * @throws SELFCHECK_EMPTY, SELFCHECK_TOO_LONG
 */
export async function selfCheck(db: Db, tenantId: string, text: string): Promise<SelfCheckResult> {
  const paste = readPaste(text)
  const ix = await selfCheckIndexFor(db, tenantId)
  return searchSelfCheck(ix, paste)
}
