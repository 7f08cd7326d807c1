import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PassThrough } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
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
      expect(l).toMatchObject({ decision: expect.stringMatching(/^(merge|suggest|related|none)$/) })
      const score = (l as { score: number }).score
      expect(score).toBeGreaterThanOrEqual(0)
      expect(score).toBeLessThanOrEqual(1)
    }
    expect(lines[1]).toMatchObject({ score: 0, decision: 'none', error: expect.any(String) })
    expect(lines[4]).toEqual({ score: 1, decision: 'merge', containment: 1 })
  })

  it('scores pairs', async () => {
    const out: unknown[] = []
    await runMatchCommand(
      'similarity',
      [],
      from([`${SCAM}\tcanh bao doi tuong gia danh CA goi dien yeu cau nguoi dan chuyen tien vao tk de dieu tra`]),
      (o) => out.push(o),
    )
    expect(out).toEqual([{ score: expect.any(Number), decision: 'merge', containment: expect.any(Number) }])
  })
})

describe('donghanh text match CANDIDATES', () => {
  const dir = mkdtempSync(join(tmpdir(), 'match-cli-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
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
    expect(lines[0]).toEqual({ matches: [{ index: 1, score: expect.any(Number), decision: 'merge', containment: expect.any(Number) }] })
    expect(lines[1]).toEqual({ matches: [] })
    expect(lines[2]).toEqual({ matches: [{ index: 4, score: 1, decision: 'merge', containment: 1 }] })
    expect(lines[3]).toEqual({ matches: [] })
    for (const l of lines) {
      const { matches } = l as { matches: { index: number; decision: string }[] }
      expect(matches.length).toBeLessThanOrEqual(10)
      for (const m of matches) expect(['merge', 'suggest', 'related']).toContain(m.decision)
    }
    // The 1 MB line: matched by its start, and it says so.
    expect(lines[queries.indexOf(BAD_LINES[3])]).toMatchObject({ truncated: true, matchedChars: expect.any(Number) })
  })

  it('lists a short claim that a long post carries as "related"', async () => {
    const post = [
      'Cả nhà ơi 😱 sáng nay em đọc được trong nhóm Zalo của xóm, không biết thật hay giả nên đăng lên đây hỏi mọi người.',
      'Chồng em đi làm về kể lại, cả nhà ai cũng lo, bà con mình ở quê ít dùng mạng nên dễ tin lắm.',
      'Tối qua cháy lớn ở chợ Vườn Hoa thành phố Thanh Hóa, lửa bốc cao lắm, nhiều ki ốt bị thiêu rụi hết hàng hóa.',
      'Ai có người nhà buôn bán ở đó thì gọi điện hỏi thăm giúp với. Mong các cơ quan chức năng sớm vào cuộc làm rõ.',
      'Dạo này trên mạng nhiều tin quá, không biết đâu mà lần, mọi người đọc kỹ rồi hẵng chia sẻ nhé.',
      'Em có chụp màn hình lại nhưng ảnh mờ quá nên không đăng. Bác hàng xóm bảo tối qua thấy xe chạy qua mấy lần.',
      'Cầu mong mọi chuyện sớm ổn thỏa. Có gì mới em cập nhật sau. #ThanhHoa #tinnong',
    ].join(' ')
    const fixture = fileURLToPath(new URL('./fixtures/claims-candidates.txt', import.meta.url))
    const { code, lines } = await runCli(['match', fixture], `${post}\n`)
    expect(code).toBe(0)
    const { matches } = lines[0] as { matches: { index: number; decision: string; score: number; containment: number }[] }
    // Under the suggest threshold as a whole, but it carries all of candidate 3 (chợ Vườn Hoa).
    expect(matches[0]).toMatchObject({ index: 3, decision: 'related' })
    expect(matches[0].score).toBeLessThan(0.69)
    expect(matches[0].containment).toBeGreaterThanOrEqual(0.75)
  })

  it('fails with a usage error when the candidates file is missing', async () => {
    const { code, lines } = await runCli(['match', join(dir, 'missing.txt')], 'x\n')
    expect(code).toBe(2)
    expect(lines).toEqual([])
  })
})
