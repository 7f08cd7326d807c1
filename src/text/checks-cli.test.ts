import { createInterface } from 'node:readline'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { runChecksCommand } from './checks-cli.ts'

async function run(sub: string, input: string[], args: string[] = []): Promise<{ code: number; out: unknown[] }> {
  const out: unknown[] = []
  async function* lines(): AsyncIterable<string> {
    yield* input
  }
  const code = await runChecksCommand(sub, args, lines(), (o) => out.push(JSON.parse(JSON.stringify(o))))
  return { code, out }
}

const NASTY = [
  '',
  '   ',
  'x'.repeat(1 << 20),
  `Anh Nguyễn Văn An gọi 0912345678 ${'😀'.repeat(1000)}`,
  'Đối tượng Lê Văn Hà (SN 1990)'.normalize('NFD'),
  'Thanh Hoùa: ñoái töôïng Nguyeãn Vaên An',
  '<p>Nạn nhân <b>Lê Thị Hoa</b></p><script>x</script>',
  '\u0000\u0007\uFFFF\uD800 lone surrogate',
  'Москва 北京 مرحبا',
  'a\tb\tc',
]

describe('runChecksCommand', () => {
  for (const sub of ['clickbait', 'pii', 'check']) {
    it(`${sub}: one JSON line per input line, whatever the line`, async () => {
      const { code, out } = await run(sub, NASTY)
      expect(code).toBe(0)
      expect(out.length).toBe(NASTY.length)
      for (const o of out) expect(o).not.toHaveProperty('error')
    })
  }

  it('clickbait output has exactly score, clickbait, reasons', async () => {
    const { out } = await run('clickbait', ['Sự thật bất ngờ khiến ai cũng sốc'])
    expect(Object.keys(out[0] as object).sort()).toEqual(['clickbait', 'reasons', 'score'])
    expect(out[0]).toMatchObject({ clickbait: true })
  })

  it('pii output has spans with UTF-16 offsets into the NFC line and a masked line', async () => {
    const line = '😀 Anh Lê Văn Hà, SĐT 0912345678'.normalize('NFD')
    const { out } = await run('pii', [line])
    const nfc = line.normalize('NFC')
    const o = out[0] as { spans: { start: number; end: number; type: string; text: string }[]; masked: string }
    expect(o.spans.map((s) => s.type)).toEqual(['name', 'phone'])
    for (const s of o.spans) {
      expect(Object.keys(s).sort()).toEqual(['end', 'start', 'text', 'type'])
      expect(nfc.slice(s.start, s.end)).toBe(s.text)
    }
    expect(o.masked).toBe('😀 Anh L.V.H., SĐT 091****678')
    const removed = await run('pii', [line], ['--style', 'remove'])
    expect((removed.out[0] as { masked: string }).masked).toBe('😀 Anh [đã ẩn], SĐT [đã ẩn]')
  })

  it('check takes an optional title before a TAB and the stage option', async () => {
    const { out } = await run('check', ['Hung thủ sa lưới\tHung thủ Lê Văn Hà đã bị bắt.'], ['--stage', 'charged'])
    const o = out[0] as { findings: { field: string; kind: string; suggestion?: string }[] }
    expect(o.findings.filter((f) => f.kind === 'guilt').map((f) => f.field)).toEqual(['text', 'title'])
    expect(o.findings[0].suggestion).toBe('bị can')
  })

  it('keeps one output line per input line when reading a real stream (CRLF, 1 MB line, no final newline)', async () => {
    const input = new PassThrough()
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
    const out: string[] = []
    const done = runChecksCommand('check', [], lines, (o) => out.push(JSON.stringify(o)))
    input.write('Hung thủ Lê Văn Hà\r\n\r\n')
    input.write(`${'Nguyễn Văn An 0912345678 '.repeat(42000)}\n`)
    input.end('C«ng an tØnh Thanh Hãa')
    expect(await done).toBe(0)
    expect(out.length).toBe(4)
    expect(out.every((l) => !l.includes('\n'))).toBe(true)
    expect(JSON.parse(out[3]).encoding).toBe('tcvn3')
  })

  it('rejects unknown subcommands and bad options', async () => {
    expect((await run('nope', ['x'])).code).toBe(2)
    expect((await run('check', ['x'], ['--stage', 'later'])).code).toBe(2)
  })
})
