/**
 * Coverage checking: the main text of a captured page (Mozilla Readability over linkedom, no
 * script ever run), compared with the official text of the item it covers, and the changed
 * figures, dates and names pulled out of the word diff.
 *
 * Releases go through the verify page's own comparison (`compareText` restricted to the item's
 * editions: furniture and layout set aside, the best of its editions), so "faithful" here means
 * exactly what "identical" means on /xac-minh. Verdicts have no page furniture: their versions
 * are compared with the same word diff directly.
 */
import { Readability } from '@mozilla/readability'
import { and, desc, eq, inArray } from 'drizzle-orm'
import { parseHTML } from 'linkedom'
import type { Db } from '../../../db/index.ts'
import { markdownToText } from '../../../platform/markdown/index.ts'
import { claims, verdicts } from '../../factcheck/factcheck.tables.ts'
import { compareText } from '../../newsroom/verify.ts'
import { excerptWindow, normalizeForCompare, trimToCopy, wordDiff, words } from '../../newsroom/word-diff.ts'
import type { ChangeKind, CoverageChange, CoverageItemType, CoverageVerdict, StoredDiff } from './coverage.tables.ts'

/** Longest main text kept (characters). */
export const MAX_COVERAGE_TEXT = 100_000
/** A page whose readable text has fewer words than this while it carries scripts is taken as JavaScript-only. */
export const MIN_READABLE_WORDS = 25
/** Share of the page's words found in order in the official text to call it a copy at all. */
const VERDICT_COVERAGE = 0.5

/** Thrown by {@link extractArticle} when the page shows its text only through JavaScript. */
export class NeedsJavaScriptError extends Error {}

/** The headline and main text of a page. */
export interface Article {
  headline: string
  text: string
}

const BLOCKS = 'h1,h2,h3,h4,h5,h6,p,li,blockquote,pre,td,th,figcaption,dt,dd'

/** Text of an HTML fragment, one block per line (so the diff keeps paragraphs apart). */
function blockText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`)
  const lines: string[] = []
  for (const el of Array.from(document.querySelectorAll(BLOCKS))) {
    // A block inside another block is read with its parent.
    if (el.parentElement?.closest(BLOCKS)) continue
    const line = (el.textContent ?? '').replace(/\s+/g, ' ').trim()
    if (line) lines.push(line)
  }
  return lines.length ? lines.join('\n') : (document.body?.textContent ?? '').replace(/[ \t]+/g, ' ').trim()
}

/**
 * The headline (og:title, else the article's title, else `<title>`) and main text of a page.
 * For plain text: the first line and the whole text. Throws {@link NeedsJavaScriptError} when
 * an HTML page's readable text is empty or tiny while it carries `<script>`s.
 */
export function extractArticle(page: { html: string | null; text: string; title: string }): Article {
  if (page.html === null) {
    const text = page.text.normalize('NFC').trim().slice(0, MAX_COVERAGE_TEXT)
    return { headline: (text.split('\n', 1)[0] ?? '').slice(0, 300), text }
  }
  const { document } = parseHTML(page.html)
  const og = document.querySelector('meta[property="og:title"]')?.getAttribute('content')?.trim() ?? ''
  const hasScripts = document.querySelectorAll('script').length > 0
  // Readability edits the document it reads: it is given its own copy.
  const article = new Readability(parseHTML(page.html).document as unknown as Document, { charThreshold: 200 }).parse()
  const text = (article?.content ? blockText(String(article.content)) : page.text).normalize('NFC').trim()
  if (words(text).length < MIN_READABLE_WORDS && hasScripts) throw new NeedsJavaScriptError()
  const headline = (og || article?.title?.trim() || page.title || '').replace(/\s+/g, ' ').normalize('NFC').slice(0, 1000)
  return { headline, text: text.slice(0, MAX_COVERAGE_TEXT) }
}

/** How a text stands against an item's official text. */
export interface Judgement {
  verdict: CoverageVerdict
  editionId: string | null
  editionNumber: number | null
  diff: StoredDiff | null
  changes: CoverageChange[]
}

const UNRELATED: Judgement = { verdict: 'unrelated', editionId: null, editionNumber: null, diff: null, changes: [] }

/** Compares a release coverage through the verify page's machinery, with this release only. */
async function judgeRelease(db: Db, tenantId: string, releaseId: string, article: Article): Promise<Judgement> {
  // The body alone first (a headline of the outlet's own is not an alteration of the text),
  // then with the headline, for a page that printed the official title.
  for (const text of [article.text, `${article.headline}\n${article.text}`]) {
    const out = await compareText(db, tenantId, text, { releaseIds: [releaseId] })
    if (out.type !== 'text' || !('found' in out)) continue
    const e = out.found.edition
    const base = { editionId: e.editionId, editionNumber: e.editionNumber }
    if (out.verdict === 'identical' || out.verdict === 'identical-layout') return { ...base, verdict: 'faithful', diff: null, changes: [] }
    if (out.verdict === 'excerpt') return { ...base, verdict: 'excerpt', diff: null, changes: [] }
    const diff = out.diff ?? null
    return { ...base, verdict: 'altered', diff, changes: diff ? extractChanges(diff.parts) : [] }
  }
  return UNRELATED
}

/** Compares a verdict coverage with each published (or superseded) version; the best wins. */
async function judgeVerdict(db: Db, tenantId: string, claimId: string, article: Article): Promise<Judgement> {
  const versions = await db
    .select({ id: verdicts.id, version: verdicts.version, headline: verdicts.headline, explanationMd: verdicts.explanationMd })
    .from(verdicts)
    .innerJoin(claims, eq(claims.id, verdicts.claimId))
    .where(and(eq(verdicts.tenantId, tenantId), eq(verdicts.claimId, claimId), inArray(verdicts.status, ['published', 'superseded'])))
    .orderBy(desc(verdicts.version))
  const copy = normalizeForCompare(article.text)
  const copyWords = words(copy)
  let best: { v: (typeof versions)[number]; coverage: number; changed: number; trimmed: ReturnType<typeof trimToCopy> } | undefined
  for (const v of versions) {
    const body = markdownToText(v.explanationMd)
    const full = `${v.headline}\n${body}`
    if ([full, body].some((x) => normalizeForCompare(x) === copy))
      return { verdict: 'faithful', editionId: v.id, editionNumber: v.version, diff: null, changes: [] }
    const diff = wordDiff(excerptWindow(full, article.text), article.text)
    if (!diff) continue
    const coverage = diff.same / Math.max(1, copyWords.length)
    const trimmed = trimToCopy(diff.parts)
    const changed = trimmed.parts.reduce((n, p) => (p.kind === 'same' ? n : n + words(p.text).length), 0)
    if (!best || coverage > best.coverage || (coverage === best.coverage && changed < best.changed))
      best = { v, coverage, changed, trimmed }
  }
  if (!best || best.coverage < VERDICT_COVERAGE || copyWords.length < 8) return UNRELATED
  const base = { editionId: best.v.id, editionNumber: best.v.version }
  if (best.trimmed.parts.every((p) => p.kind === 'same')) return { ...base, verdict: 'excerpt', diff: null, changes: [] }
  return { ...base, verdict: 'altered', diff: best.trimmed, changes: extractChanges(best.trimmed.parts) }
}

/** Judges a captured article against the item it covers. */
export function judgeCoverage(db: Db, tenantId: string, itemType: CoverageItemType, itemId: string, article: Article): Promise<Judgement> {
  return itemType === 'release' ? judgeRelease(db, tenantId, itemId, article) : judgeVerdict(db, tenantId, itemId, article)
}

const DATE_WORDS = /^(ngày|tháng|năm|lúc|giờ|hôm|sáng|trưa|chiều|tối|đêm|thứ)$/i
// dd/mm(/yyyy) and hh:mm, 9h30; not 1.500.000 (Vietnamese thousands use dots).
const DATE_SHAPE = /(?<![\d.])\d{1,2}\/\d{1,2}(?:\/\d{2,4})?(?![\d.])|(?<![\d.])\d{1,2}(?::|h)\d{2}(?!\d)|(?<![\d.])\d{1,2}\s*giờ/i
const DIGIT = /\d/
const CAPITALISED = /^[\p{Lu}][\p{Ll}\p{M}]/u

/** The kind of a changed passage, from its words and the words just before it. */
function kindOf(official: string, published: string, before: string): ChangeKind {
  const both = `${official} ${published}`
  const lastBefore = before.split(' ').pop() ?? ''
  if (DATE_SHAPE.test(both) || (DIGIT.test(both) && DATE_WORDS.test(lastBefore))) return 'date'
  if (DIGIT.test(both)) return 'figure'
  const capitalised = (s: string) => s.split(/\s+/).some((w) => CAPITALISED.test(w))
  if (capitalised(official) || capitalised(published)) return 'name'
  return 'wording'
}

/** The last `n` words of a text, and the first `n`. */
const lastWords = (s: string, n: number) => s.split(' ').filter(Boolean).slice(-n).join(' ')
const firstWords = (s: string, n: number) => s.split(' ').filter(Boolean).slice(0, n).join(' ')

/**
 * The changed passages of a diff, official → published: each run of removed and added words
 * (in either order) is one change, with three words of context on each side, and its kind:
 * a date (dd/mm, hh:mm, a number after "ngày", "lúc", "năm" …), a figure (any other number:
 * amounts, counts), a name (capitalised words), else wording.
 */
export function extractChanges(parts: { kind: 'same' | 'added' | 'removed'; text: string }[]): CoverageChange[] {
  const out: CoverageChange[] = []
  let k = 0
  while (k < parts.length) {
    const p = parts[k] as (typeof parts)[number]
    if (p.kind === 'same') {
      k++
      continue
    }
    let official = ''
    let published = ''
    const start = k
    while (k < parts.length && parts[k]?.kind !== 'same') {
      const q = parts[k] as (typeof parts)[number]
      if (q.kind === 'removed') official = official ? `${official} ${q.text}` : q.text
      else published = published ? `${published} ${q.text}` : q.text
      k++
    }
    const before = start > 0 ? lastWords(parts[start - 1]?.text ?? '', 3) : ''
    const after = k < parts.length ? firstWords(parts[k]?.text ?? '', 3) : ''
    out.push({ kind: kindOf(official, published, before), official, published, before, after })
  }
  return out
}
