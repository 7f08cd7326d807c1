/**
 * Throughput of the Vietnamese content checks on one core.
 *
 *   npx tsx bench/text.bench.ts
 *
 * - clickbait: headlines/s over the ViClickbait val headlines (repeated), headline only and with
 *   the lead paragraph (the lead model's path);
 * - checkText: MB/s (UTF-8) over ~3,000-character police-news articles.
 * Each figure is printed next to a reference measured in the same run over the same input —
 * `s.normalize('NFC')` plus one regex pass over the syllables — and their ratio, so numbers
 * from different machines can be compared.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkText } from '../src/text/check.ts'
import { loadClickbaitModel, scoreClickbait } from '../src/text/clickbait.ts'
import { defaultDataDir, readRows } from '../tools/train-clickbait.ts'

const SYLLABLE = /[\p{L}\p{M}\p{N}]+/gu

/** The reference workload: NFC + one regex pass; returns a value so it cannot be optimised away. */
function reference(s: string): number {
  let n = 0
  for (const _ of s.normalize('NFC').matchAll(SYLLABLE)) n++
  return n
}

function time(fn: () => void, minMs = 1500): { ms: number; rounds: number } {
  fn() // warm-up (JIT, lazy tables, model load)
  let rounds = 0
  const t0 = performance.now()
  let ms = 0
  while (ms < minMs) {
    fn()
    rounds++
    ms = performance.now() - t0
  }
  return { ms, rounds }
}

function headlines(): { title: string; lead: string }[] {
  const val = resolve(defaultDataDir(), 'val.jsonl')
  if (existsSync(val)) return readRows(val).map((r) => ({ title: r.title, lead: r.lead }))
  // Without the dataset, fall back to the fixture sentences (similar length).
  return readFileSync(fileURLToPath(new URL('../src/text/fixtures/pii-sentences.jsonl', import.meta.url)), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text)
    .map((t) => ({ title: t.slice(0, 90), lead: t }))
}

function articles(): string[] {
  return readFileSync(fileURLToPath(new URL('./fixtures/articles.txt', import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n')
    .split(/\n===\n/)
    .map((a) => a.trim())
    .filter(Boolean)
}

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  loadClickbaitModel()
  const rows = headlines()
  const heads = rows.map((r) => r.title)
  let sink = 0
  // CPU time as well as wall time: on a shared, loaded machine the wall figure swings widely.
  const cpu0 = process.cpuUsage()
  const cb = time(() => {
    for (const h of heads) sink += scoreClickbait(h).score
  })
  const cpu = process.cpuUsage(cpu0)
  const cpuLead0 = process.cpuUsage()
  const cbLead = time(() => {
    for (const r of rows) sink += scoreClickbait(r.title, r.lead).score
  })
  const cpuLead = process.cpuUsage(cpuLead0)
  const cbRef = time(() => {
    for (const h of heads) sink += reference(h)
  })
  const hps = (heads.length * cb.rounds) / (cb.ms / 1000)
  const refHps = (heads.length * cbRef.rounds) / (cbRef.ms / 1000)
  console.log(
    `clickbait: ${Math.round(hps).toLocaleString('en')} headlines/s (${heads.length} headlines × ${cb.rounds}); ` +
      `reference NFC+regex ${Math.round(refHps).toLocaleString('en')}/s; ratio ${(refHps / hps).toFixed(1)}× slower than reference; ` +
      `${Math.round((heads.length * (cb.rounds + 1)) / ((cpu.user + cpu.system) / 1e6)).toLocaleString('en')} headlines per CPU-second`,
  )
  console.log(
    `clickbait with lead: ${Math.round((rows.length * cbLead.rounds) / (cbLead.ms / 1000)).toLocaleString('en')} headlines + leads/s; ` +
      `${Math.round((rows.length * (cbLead.rounds + 1)) / ((cpuLead.user + cpuLead.system) / 1e6)).toLocaleString('en')} per CPU-second`,
  )

  const arts = articles()
  const bytes = arts.reduce((n, a) => n + Buffer.byteLength(a, 'utf8'), 0)
  const avgChars = Math.round(arts.reduce((n, a) => n + a.length, 0) / arts.length)
  const ck = time(() => {
    for (const a of arts) sink += checkText({ text: a, referenceYear: 2025 }).findings.length
  })
  const ckRef = time(() => {
    for (const a of arts) sink += reference(a)
  })
  const mbps = (bytes * ck.rounds) / (ck.ms / 1000) / 1e6
  const refMbps = (bytes * ckRef.rounds) / (ckRef.ms / 1000) / 1e6
  console.log(
    `checkText: ${mbps.toFixed(2)} MB/s (${arts.length} articles, ~${avgChars} chars, ${(bytes / 1024).toFixed(0)} KiB × ${ck.rounds}); ` +
      `${((arts.length * ck.rounds) / (ck.ms / 1000)).toFixed(0)} articles/s; reference NFC+regex ${refMbps.toFixed(1)} MB/s; ` +
      `ratio ${(refMbps / mbps).toFixed(1)}× slower than reference`,
  )
  if (sink === Number.MIN_VALUE) console.log(sink) // keeps the work observable
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await run()
}
