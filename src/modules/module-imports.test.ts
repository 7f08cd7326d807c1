import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Which module folders each module's files import (import and export-from lines, type imports
// included). Regex, not a compiler: good enough for our one-import-per-line style.
const MODULES = path.dirname(fileURLToPath(import.meta.url))
const IMPORT_RE = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]/gm

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n)
    if (statSync(p).isDirectory()) return filesOf(p)
    return /\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) ? [p] : []
  })
}

function moduleImports(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>()
  for (const file of filesOf(MODULES)) {
    const from = path.relative(MODULES, file).split(path.sep)[0] as string
    if (!graph.has(from)) graph.set(from, new Set())
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT_RE)) {
      const target = path.relative(MODULES, path.resolve(path.dirname(file), (m[1] ?? m[2]) as string)).split(path.sep)
      if (target[0] !== '..' && target.length > 1 && target[0] !== from) graph.get(from)?.add(target[0] as string)
    }
  }
  return graph
}

describe('module imports', () => {
  const graph = moduleImports()

  it('cases and spokespersons take shared console plumbing from platform/, not from releases', () => {
    expect([...(graph.get('cases') ?? [])].filter((m) => m === 'releases' || m === 'spokespersons')).toEqual(
      // The case page lists its releases from the releases tables (schema only, no release code).
      ['releases'],
    )
    for (const file of filesOf(path.join(MODULES, 'cases'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT_RE)) {
        const spec = (m[1] ?? m[2]) as string
        if (spec.includes('/releases/')) expect(`${path.basename(file)} → ${spec}`).toMatch(/releases\/releases\.tables\.ts$/)
      }
    }
    expect(graph.get('spokespersons')?.has('releases')).toBe(false)
  })

  it('no module imports one that imports it back, except through table definitions', () => {
    const cycles: string[] = []
    for (const [a, targets] of graph) for (const b of targets) if (a < b && graph.get(b)?.has(a)) cycles.push(`${a} ↔ ${b}`)
    // releases ↔ cases remains only because the case page reads the releases tables (above).
    expect(cycles).toEqual(['cases ↔ releases'])
  })
})
