/**
 * A word-level diff (Myers' O((N+M)·D) algorithm) for comparing editions. Text is split into
 * words and the whitespace between them, so a change inside a sentence shows as the words
 * removed and inserted, and line breaks are kept. Common prefix and suffix are trimmed first;
 * past `maxEdits` differences the middle is shown as one removal and one insertion (the
 * work stays bounded for huge bodies).
 */

/** One run of the diff. */
export interface DiffPart {
  op: 'equal' | 'insert' | 'delete'
  text: string
}

/** Splits text into words and whitespace runs (NFC first, so composed and decomposed letters match). */
export function tokenize(text: string): string[] {
  return text.normalize('NFC').match(/\s+|[^\s]+/gu) ?? []
}

function push(out: DiffPart[], op: DiffPart['op'], text: string): void {
  if (!text) return
  const last = out[out.length - 1]
  if (last && last.op === op) last.text += text
  else out.push({ op, text })
}

/** The edit script between token lists `a` and `b` (Myers), or null when it needs more than `max` edits. */
function myers(a: string[], b: string[], max: number): DiffPart[] | null {
  const n = a.length
  const m = b.length
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice())
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= n && y >= m) return backtrack(a, b, trace, d, offset)
    }
  }
  return null
}

function backtrack(a: string[], b: string[], trace: Int32Array[], dEnd: number, offset: number): DiffPart[] {
  const rev: DiffPart[] = []
  let x = a.length
  let y = b.length
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d] as Int32Array
    const k = x - y
    const prevK = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1
    const prevX = v[offset + prevK]
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      rev.push({ op: 'equal', text: a[x - 1] as string })
      x--
      y--
    }
    if (x === prevX) rev.push({ op: 'insert', text: b[y - 1] as string })
    else rev.push({ op: 'delete', text: a[x - 1] as string })
    x = prevX
    y = prevY
  }
  while (x > 0 && y > 0) {
    rev.push({ op: 'equal', text: a[x - 1] as string })
    x--
    y--
  }
  const out: DiffPart[] = []
  for (let i = rev.length - 1; i >= 0; i--) push(out, (rev[i] as DiffPart).op, (rev[i] as DiffPart).text)
  return out
}

/** The word diff from `before` to `after`. */
export function diffWords(before: string, after: string, opts: { maxEdits?: number } = {}): DiffPart[] {
  const a = tokenize(before)
  const b = tokenize(after)
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const out: DiffPart[] = []
  push(out, 'equal', a.slice(0, start).join(''))
  const midA = a.slice(start, endA)
  const midB = b.slice(start, endB)
  const script = myers(midA, midB, opts.maxEdits ?? 1000)
  if (script) for (const p of script) push(out, p.op, p.text)
  else {
    push(out, 'delete', midA.join(''))
    push(out, 'insert', midB.join(''))
  }
  push(out, 'equal', a.slice(endA).join(''))
  return coalesce(out)
}

/**
 * Merges changes separated only by whitespace into one removal and one insertion, so
 * "**5 đối tượng**" → "**7 bị can**" reads as one replaced phrase, not three alternations.
 */
function coalesce(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = []
  let i = 0
  while (i < parts.length) {
    const p = parts[i] as DiffPart
    if (p.op === 'equal') {
      push(out, 'equal', p.text)
      i++
      continue
    }
    let removed = ''
    let inserted = ''
    let j = i
    for (; j < parts.length; j++) {
      const q = parts[j] as DiffPart
      if (q.op === 'delete') removed += q.text
      else if (q.op === 'insert') inserted += q.text
      else if (/^\s+$/.test(q.text) && parts[j + 1] && (parts[j + 1] as DiffPart).op !== 'equal') {
        removed += q.text
        inserted += q.text
      } else break
    }
    push(out, 'delete', removed)
    push(out, 'insert', inserted)
    i = j
  }
  return out
}
