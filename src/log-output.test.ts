import { Writable } from 'node:stream'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { logDestination, type Output, setApartLines } from './log-output.ts'
import { setupLinkNotice } from './serve.ts'

/** A stand-in for stdout (a real stream, terminal or not) that keeps what is written. */
function fakeStdout(isTTY: boolean): Output & Writable & { text: () => string } {
  const chunks: string[] = []
  const out = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  return Object.assign(out, { isTTY, text: () => chunks.join('') })
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what is removed.
const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '')

describe('serve output', () => {
  it('logs JSON when stdout is not a terminal (log shippers), readable lines on a terminal', async () => {
    expect(logDestination(fakeStdout(false))).toBeUndefined()
    const out = fakeStdout(true)
    const stream = logDestination(out)
    expect(stream).toBeDefined()
    const app = Fastify({ logger: { level: 'info', stream } })
    app.log.info({ reqId: 'req-1' }, 'Server listening at http://127.0.0.1:3000')
    app.log.warn('Cảnh báo: thư chưa gửi được')
    await app.close()
    const lines = plain(out.text()).trim().split('\n')
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(() => JSON.parse(line)).toThrow()
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: Server listening at http:\/\/127\.0\.0\.1:3000 \{"reqId":"req-1"\}$/)
    expect(lines[1]).toMatch(/WARN: Cảnh báo: thư chưa gửi được$/)
    expect(out.text()).not.toContain('"pid"')
  })

  it('prints the setup link last, set apart by blank lines and rules (no colour codes off a terminal)', () => {
    const link = 'http://127.0.0.1:3000/console/setup?token=abc-DEF_123'
    const lines = setupLinkNotice(link, { isTTY: false })
    expect(lines[0]).toBe('')
    expect(lines.at(-1)).toBe('')
    expect(lines[1]).toMatch(/^═{20,}$/)
    expect(lines.at(-2)).toBe(lines[1])
    expect(lines.at(-3)).toBe(`  ${link}`)
    expect(lines.join('\n')).toContain('No administrator yet.')
    expect(lines.join('')).not.toContain('\u001b[')
    const tty = setApartLines(['x'], { isTTY: true })
    expect(tty.map(plain)).toEqual(['', '═══', 'x', '═══', ''])
    expect(tty[1]).toContain('\u001b[1m')
  })
})
