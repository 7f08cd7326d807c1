/**
 * Public search: a query typed by a reader → a tsquery over the releases' folded
 * `search_vector`, and highlights on the original (diacritic) text.
 *
 * The query is folded with the same function as the database's `fold_vi`, so "thanh hoa"
 * finds "Thanh Hóa". Words in quotes are a phrase (`<->`); a word with a hyphen
 * ("thanh-hoa") is a phrase too; `-word` excludes; the last bare word also matches as a prefix
 * (`:*`) so results come while typing. The tsquery is built here from folded words and phrases,
 * each bound as a parameter of `plainto_tsquery`/`phraseto_tsquery` (the same parser as the
 * document, so a phrase is the text as typed: "13/10/2025" is one token to that parser and
 * three to ours) — raw input never reaches `to_tsquery`.
 *
 * `fold()` keeps the exact length of NFC input, so a match found in the folded text is at the
 * same offsets in the original: highlights are computed on `fold(text)` and cut from `text`.
 *
 * Besides the whole tsquery, {@link toTsQuery} lists the query's positive parts one by one
 * (with their lexemes, and a phrase's word pairs for the `search_pairs` index), so that
 * `searchPublicReleases` can estimate how many releases a query matches and find its rarest
 * part in an index before checking the whole query on the rows found. Pairs are listed only for
 * phrases of plain tokens (`[a-z0-9]+`) that the database's parser splits as ours does, and
 * only such tokens are ever written into a tsquery literal.
 */
import { sql } from 'drizzle-orm'
import type { ReleaseSearch, ReleaseSearchPart } from './search-planner.ts'
import { fold, tokenize } from '../../text/normalize.ts'

/** A reader's query, folded and split. */
export interface ParsedQuery {
  /** Sequences of folded tokens that must appear in order (our tokens: for highlights). */
  phrases: string[][]
  /**
   * Each phrase as typed, folded, for the database's parser: it keeps "13/10/2025" whole
   * where ours splits it in three, and the index holds what it parsed.
   */
  phraseText: string[]
  /** Folded tokens that must appear. */
  words: string[]
  /** The last bare word, matched as a prefix (at least 2 characters, letters and digits). */
  prefix: string | null
  /** Folded tokens that must not appear. */
  excluded: string[]
}

const MAX_QUERY_CHARS = 200
const MAX_TERMS = 16

/** Parses a query typed by a reader. */
export function parseSearchQuery(input: string): ParsedQuery {
  const q = fold(input.normalize('NFC').slice(0, MAX_QUERY_CHARS))
  const out: ParsedQuery = { phrases: [], words: [], prefix: null, excluded: [], phraseText: [] }
  const parts = [...q.matchAll(/(-?)"([^"]*)("?)|(\S+)/g)]
  let terms = 0
  parts.forEach((m, i) => {
    if (terms >= MAX_TERMS) return
    const last = i === parts.length - 1
    if (m[2] !== undefined) {
      const tokens = tokenize(m[2]).map((t) => t.text)
      if (tokens.length === 0) return
      terms++
      if (m[1] === '-') out.excluded.push(...tokens)
      else if (tokens.length === 1) out.words.push(tokens[0] as string)
      else {
        out.phrases.push(tokens)
        out.phraseText.push(m[2].trim())
      }
      return
    }
    let word = m[4] as string
    const excluded = word.startsWith('-') && word.length > 1
    if (excluded) word = word.slice(1)
    const tokens = tokenize(word).map((t) => t.text)
    if (tokens.length === 0) return
    terms++
    if (excluded) out.excluded.push(...tokens)
    else if (tokens.length > 1) {
      out.phrases.push(tokens)
      out.phraseText.push(word)
    } else if (last && /^[a-z0-9]{2,}$/.test(tokens[0] as string)) out.prefix = tokens[0] as string
    else out.words.push(tokens[0] as string)
  })
  return out
}

/** True when the query has something to look for. */
export function hasTerms(p: ParsedQuery): boolean {
  return p.phrases.length > 0 || p.words.length > 0 || p.prefix !== null
}

/** A day and month as typed ("13/10", "1/9"). */
const DAY_MONTH = /^\d{1,2}\/\d{1,2}$/

/**
 * A phrase the database's parser splits exactly as {@link tokenize} does, so that a pair of its
 * tokens is a lexeme of `search_pairs`: plain tokens, apart only by blanks and punctuation the
 * parser skips, or by a hyphen between letters ("thanh-hoa": its parts are listed one after
 * the other). Not "13/10" (one token to the parser), "1-2" ("1", "-2") or "a.b" (a host name).
 */
const PAIRABLE = /^[a-z0-9]+(?:(?:[\s,;:!?()"'“”‘’…]+|(?<=[a-z])-(?=[a-z]))[a-z0-9]+)*$/

/**
 * A parsed query as `searchPublicReleases` takes it (null when it has no positive term): the
 * tsquery of all its parts (AND), and each positive part on its own. A phrase of plain tokens
 * also lists its word pairs ("xa trung", "trung thanh"), lexemes of `search_pairs`.
 */
export function toTsQuery(p: ParsedQuery): ReleaseSearch | null {
  if (!hasTerms(p)) return null
  const parts: ReleaseSearchPart[] = []
  p.phrases.forEach((phrase, k) => {
    const text = p.phraseText[k] ?? phrase.join(' ')
    const pairable = PAIRABLE.test(text)
    // A day and month ("13/10") also match as the start of the one token a date with its year
    // is to the parser ("13/10/2025"); the prefix lexeme is built from digits and slashes only.
    const withYear = DAY_MONTH.test(text) ? sql` || (${`'${text}/':*`}::text)::tsquery` : sql``
    parts.push({
      kind: 'phrase',
      lexemes: phrase,
      pairs: pairable ? phrase.slice(1).map((t, i) => `${phrase[i]} ${t}`) : [],
      tsquery: sql`(phraseto_tsquery('simple'::regconfig, ${text}::text)${withYear})`,
      words: sql`(plainto_tsquery('simple'::regconfig, ${text}::text)${withYear})`,
    })
  })
  for (const w of p.words) {
    const q = sql`plainto_tsquery('simple'::regconfig, ${w}::text)`
    parts.push({ kind: 'word', lexemes: [w], pairs: [], tsquery: q, words: q })
  }
  if (p.prefix) {
    const q = sql`to_tsquery('simple'::regconfig, quote_literal(${p.prefix}::text) || ':*')`
    parts.push({ kind: 'prefix', lexemes: [p.prefix], pairs: [], tsquery: q, words: q })
  }
  const excluded = p.excluded.map((x) => sql`!!plainto_tsquery('simple'::regconfig, ${x}::text)`)
  return { tsquery: sql.join([...parts.map((x) => x.tsquery), ...excluded], sql` && `), parts, excluded }
}

/** A highlighted range of the original text, [start, end). */
export type Range = [number, number]

/** Where the query's positive terms occur in `text` (offsets valid in the original text). */
export function matchRanges(text: string, p: ParsedQuery): Range[] {
  const tokens = tokenize(fold(text))
  const ranges: Range[] = []
  const words = new Set(p.words)
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as (typeof tokens)[number]
    if (words.has(tok.text) || (p.prefix && tok.text.startsWith(p.prefix))) ranges.push([tok.start, tok.end])
    for (const phrase of p.phrases) {
      if (i + phrase.length > tokens.length) continue
      if (phrase.every((w, j) => tokens[i + j]?.text === w)) ranges.push([tok.start, (tokens[i + phrase.length - 1] as typeof tok).end])
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const merged: Range[] = []
  for (const r of ranges) {
    const prev = merged[merged.length - 1]
    // Adjacent matches separated only by spaces read as one ("Thanh Hóa", not "Thanh" "Hóa").
    if (prev && (r[0] <= prev[1] || /^\s+$/.test(text.slice(prev[1], r[0])))) prev[1] = Math.max(prev[1], r[1])
    else merged.push([r[0], r[1]])
  }
  return merged
}

/** A piece of highlighted text: marked pieces are matches. */
export interface Piece {
  text: string
  mark: boolean
}

/** Splits `text` into plain and marked pieces. */
export function highlight(text: string, ranges: Range[]): Piece[] {
  const out: Piece[] = []
  let at = 0
  for (const [s, e] of ranges) {
    if (s > at) out.push({ text: text.slice(at, s), mark: false })
    out.push({ text: text.slice(s, e), mark: true })
    at = e
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false })
  return out
}

/**
 * A short excerpt of `text` around the first match, with the matches marked; ellipses where
 * it is cut. Cuts fall on spaces.
 */
export function snippet(text: string, p: ParsedQuery, maxChars = 240): Piece[] {
  const flat = text.replace(/\s+/g, ' ').trim()
  const ranges = matchRanges(flat, p)
  let start = 0
  const first = ranges[0]
  if (first && first[0] > maxChars / 3) {
    start = first[0] - Math.floor(maxChars / 3)
    const space = flat.indexOf(' ', start)
    start = space >= 0 && space < first[0] ? space + 1 : start
  }
  let end = Math.min(flat.length, start + maxChars)
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end)
    if (space > start) end = space
  }
  const inside = ranges.filter(([s, e]) => s >= start && e <= end).map(([s, e]): Range => [s - start, e - start])
  const pieces = highlight(flat.slice(start, end), inside)
  if (start > 0) pieces.unshift({ text: '… ', mark: false })
  if (end < flat.length) pieces.push({ text: ' …', mark: false })
  return pieces
}
