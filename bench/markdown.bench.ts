/**
 * Markdown rendering cost on pathological 200,000-character bodies (the size limit), in CPU
 * milliseconds (best of 3), against ordinary prose of the same length in the same run, and
 * the growth from 50,000 to 200,000 characters (linear ≈ 4×; quadratic ≈ 16×).
 *
 *   npm run bench -- markdown
 */
import { MAX_BODY_CHARS, markdownToText, renderMarkdown } from '../src/platform/markdown/index.ts'
import { PATHOLOGICAL_UNITS } from '../src/platform/markdown/pathological.ts'

function cpuMs(fn: () => unknown, runs = 3): number {
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage()
    fn()
    const used = process.cpuUsage(start)
    best = Math.min(best, (used.user + used.system) / 1000)
  }
  return best
}

const fill = (unit: string, chars: number) => unit.repeat(Math.floor(chars / unit.length))

/** Runs the markdown bench. */
export async function run(): Promise<void> {
  const prose = fill(PATHOLOGICAL_UNITS.prose as string, MAX_BODY_CHARS)
  renderMarkdown(prose)
  const ref = cpuMs(() => renderMarkdown(prose))
  console.log(`reference: 200k chars of prose render in ${ref.toFixed(1)} ms CPU`)
  for (const [name, unit] of Object.entries(PATHOLOGICAL_UNITS)) {
    const body = fill(unit, MAX_BODY_CHARS)
    const small = fill(unit, MAX_BODY_CHARS / 4)
    renderMarkdown(body)
    const html = cpuMs(() => renderMarkdown(body))
    const text = cpuMs(() => markdownToText(body))
    const growth =
      html /
      Math.max(
        cpuMs(() => renderMarkdown(small)),
        1,
      )
    console.log(
      `${name.padEnd(22)} render ${html.toFixed(1).padStart(6)} ms (${(html / ref).toFixed(2)}× prose)  text ${text.toFixed(1).padStart(6)} ms  growth 50k→200k ${growth.toFixed(1)}×`,
    )
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
