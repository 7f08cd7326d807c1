/**
 * Character error rate of OCR output against the text that was rendered: case-sensitive, after
 * NFC and whitespace folding (any run of spaces and line breaks is one space), so a line broken
 * elsewhere costs nothing and a wrong letter, mark or case always counts.
 */

/** NFC, every whitespace run one space, trimmed: the form both sides are compared in. */
export function cerForm(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, ' ').trim()
}

/** Levenshtein distance over code points (two rows; O(n·m) time, O(m) memory). */
export function editDistance(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  if (x.length === 0) return y.length
  if (y.length === 0) return x.length
  let prev = new Uint32Array(y.length + 1)
  let cur = new Uint32Array(y.length + 1)
  for (let j = 0; j <= y.length; j++) prev[j] = j
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i
    const xi = x[i - 1]
    for (let j = 1; j <= y.length; j++) {
      const sub = (prev[j - 1] as number) + (xi === y[j - 1] ? 0 : 1)
      const del = (prev[j] as number) + 1
      const ins = (cur[j - 1] as number) + 1
      cur[j] = sub < del ? Math.min(sub, ins) : Math.min(del, ins)
    }
    ;[prev, cur] = [cur, prev]
  }
  return prev[y.length] as number
}

/** Edits and reference length of one comparison (sum these over a set, then divide). */
export interface CerCount {
  edits: number
  chars: number
}

/** The edits needed to turn `hypothesis` into `reference`, and the reference's length, in CER form. */
export function cerCount(reference: string, hypothesis: string): CerCount {
  const r = cerForm(reference)
  return { edits: editDistance(r, cerForm(hypothesis)), chars: [...r].length }
}

/** CER of one text: edits / reference characters (0 for two empty texts). */
export function cer(reference: string, hypothesis: string): number {
  const c = cerCount(reference, hypothesis)
  return c.chars === 0 ? (c.edits === 0 ? 0 : 1) : c.edits / c.chars
}
