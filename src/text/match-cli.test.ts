import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { runTextCli } from './cli.ts'
import { runMatchCommand } from './match-cli.ts'

/** Runs `donghanh text …` through the real dispatcher with `input` on stdin. */
async function runCli(argv: string[], input: string): Promise<{ code: number; lines: unknown[]; stderr: string }> {
  const stdin = new PassThrough()
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8')
  })
  stderr.on('data', (c: Buffer) => {
    err += c.toString('utf8')
  })
  const done = runTextCli(argv, { stdin, stdout, stderr })
  stdin.end(input)
  const code = await done
  const lines =
    out === ''
      ? []
      : out
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => JSON.parse(l) as unknown)
  return { code, lines, stderr: err }
}

async function* from(lines: string[]): AsyncIterable<string> {
  yield* lines
}

const SCAM = 'Cảnh báo: đối tượng giả danh công an gọi điện yêu cầu người dân chuyển tiền vào tài khoản để điều tra'
const BAD_LINES = [
  '',
  'no tab here',
  '\t',
  `${'ă'.repeat(1_000_000)}\t${SCAM}`,
  `${SCAM.normalize('NFD')}\t${SCAM}`,
  'Caûnh baùo giaû danh coâng an\tCảnh báo giả danh công an',
  '🔥🔥 bắt cóc 😡\t\u0000\u0001\uFFFD',
  '\uD800 lone surrogate\tx',
]

describe('donghanh text similarity', () => {
  it('prints exactly one JSON line per input line, whatever the line holds', async () => {
    const { code, lines } = await runCli(['similarity'], `${BAD_LINES.join('\n')}\n`)
    expect(code).toBe(0)
    expect(lines).toHaveLength(BAD_LINES.length)
    for (const l of lines) {
      expect(l).toMatchObject({ decision: expect.stringMatching(/^(merge|suggest|none)$/) })
      const score = (l as { score: number }).score
      expect(score).toBeGreaterThanOrEqual(0)
      expect(score).toBeLessThanOrEqual(1)
    }
    expect(lines[1]).toMatchObject({ score: 0, decision: 'none', error: expect.any(String) })
    expect(lines[4]).toEqual({ score: 1, decision: 'merge' })
  })

  it('scores pairs', async () => {
    const out: unknown[] = []
    await runMatchCommand(
      'similarity',
      [],
      from([`${SCAM}\tcanh bao doi tuong gia danh CA goi dien yeu cau nguoi dan chuyen tien vao tk de dieu tra`]),
      (o) => out.push(o),
    )
    expect(out).toEqual([{ score: expect.any(Number), decision: 'merge' }])
  })
})

describe('donghanh text match CANDIDATES', () => {
  const dir = mkdtempSync(join(tmpdir(), 'match-cli-'))
  const candidates = join(dir, 'candidates.txt')
  writeFileSync(
    candidates,
    [
      SCAM,
      'Xôn xao tin bắt cóc trẻ em bằng xe khách ở Quảng Xương, phụ huynh hoang mang',
      '',
      'Xôn xao tin bắt cóc trẻ em bằng xe khách ở Nông Cống, phụ huynh hoang mang',
      'https://www.facebook.com/congantinhthanhhoa/posts/123?fbclid=abc',
    ].join('\r\n'),
  )

  it('prints one line per query with matches indexed by candidate line', async () => {
    const queries = [
      'tin bat coc tre em bang xe khach o quang xuong lam phu huynh hoang mang',
      '',
      'https://m.facebook.com/congantinhthanhhoa/posts/123/',
      'Giá xăng giảm từ 15 giờ chiều nay',
      ...BAD_LINES,
    ]
    const { code, lines } = await runCli(['match', candidates], queries.join('\n'))
    expect(code).toBe(0)
    expect(lines).toHaveLength(queries.length)
    expect(lines[0]).toEqual({ matches: [{ index: 1, score: expect.any(Number), decision: 'merge' }] })
    expect(lines[1]).toEqual({ matches: [] })
    expect(lines[2]).toEqual({ matches: [{ index: 4, score: 1, decision: 'merge' }] })
    expect(lines[3]).toEqual({ matches: [] })
    for (const l of lines) {
      const { matches } = l as { matches: { index: number; decision: string }[] }
      expect(matches.length).toBeLessThanOrEqual(10)
      for (const m of matches) expect(['merge', 'suggest']).toContain(m.decision)
    }
  })

  it('fails with a usage error when the candidates file is missing', async () => {
    const { code, lines } = await runCli(['match', join(dir, 'missing.txt')], 'x\n')
    expect(code).toBe(2)
    expect(lines).toEqual([])
  })
})
