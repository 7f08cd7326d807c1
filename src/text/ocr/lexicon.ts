/**
 * Syllable and syllable-pair counts of Vietnamese text, for the OCR correction: which forms are
 * real syllables, and which of two readings its neighbours make likelier. Built by
 * `tools/eval-ocr.ts --build-lexicon` from ViClickbait-2025 (CC BY 4.0) and the office's own
 * dev/demo/training texts — never from the OCR evaluation texts — and committed as
 * `lexicon.json`; keys are lower case, NFC, one tone placement (`canonicalTones`).
 */
import { readFileSync } from 'node:fs'
import { canonicalTones, isVietnameseSyllable } from '../normalize.ts'

/** Counts of syllables and of adjacent pairs ("công an"). */
export interface Lexicon {
  unigrams: Record<string, number>
  bigrams: Record<string, number>
}

const WORD_RE = /\p{L}+/gu

/** The lexicon key of a word: lower case, NFC, canonical tone placement. */
export function lexKey(word: string): string {
  return canonicalTones(word.normalize('NFC').toLowerCase())
}

/** Counts syllables and pairs in `texts` (pairs only within a run of words, not across punctuation). */
export function buildLexicon(texts: Iterable<string>): Lexicon {
  const unigrams: Record<string, number> = {}
  const bigrams: Record<string, number> = {}
  for (const text of texts) {
    for (const chunk of text.normalize('NFC').split(/[^\p{L}\s]+/u)) {
      let prev: string | null = null
      for (const m of chunk.matchAll(WORD_RE)) {
        const k = lexKey(m[0])
        if (!isVietnameseSyllable(k)) {
          prev = null
          continue
        }
        unigrams[k] = (unigrams[k] ?? 0) + 1
        if (prev) bigrams[`${prev} ${k}`] = (bigrams[`${prev} ${k}`] ?? 0) + 1
        prev = k
      }
    }
  }
  return { unigrams, bigrams }
}

interface Loaded {
  uni: Map<string, number>
  bi: Map<string, number>
  total: number
}
let loaded: Loaded | undefined

function lexicon(): Loaded {
  if (!loaded) {
    const raw = JSON.parse(readFileSync(new URL('./lexicon.json', import.meta.url), 'utf8')) as Lexicon
    const uni = new Map(Object.entries(raw.unigrams))
    let total = 0
    for (const n of uni.values()) total += n
    loaded = { uni, bi: new Map(Object.entries(raw.bigrams)), total }
  }
  return loaded
}

/** Syllables counted (tokens) and distinct syllables (types) in the lexicon. */
export function lexiconSize(): { total: number; types: number } {
  const l = lexicon()
  return { total: l.total, types: l.uni.size }
}

/** How often a syllable was seen (0 if never). */
export function syllableCount(word: string): number {
  return lexicon().uni.get(lexKey(word)) ?? 0
}

/** How often two syllables were seen in this order. */
export function pairCount(a: string, b: string): number {
  return lexicon().bi.get(`${lexKey(a)} ${lexKey(b)}`) ?? 0
}

/** {@link pairCount} for two words already in lexicon-key form ({@link lexKey}): no normalisation, for hot loops. */
export function pairCountOfKeys(a: string, b: string): number {
  return lexicon().bi.get(`${a} ${b}`) ?? 0
}

/** Whether `word` is a Vietnamese syllable seen in the lexicon's texts. */
export function isKnownSyllable(word: string): boolean {
  return syllableCount(word) > 0
}
