/**
 * OCR throughput per CPU core (issue 18): phone screenshots read one after another by one
 * Tesseract worker (one image at a time uses one core: sharp's preprocessing on the main thread,
 * then recognition in the worker thread, then the correction), and by two workers in parallel
 * on this 2-core machine for the scaling. Also the share of each stage, and the CER of the
 * images read, so a faster setting that reads worse shows.
 *
 *   npx tsx bench/ocr.bench.ts            (or: npm run bench -- ocr)
 *
 * The full CER evaluation (33 texts × 16 renders in each of two fonts, plain engine vs ours) is tools/eval-ocr.ts.
 */
import { fileURLToPath } from 'node:url'
import { evaluationTexts } from '../tools/eval-ocr.ts'
import { cerCount } from '../src/text/ocr/cer.ts'
import { correctOcrText } from '../src/text/ocr/correct.ts'
import { createOcrEngine } from '../src/text/ocr/engine.ts'
import { prepareImage } from '../src/text/ocr/preprocess.ts'
import { renderScreenshot, type ScreenshotSpec } from '../src/text/ocr/render.ts'

const SPECS: [string, ScreenshotSpec][] = [
  ['post light 2× PNG (780 px wide)', { layout: 'post', theme: 'light', density: 2, format: 'png' }],
  ['post light 1× JPEG q40 (390 px)', { layout: 'post', theme: 'light', density: 1, format: 'jpeg40' }],
  ['chat dark 2× JPEG q40', { layout: 'chat', theme: 'dark', density: 2, format: 'jpeg40' }],
  ['chat dark 1× JPEG q40, Roboto', { layout: 'chat', theme: 'dark', density: 1, format: 'jpeg40', font: 'roboto' }],
]

/** Runs the bench and prints its figures. */
export async function run(): Promise<void> {
  const texts = evaluationTexts(8)
  for (const [label, spec] of SPECS) {
    const shots = await Promise.all(texts.map((t) => renderScreenshot(t, spec)))
    const one = createOcrEngine()
    await one.recognize(shots[0]?.image as Buffer) // start the worker, load the model
    let edits = 0
    let chars = 0
    const t0 = performance.now()
    for (const s of shots) {
      const r = await one.recognize(s.image)
      const c = cerCount(s.reference, r.text)
      edits += c.edits
      chars += c.chars
    }
    const seqMs = performance.now() - t0
    // Stage shares, measured apart on the same images.
    let prepMs = 0
    let corrMs = 0
    for (const s of shots) {
      const a = performance.now()
      await prepareImage(s.image)
      prepMs += performance.now() - a
      const raw = (await one.recognize(s.image, { raw: true })).raw
      const b = performance.now()
      correctOcrText(raw)
      corrMs += performance.now() - b
    }
    await one.close()
    const two = createOcrEngine({ workers: 2 })
    await Promise.all([two.recognize(shots[0]?.image as Buffer), two.recognize(shots[1]?.image as Buffer)])
    const t1 = performance.now()
    await Promise.all(shots.map((s) => two.recognize(s.image)))
    const parMs = performance.now() - t1
    await two.close()
    const n = shots.length
    console.log(
      `${label}: ${((n * 1000) / seqMs).toFixed(2)} images/s on one core (${(seqMs / n).toFixed(0)} ms each: ` +
        `preprocess ${(prepMs / n).toFixed(0)} ms, correction ${(corrMs / n).toFixed(1)} ms, the rest Tesseract); ` +
        `2 workers: ${((n * 1000) / parMs).toFixed(2)} images/s; CER ${((100 * edits) / chars).toFixed(2)} % over ${n} images`,
    )
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run()
