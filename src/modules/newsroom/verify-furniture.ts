/**
 * What a release page shows besides the release's signed text, so that `/xac-minh` can set it
 * aside in a reader's copy: the kind label and category, the dateline ("Đăng lúc: … (GMT+7)"),
 * the keyword and commune lines, the spokesperson box, the verification-code block, the
 * corrections' history, the withdrawal notice, share links, and the site's header, menus and
 * footer of a whole-page copy — in either language of the page.
 *
 * The furniture is this release's own, with its values (its spokesperson's phone, its codes,
 * its times), never a pattern: a copy whose spokesperson phone was changed, or that carries
 * another release's code, keeps that line, and the comparison calls it altered. A line is set
 * aside only when it is made entirely of such pieces (or when furniture only leads a line of
 * the release's text, as the "ĐÃ GỠ BỎ" badge leads the title).
 */
import { type Locale, t } from '../../platform/i18n/index.ts'
import { markdownToText } from '../../platform/markdown/index.ts'
import type { Tenant } from '../../platform/tenancy/index.ts'
import { communeByCode } from '../reference/communes.ts'
import { formatDateTime } from './newsroom.paths.ts'
import type { VerifiableEdition } from './verify-lookups.ts'
import { normalizeForCompare, words } from './word-diff.ts'

/** Kinds of what a copy had besides the release's text, in the order the page shows them. */
export const FURNITURE_KINDS = [
  'site',
  'withdrawn',
  'kind',
  'category',
  'dateline',
  'headings',
  'bullets',
  'keywords',
  'communes',
  'spokesperson',
  'verify',
  'history',
  'share',
] as const
/** One kind of page furniture (or layout) set aside in a copy. */
export type FurnitureKind = (typeof FURNITURE_KINDS)[number]

const LOCALES: Locale[] = ['vi', 'en']

/**
 * Tokens that are only layout: table cell separators, bullets, dashes and arrows standing
 * alone. markdownToText writes a table row as "a | b", the browser copies it as "a<TAB>b".
 */
const LAYOUT_TOKEN = /^[|•◦▪▫■□●○·*+\-–—>›»→]+$/u
/** A bullet or list marker that opens a copied line. */
const BULLET = /^(?:[•◦▪▫■□●○·*+\-–—]|\d{1,3}[.)])\s+/u

/** The words of `text` without the layout-only tokens. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => !LAYOUT_TOKEN.test(w))
}

/** Each line of `text` with the layout-only tokens dropped (empty lines removed). */
export function withoutLayoutTokens(text: string): string {
  return text
    .split('\n')
    .map((line) => contentWords(line).join(' '))
    .filter(Boolean)
    .join('\n')
}

/** A furniture piece's tokens as compared: lower case, without the punctuation around words. */
function tokensOf(text: string): string[] {
  return words(text)
    .map((w) => w.toLocaleLowerCase('vi').replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, ''))
    .filter(Boolean)
}

/** The pieces of page furniture of one release, by kind, as token lists (longest first). */
export interface Furniture {
  pieces: { kind: FurnitureKind; tokens: string[] }[]
}

/** What the furniture of a release is built from: its editions, its tenant, its spokesperson. */
export interface FurnitureFacts {
  editions: VerifiableEdition[]
  tenant: Pick<Tenant, 'name' | 'shortName' | 'hotline' | 'email' | 'address' | 'website'> | undefined
}

/** Labels of share links and print buttons, in both languages. */
const SHARE_LABELS = [
  'Chia sẻ',
  'Chia sẻ lên',
  'Share',
  'Facebook',
  'Zalo',
  'X',
  'Twitter',
  'Sao chép liên kết',
  'Copy link',
  'In',
  'Print',
]

/** Catalogue keys of the site's header, menus and footer. */
const SITE_KEYS = [
  'a11y.skip',
  'app.name',
  'app.tagline',
  'nav.public',
  'nav.home',
  'nav.news',
  'nav.verify',
  'nav.checks',
  'nav.api',
  'nav.subscribe',
  'kc.nav',
  'events-core.publicNav',
]
const SITE_KEY_PREFIXES = ['news.kindPlural.']
/** The release kinds (for their list names in breadcrumbs and menus). */
const KINDS = { press_release: 1, activity: 1, warning: 1, announcement: 1, correction: 1 }

/** The furniture a page of this release shows (all its editions' pages, in both languages). */
export function releaseFurniture(f: FurnitureFacts): Furniture {
  const pieces: Furniture['pieces'] = []
  const add = (kind: FurnitureKind, ...texts: (string | null | undefined)[]) => {
    for (const text of texts) {
      const tokens = text ? tokensOf(text) : []
      if (tokens.length) pieces.push({ kind, tokens })
    }
  }
  const label = (kind: FurnitureKind, ...keys: string[]) => {
    for (const l of LOCALES) for (const key of keys) add(kind, t(l, key) === key ? '' : t(l, key))
  }
  const e0 = f.editions[0]
  const times = new Set<Date>()
  for (const e of f.editions) for (const at of [e.publishedAt, e.firstPublishedAt, e.lastPublishedAt]) if (at) times.add(at)
  const timeTexts = (ats: Iterable<Date | null | undefined>) => LOCALES.flatMap((l) => [...ats].map((at) => formatDateTime(at, l)))

  label('site', ...SITE_KEYS, ...SITE_KEY_PREFIXES.flatMap((p) => Object.keys(KINDS).map((k) => `${p}${k}`)), 'public.hotline')
  add('site', '★', 'English', 'Tiếng Việt', f.tenant?.name, f.tenant?.shortName, f.tenant?.hotline, f.tenant?.email)
  add('site', f.tenant?.address, f.tenant?.website)
  if (e0) {
    label('kind', `news.kind.${e0.kind}`)
    label('withdrawn', 'news.withdrawn.title', 'news.withdrawn.reason', 'news.withdrawn.badge')
    if (e0.status === 'withdrawn') add('withdrawn', e0.withdrawnReason, ...timeTexts([e0.withdrawnAt]))
    add(
      'spokesperson',
      e0.spokespersonName,
      e0.spokespersonTitle,
      e0.spokespersonPhone,
      e0.spokespersonEmail,
      ...LOCALES.flatMap((l) => ['', '.name', '.title', '.phone', '.email'].map((k) => t(l, `news.spokesperson${k}`))),
    )
  }
  for (const e of f.editions) {
    add('category', e.category)
    add('keywords', ...e.tags)
    add('communes', ...e.communes.map((c) => communeByCode(c)?.name ?? c))
    add('verify', e.verificationCode)
    add('history', e.changeNote, e.verificationCode)
  }
  label('keywords', 'news.tags')
  label('communes', 'news.communes')
  label('dateline', 'news.publishedAt', 'news.updatedAt', 'news.timeZone')
  add('dateline', ...timeTexts(times))
  label('verify', 'news.verify.title', 'news.verify.code', 'news.verify.check')
  label('history', 'news.history', 'news.firstPublished')
  add('history', ...timeTexts(times))
  add('share', ...SHARE_LABELS)
  // Longest first; the site's menus last among equals ("Cảnh báo" is this release's kind label
  // before it is the name of a list in the menu).
  pieces.sort((a, b) => b.tokens.length - a.tokens.length || Number(a.kind === 'site') - Number(b.kind === 'site'))
  return { pieces }
}

/**
 * How many leading tokens of `tokens` are furniture pieces laid end to end, and their kinds.
 * Greedy, longest piece first at each step.
 */
function leadingFurniture(tokens: string[], furniture: Furniture): { used: number; kinds: FurnitureKind[] } {
  let i = 0
  const kinds: FurnitureKind[] = []
  outer: while (i < tokens.length) {
    for (const p of furniture.pieces) {
      if (p.tokens.length > tokens.length - i) continue
      if (p.tokens.every((tok, k) => tokens[i + k] === tok)) {
        i += p.tokens.length
        kinds.push(p.kind)
        continue outer
      }
    }
    break
  }
  return { used: i, kinds }
}

/** The release text a page shows: its lines (title, summary, body) and which are sub-headings. */
export interface OfficialText {
  title: string
  summary: string
  /** The body as text, one block per line (images' alt text left out, as on the page). */
  body: string
  /** The body's sub-headings, as text. */
  headings: string[]
}

/** The official text of an edition, with its sub-headings. */
export function officialText(e: { title: string; summary: string; bodyMd: string }): OfficialText {
  const md = e.bodyMd.replace(/!\[[^\]]*\]\([^)]*\)/g, '')
  const headings = md
    .split('\n')
    .filter((line) => /^ {0,3}#{1,6}\s+\S/.test(line))
    .map((line) => normalizeForCompare(markdownToText(line)))
    .filter(Boolean)
  return { title: e.title, summary: e.summary, body: markdownToText(md), headings }
}

/** A copy with this release's page furniture set aside. */
export interface CleanCopy {
  /** The copy's remaining lines (the release's text as copied, and anything unknown). */
  text: string
  setAside: Set<FurnitureKind>
}

/**
 * Sets aside, line by line, what the release page adds to the release's text: a line that is
 * a line of the release stays; a line made only of this release's furniture goes; furniture
 * leading a line of the release is cut off; a bullet opening a line of the release is dropped.
 * Anything else stays as it is (and will show in the diff).
 */
export function setAsideFurniture(copy: string, official: OfficialText, furniture: Furniture): CleanCopy {
  const lines = new Set(
    [official.title, official.summary, ...official.body.split('\n')]
      .map((x) => normalizeForCompare(withoutLayoutTokens(x)))
      .filter(Boolean),
  )
  const isOfficial = (line: string) => lines.has(normalizeForCompare(withoutLayoutTokens(line)))
  const setAside = new Set<FurnitureKind>()
  const kept: string[] = []
  for (const raw of copy.normalize('NFC').split(/\r?\n|\r|\u2028|\u2029/)) {
    const line = normalizeForCompare(raw)
    if (!line) continue
    if (isOfficial(line)) {
      const bare = withoutLayoutTokens(line)
      if (bare !== line) setAside.add('bullets')
      kept.push(bare)
      continue
    }
    const unbulleted = line.replace(BULLET, '')
    if (unbulleted !== line && isOfficial(unbulleted)) {
      kept.push(unbulleted)
      setAside.add('bullets')
      continue
    }
    const tokens = tokensOf(line)
    if (tokens.length === 0) {
      // No letter or digit: the brand's star, a rule, a separator line.
      setAside.add('site')
      continue
    }
    const lead = leadingFurniture(tokens, furniture)
    if (lead.used > 0 && lead.used === tokens.length) {
      for (const k of lead.kinds) setAside.add(k)
      continue
    }
    if (lead.used > 0) {
      // Furniture leading a line of the release's text ("ĐÃ GỠ BỎ" before the title): the
      // rest of the line, cut after as many words as the furniture had.
      const rest = cutWords(line, lead.used)
      if (rest && isOfficial(rest)) {
        for (const k of lead.kinds) setAside.add(k)
        kept.push(rest)
        continue
      }
    }
    kept.push(line)
  }
  return { text: kept.join('\n'), setAside }
}

/** `line` without its first `n` furniture tokens (the words they came from, and the punctuation between). */
function cutWords(line: string, n: number): string {
  const ws = words(line)
  let seen = 0
  let k = 0
  while (k < ws.length && seen < n) {
    if (tokensOf(ws[k] as string).length) seen++
    k++
  }
  // Separators between the furniture and the text ("·", ":") go with the furniture.
  while (k < ws.length && tokensOf(ws[k] as string).length === 0) k++
  return ws.slice(k).join(' ')
}

/**
 * The official text to compare a cleaned copy with: sub-headings the copy left out are taken
 * out (a reader copying the paragraphs skips them), and layout tokens dropped. Says whether
 * a sub-heading was left out.
 */
export function officialForCopy(o: OfficialText, copy: string): { title: string; summary: string; body: string; headingsLeftOut: boolean } {
  const have = ` ${contentWords(copy).join(' ')} `
  const missing = new Set(o.headings.filter((h) => !have.includes(` ${contentWords(h).join(' ')} `)))
  const body = o.body
    .split('\n')
    .filter((line) => !missing.has(normalizeForCompare(line)))
    .join('\n')
  return {
    title: withoutLayoutTokens(o.title),
    summary: withoutLayoutTokens(o.summary),
    body: withoutLayoutTokens(body),
    headingsLeftOut: missing.size > 0,
  }
}

/**
 * Whether the cleaned copy holds exactly the release's words (title and summary may be left
 * out, as a copy of the body alone is the release's text too), layout aside.
 */
export function sameWords(o: { title: string; summary: string; body: string }, copy: string): boolean {
  const c = contentWords(copy).join(' ')
  if (!c) return false
  const variants = [[o.title, o.summary, o.body], [o.title, o.body], [o.summary, o.body], [o.body]]
  return variants.some((v) => contentWords(v.filter(Boolean).join('\n')).join(' ') === c)
}
