/**
 * `donghanh text similarity` and `donghanh text match CANDIDATES`: the claim matcher as a batch
 * tool for newsrooms and for evaluation, with the desk's scoring and thresholds.
 * Exactly one JSON line is written per input line, whatever the line holds. `match` lists up to
 * 10 candidates down to the staff-only `related` tier (`"decision": "related"`: the line carries
 * most of a shorter claim, e.g. a pasted post), each with its `containment`; a line longer than
 * the matcher reads is matched by its start and marked `"truncated": true`.
 */
import { readFile } from 'node:fs/promises'
import { MAX_MATCH_CHARS } from './match-features.ts'
import { ClaimIndex } from './match-index.ts'
import { similarity } from './match-score.ts'

/** Longest line handled as text; longer lines are cut (matching only reads the start anyway). */
const MAX_LINE_CHARS = 2_000_000

function clip(line: string): string {
  const s = line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line
  return s.endsWith('\r') ? s.slice(0, -1) : s
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * Runs a matching subcommand.
 * @param sub `similarity` (stdin lines `textA<TAB>textB`) or `match` (args[0] = candidates file,
 *   stdin lines = queries)
 * @param args subcommand arguments
 * @param lines stdin, line by line
 * @param write writes one JSON value as one output line
 * @returns the process exit code (0 ok, 2 usage error)
 */
export async function runMatchCommand(
  sub: string,
  args: string[],
  lines: AsyncIterable<string>,
  write: (obj: unknown) => void,
): Promise<number> {
  if (sub === 'similarity') {
    for await (const raw of lines) {
      const line = clip(raw)
      const tab = line.indexOf('\t')
      if (tab < 0) {
        write({ score: 0, decision: 'none', error: 'dòng thiếu TAB giữa hai văn bản / line has no TAB between the two texts' })
        continue
      }
      try {
        write(similarity(line.slice(0, tab), line.slice(tab + 1)))
      } catch (err) {
        write({ score: 0, decision: 'none', error: errorMessage(err) })
      }
    }
    return 0
  }
  if (sub === 'match') {
    // Start iterating stdin before the first await: readline drops lines that arrive while
    // nobody is listening (here, while the candidates file is read).
    const queries = lines[Symbol.asyncIterator]()
    const path = args[0]
    if (!path) {
      process.stderr.write('Dùng / usage: donghanh text match CANDIDATES < queries\n')
      return 2
    }
    let content: string
    try {
      content = await readFile(path, 'utf8')
    } catch (err) {
      process.stderr.write(`Không đọc được tệp ứng viên / cannot read candidates file: ${errorMessage(err)}\n`)
      return 2
    }
    const index = buildCandidateIndex(content)
    for (;;) {
      const next = await queries.next()
      if (next.done) break
      const query = clip(next.value)
      if (query.trim() === '') {
        write({ matches: [] })
        continue
      }
      try {
        // The related tier too: the best 10 are listed whenever a candidate shares real content
        // (a whole post against one-sentence claims), each with its decision.
        const hits = index.search(query, { limit: 10, minDecision: 'related' })
        const matches = hits.map((h) => ({ index: h.id, score: h.score, decision: h.decision, containment: h.containment }))
        // Only the start of a very long line takes part in matching; say so rather than hide it.
        write(query.length > MAX_MATCH_CHARS ? { matches, truncated: true, matchedChars: MAX_MATCH_CHARS } : { matches })
      } catch (err) {
        write({ matches: [], error: errorMessage(err) })
      }
    }
    return 0
  }
  process.stderr.write(`Lệnh không hợp lệ / unknown subcommand: ${sub}\n`)
  return 2
}

/** Candidate lines → index whose ids are the 0-based line numbers (blank lines keep their number). */
export function buildCandidateIndex(content: string): ClaimIndex {
  const index = new ClaimIndex()
  const rows = content.split('\n')
  if (rows.length > 0 && rows[rows.length - 1] === '') rows.pop()
  rows.forEach((row, i) => {
    const text = clip(row)
    if (text.trim() !== '') index.add(i, text)
  })
  return index
}
