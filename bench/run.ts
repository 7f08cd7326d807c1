/**
 * `npm run bench [-- NAME …]`: runs every `bench/*.bench.ts` that exports `run()`, one after
 * another, or only those named (`npm run bench -- http text`). A bench that throws is
 * reported and the others still run; the exit code is 1 if any failed. A bench's figures go to
 * stdout and its last printed line is its own (some benches promise an exact last line, e.g.
 * `fanout: …` of distribution): the runner's heading goes before it, its wall time to stderr.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const SUFFIX = '.bench.ts'

/** A bench module: `run()` prints its own figures. */
interface BenchModule {
  run?: () => Promise<void> | void
}

/** Names of the benches in this folder (`http` for `http.bench.ts`), sorted. */
export function benchNames(dir: string = HERE): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort()
}

/** Runs the benches named in `args` (all when empty); returns the process exit code. */
export async function main(args: string[]): Promise<number> {
  const all = benchNames()
  const unknown = args.filter((a) => !all.includes(a))
  if (unknown.length > 0) {
    process.stderr.write(`unknown bench: ${unknown.join(', ')} (available: ${all.join(', ')})\n`)
    return 2
  }
  const chosen = args.length > 0 ? args : all
  const failed: string[] = []
  for (const name of chosen) {
    const mod = (await import(pathToFileURL(path.join(HERE, `${name}${SUFFIX}`)).href)) as BenchModule
    if (typeof mod.run !== 'function') {
      console.log(`\n## ${name}: no run() export — skipped`)
      continue
    }
    console.log(`\n## ${name}`)
    const t0 = performance.now()
    try {
      await mod.run()
      // To stderr, so the bench's own last line stays the last line of its output.
      process.stderr.write(`(${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`)
    } catch (e) {
      failed.push(name)
      process.stderr.write(`${name}: FAILED — ${(e as Error)?.stack ?? String(e)}\n`)
    }
  }
  if (failed.length > 0) {
    process.stderr.write(`\nbenches failed: ${failed.join(', ')}\n`)
    return 1
  }
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`)
    process.exit(1)
  },
)
