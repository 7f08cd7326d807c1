/**
 * Batch handlers for `donghanh text clickbait|pii|check`: one JSON line out per line in,
 * whatever the line holds (empty, 1 MB, emoji, NFD, TCVN3/VNI, HTML).
 *
 * - `clickbait`: a headline per line; an optional lead may follow after a TAB.
 *   → `{"score","clickbait","reasons"}`
 * - `pii [--style initials|partial|remove] [--year YYYY]`: a sentence per line
 *   → `{"spans":[{"start","end","type","text"}],"masked"}`, offsets in UTF-16 units into the
 *   NFC form of the line (converted to Unicode first if it was TCVN3/VNI).
 * - `check [--stage investigating|charged|at_trial|judged] [--year YYYY]`: a text per line
 *   (an optional title may precede it, separated by a TAB) → the full `checkText` result.
 */
import { scoreClickbait } from './clickbait.ts'
import { checkText } from './check.ts'
import { findPersonalData, maskPersonalData, type MaskStyle } from './pii.ts'
import type { CaseStage } from './wording.ts'

const STAGES = new Set(['investigating', 'charged', 'at_trial', 'judged'])
const STYLES = new Set(['initials', 'partial', 'remove'])

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  if (i >= 0 && i + 1 < args.length) return args[i + 1]
  const eq = args.find((a) => a.startsWith(`${name}=`))
  return eq?.slice(name.length + 1)
}

/**
 * Runs a checks subcommand over input lines.
 * @param sub `clickbait`, `pii` or `check`
 * @param args options after the subcommand (see the module comment)
 * @param lines input, one item per line
 * @param write receives one JSON-serialisable object per input line
 * @returns exit code: 0, or 2 for an unknown subcommand or bad option
 */
export async function runChecksCommand(
  sub: string,
  args: string[],
  lines: AsyncIterable<string>,
  write: (obj: unknown) => void,
): Promise<number> {
  const stageArg = option(args, '--stage')
  const styleArg = option(args, '--style') ?? 'initials'
  const yearArg = option(args, '--year')
  if (!['clickbait', 'pii', 'check'].includes(sub)) return 2
  if ((stageArg && !STAGES.has(stageArg)) || !STYLES.has(styleArg) || (yearArg && !/^\d{4}$/.test(yearArg))) {
    process.stderr.write(`donghanh text ${sub}: tham số không hợp lệ / invalid option\n`)
    return 2
  }
  const referenceYear = yearArg ? Number(yearArg) : undefined
  const handle = (line: string): unknown => {
    switch (sub) {
      case 'clickbait': {
        const tab = line.indexOf('\t')
        const r = tab >= 0 ? scoreClickbait(line.slice(0, tab), line.slice(tab + 1)) : scoreClickbait(line)
        return { score: r.score, clickbait: r.clickbait, reasons: r.reasons }
      }
      case 'pii': {
        const found = findPersonalData(line, { referenceYear })
        return {
          spans: found.spans.map((s) => ({ start: s.start, end: s.end, type: s.type, text: s.text })),
          masked: maskPersonalData(found.text, found.spans, styleArg as MaskStyle),
        }
      }
      default: {
        const tab = line.indexOf('\t')
        return checkText({
          text: tab >= 0 ? line.slice(tab + 1) : line,
          ...(tab >= 0 ? { title: line.slice(0, tab) } : {}),
          caseStage: stageArg as CaseStage | undefined,
          referenceYear,
        })
      }
    }
  }
  for await (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    let out: unknown
    try {
      out = handle(line)
    } catch (err) {
      // Last resort only: the line still gets its output line, so positions stay aligned.
      out = { error: err instanceof Error ? err.message : String(err) }
    }
    write(out)
  }
  return 0
}
