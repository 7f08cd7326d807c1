/**
 * Tesseract through our engine, on a few rendered screenshots: the text of a known rumour is
 * read from light and dark, 1× and 2×, PNG and JPEG q40 renders with a low CER; the batch
 * command prints one JSON line per file in order, also with no network at all (the model comes
 * from node_modules); an image past the time limit ends its worker and the next image is read
 * by a fresh one.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cer } from './cer.ts'
import { createOcrEngine, type OcrEngine, vieModelDir, workerOptions } from './engine.ts'
import { OcrError } from './preprocess.ts'
import { renderScreenshot } from './render.ts'

const RUMOUR =
  'Từ ngày mai, Công an tỉnh sẽ phạt người đi xe máy không đội mũ bảo hiểm mức 5 triệu đồng. Ở đây mọi người chia sẻ rộng rãi để cảnh báo nhau!'
const ROOT = path.resolve(import.meta.dirname, '../../..')

let engine: OcrEngine
let dir: string
beforeAll(() => {
  engine = createOcrEngine()
  dir = mkdtempSync(path.join(tmpdir(), 'ocr-test-'))
})
afterAll(async () => {
  await engine.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('OCR engine', () => {
  it('loads the Vietnamese model from the installed package, never from the network', () => {
    const o = workerOptions()
    expect(o.langPath).toBe(vieModelDir())
    expect(o.langPath).not.toMatch(/^https?:/)
    expect(o.cacheMethod).toBe('none')
    expect(o.gzip).toBe(true)
  })

  it('reads a rumour from post and chat screenshots, light and dark, with case and marks right', async () => {
    for (const spec of [
      { layout: 'post', theme: 'light', density: 1, format: 'png' },
      { layout: 'chat', theme: 'dark', density: 2, format: 'jpeg40' },
    ] as const) {
      const shot = await renderScreenshot(RUMOUR, spec)
      const r = await engine.recognize(shot.image)
      expect(r.text).toContain('Từ ngày mai, Công an tỉnh sẽ phạt')
      expect(r.confidence).toBeGreaterThan(60)
      expect(r.inverted).toBe(spec.theme === 'dark')
      // Ours beats the plain engine on the same image, and stays under 2 %.
      const plain = await engine.recognize(shot.image, { unprocessed: true, raw: true })
      expect(cer(shot.reference, r.text)).toBeLessThan(0.02)
      expect(cer(shot.reference, r.text)).toBeLessThanOrEqual(cer(shot.reference, plain.text))
    }
  })

  it('ends a worker past the time limit, and reads the next image with a fresh one', async () => {
    const shot = await renderScreenshot(RUMOUR, { layout: 'post', theme: 'light', density: 2, format: 'png' })
    const hurried = createOcrEngine({ timeoutMs: 1 })
    try {
      const e = await hurried.recognize(shot.image).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(OcrError)
      expect((e as OcrError).reason).toBe('timeout')
    } finally {
      await hurried.close()
    }
    const again = createOcrEngine({ timeoutMs: 1 })
    await again.recognize(shot.image).catch(() => undefined)
    await again.close()
    // The shared engine is unaffected and still reads.
    expect((await engine.recognize(shot.image)).text).toContain('mũ bảo hiểm')
  })

  it('`donghanh text ocr FILE…` prints one JSON line per file, in order, with no network', async () => {
    const a = await renderScreenshot(RUMOUR, { layout: 'post', theme: 'dark', density: 1, format: 'png' })
    writeFileSync(path.join(dir, 'a.png'), a.image)
    writeFileSync(path.join(dir, 'b.png'), 'not an image')
    // A network namespace with no interfaces: any fetch would fail. Where unshare is not allowed
    // (some containers), a preload makes every socket connect and fetch throw instead.
    const isolated = spawnSync('unshare', ['-rn', 'true']).status === 0
    const guard = ['--import', path.join(ROOT, 'test/support/no-network.mjs')]
    const cmd = isolated ? 'unshare' : process.execPath
    const args = [
      ...(isolated ? ['-rn', process.execPath] : guard),
      'bin/donghanh.js',
      'text',
      'ocr',
      path.join(dir, 'a.png'),
      path.join(dir, 'b.png'),
    ]
    const run = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; text: string; confidence: number; error?: string })
    expect(lines.map((l) => path.basename(l.file))).toEqual(['a.png', 'b.png'])
    expect(lines[0]?.text).toContain('Công an tỉnh')
    expect(lines[0]?.confidence).toBeGreaterThan(60)
    expect(lines[1]).toMatchObject({ text: '', confidence: 0, error: 'not-an-image' })
    expect(run.status).toBe(1)
  })
})
