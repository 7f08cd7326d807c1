/**
 * A word-level diff (longest common subsequence) between an official text and a copy, for
 * the verify page: which words of the copy were inserted and which official words removed.
 * Words are whitespace-separated and compared exactly after NFC and with one tone placement
 * ("Hoá" = "Hóa", `canonicalTones`), so a changed digit or tone mark shows, a keyboard's
 * placement of the same tone does not. Common prefix and suffix are trimmed first; the quadratic table only covers
 * the differing middle and is bounded (a copy too different to align returns null).
 */
import { canonicalTones } from '../../text/normalize.ts'

/** One run of the diff. */
export interface DiffPart {
  /** `same`: in both; `added`: only in the copy; `removed`: only in the official text. */
  kind: 'same' | 'added' | 'removed'
  text: string
  /** The run starts a new line of the official text (a paragraph, a sub-heading): shown on its own line. */
  br?: true
}

/** A diff with its measures. */
export interface WordDiff {
  parts: DiffPart[]
  /** Words common to both (length of the LCS). */
  same: number
  officialWords: number
  copyWords: number
}

/** Largest table (cells) the diff computes; 3 M cells of Uint16 is 6 MB. */
const MAX_CELLS = 3_000_000

/**
 * Splits into words (NFC, whitespace-separated), each with the one tone placement
 * (`canonicalTones`: "Hoá" and "Hóa" are the same word; a different tone is not).
 */
export function words(text: string): string[] {
  return canonicalTones(text.normalize('NFC')).split(/\s+/).filter(Boolean)
}

/** NFC with whitespace runs collapsed and one tone placement, for an exact comparison. */
export function normalizeForCompare(text: string): string {
  return canonicalTones(text.normalize('NFC')).replace(/\s+/g, ' ').trim()
}

/** The words of `text` as {@link words} splits them, with where each starts in the NFC text and whether a line break comes before it. */
function wordSpans(text: string): { nfc: string; words: string[]; written: string[]; starts: number[]; br: boolean[] } {
  const nfc = text.normalize('NFC')
  // Compared with the one tone placement, shown as written: same length, so offsets hold for both.
  const canon = canonicalTones(nfc)
  const out = { nfc, words: [] as string[], written: [] as string[], starts: [] as number[], br: [] as boolean[] }
  let end = -1
  for (const m of canon.matchAll(/\S+/g)) {
    out.words.push(m[0])
    out.written.push(nfc.slice(m.index, m.index + m[0].length))
    out.starts.push(m.index)
    out.br.push(end >= 0 && nfc.slice(end, m.index).includes('\n'))
    end = m.index + m[0].length
  }
  return out
}

function push(parts: DiffPart[], kind: DiffPart['kind'], word: string, br = false): void {
  const last = parts[parts.length - 1]
  if (last && last.kind === kind && !br) last.text += ` ${word}`
  else parts.push(br ? { kind, text: word, br } : { kind, text: word })
}

/** Diffs `copy` against `official`, word by word; null when the texts are too long and different to align. */
export function wordDiff(official: string, copy: string): WordDiff | null {
  const { words: a, written, br } = wordSpans(official)
  const b = words(copy)
  let pre = 0
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++
  let suf = 0
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++
  const am = a.slice(pre, a.length - suf)
  const bm = b.slice(pre, b.length - suf)
  const n = am.length
  const m = bm.length
  if ((n + 1) * (m + 1) > MAX_CELLS) return null
  // lcs[i][j] = LCS length of am[i..] and bm[j..], row-major in one array.
  const w = m + 1
  const lcs = new Uint16Array((n + 1) * w)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        am[i] === bm[j] ? (lcs[(i + 1) * w + j + 1] as number) + 1 : Math.max(lcs[(i + 1) * w + j] as number, lcs[i * w + j + 1] as number)
    }
  }
  const parts: DiffPart[] = []
  for (let k = 0; k < pre; k++) push(parts, 'same', written[k] as string, br[k])
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      push(parts, 'same', written[pre + i] as string, br[pre + i])
      i++
      j++
    } else if (j < m && (i === n || (lcs[i * w + j + 1] as number) >= (lcs[(i + 1) * w + j] as number))) {
      push(parts, 'added', bm[j++] as string)
    } else {
      push(parts, 'removed', written[pre + i] as string, br[pre + i])
      i++
    }
  }
  for (let k = a.length - suf; k < a.length; k++) push(parts, 'same', written[k] as string, br[k])
  return { parts, same: pre + suf + (lcs[0] ?? 0), officialWords: a.length, copyWords: b.length }
}

/** Words kept on each side of where an excerpt was found (the diff shows them as cut off). */
const WINDOW_MARGIN = 2

/**
 * For a copy much shorter than the official text (an excerpt, altered or not): the stretch of
 * the official text it came from, for {@link wordDiff}. Where is told by the copy's word
 * trigrams: each found in the official text votes for an offset; the stretch spans the copy
 * under every offset near the most voted one (insertions and deletions shift it), plus a
 * margin. Without it, a word the copy shares with a distant part of the text ("113" of a phone
 * number, "Công an" of the opening line) could be aligned there, and an exact excerpt would
 * read as altered. The whole text when the copy is not much shorter or no trigram is found.
 */
export function excerptWindow(official: string, copy: string): string {
  const { nfc, words: a, starts } = wordSpans(official)
  const b = words(copy)
  if (b.length < 3 || b.length >= 0.8 * a.length) return official
  const at = new Map<string, number[]>()
  for (let p = 0; p + 2 < a.length; p++) {
    const key = `${a[p]} ${a[p + 1]} ${a[p + 2]}`
    const list = at.get(key)
    if (list) list.push(p)
    else at.set(key, [p])
  }
  const offsets: number[] = []
  for (let j = 0; j + 2 < b.length; j++) for (const p of at.get(`${b[j]} ${b[j + 1]} ${b[j + 2]}`) ?? []) offsets.push(p - j)
  if (offsets.length === 0) return official
  const votes = new Map<number, number>()
  for (const o of offsets) votes.set(o, (votes.get(o) ?? 0) + 1)
  let best = offsets[0] as number
  for (const [o, v] of votes) if (v > (votes.get(best) ?? 0) || (v === votes.get(best) && o < best)) best = o
  const near = offsets.filter((o) => Math.abs(o - best) <= b.length / 2)
  const start = Math.max(0, Math.min(...near) - WINDOW_MARGIN)
  const end = Math.min(a.length, Math.max(...near) + b.length + WINDOW_MARGIN)
  // Cut from the text itself, so that its line breaks stay for the diff to show.
  return nfc.slice(starts[start], end < starts.length ? starts[end] : nfc.length).trimEnd()
}

/**
 * When the copy is an excerpt, the official words before and after it were not "removed" by
 * the copy: drops them (the caller shows an ellipsis instead). Next to words the copy added
 * at its edges, as many official words are kept as were added, since those were replaced.
 */
export function trimToCopy(parts: DiffPart[]): { parts: DiffPart[]; cutStart: boolean; cutEnd: boolean } {
  const flat = parts.flatMap((p) => p.text.split(' ').map((word, k) => ({ kind: p.kind, word, br: k === 0 && p.br === true })))
  const firstSame = flat.findIndex((x) => x.kind === 'same')
  if (firstSame < 0) return { parts, cutStart: false, cutEnd: false }
  let lastSame = flat.length - 1
  while (flat[lastSame]?.kind !== 'same') lastSame--
  const head = flat.slice(0, firstSame)
  const tail = flat.slice(lastSame + 1)
  const keep = (edge: typeof flat, atStart: boolean) => {
    const added = edge.filter((x) => x.kind === 'added').length
    const removed = edge.length - added
    let seen = 0
    // At the start keep the removed words nearest the text (the last ones); at the end, the first ones.
    const kept = edge.filter((x) => x.kind === 'added' || (atStart ? removed - ++seen < added : ++seen <= added))
    return { kept, cut: removed > added }
  }
  const h = keep(head, true)
  const t = keep(tail, false)
  const out: DiffPart[] = []
  for (const x of [...h.kept, ...flat.slice(firstSame, lastSame + 1), ...t.kept]) push(out, x.kind, x.word, x.br && out.length > 0)
  return { parts: out, cutStart: h.cut, cutEnd: t.cut }
}
