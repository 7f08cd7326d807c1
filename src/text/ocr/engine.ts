/**
 * Tesseract (tesseract.js, WebAssembly) with the Vietnamese LSTM model of the npm package
 * `@tesseract.js-data/vie` (4.0.0_best_int), read from node_modules: nothing is fetched at run
 * time (`langPath` is a local folder, the cache is off), so `npm install` is the only set-up.
 * A small pool (one worker per process by default: OCR is CPU-bound and the desk's web
 * requests share the machine) runs images one at a time per worker; an image that takes longer
 * than the time limit terminates its worker (WebAssembly cannot be interrupted otherwise) and a
 * fresh one is started for the next image.
 */
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createWorker, OEM, PSM, type Worker } from 'tesseract.js'
import { correctOcrText } from './correct.ts'
import { OcrError, type PrepareOptions, prepareImage } from './preprocess.ts'

/** Default time limit per image. */
export const OCR_TIMEOUT_MS = 30_000

/** The folder holding `vie.traineddata.gz`, inside the installed package. */
export function vieModelDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@tesseract.js-data/vie/package.json')
  return path.join(path.dirname(pkg), '4.0.0_best_int')
}

/** The worker options: local model, gzip as shipped, no cache read or written. */
export function workerOptions(): { langPath: string; gzip: boolean; cacheMethod: string; cachePath: string } {
  const cachePath = path.join(tmpdir(), 'donghanh-ocr')
  mkdirSync(cachePath, { recursive: true })
  return { langPath: vieModelDir(), gzip: true, cacheMethod: 'none', cachePath }
}

/** The text read from one image. */
export interface OcrResult {
  /** Text after the Vietnamese-aware correction (NFC). */
  text: string
  /** Tesseract's own text, before correction. */
  raw: string
  /** Mean word confidence, 0–100. */
  confidence: number
  /** Frames in the file (only the first is read). */
  frames: number
  inverted: boolean
  scale: number
}

/** Options of an engine. */
export interface OcrEngineOptions {
  /** Workers (default 1). */
  workers?: number
  /** Time limit per image, ms (default {@link OCR_TIMEOUT_MS}). */
  timeoutMs?: number
}

/** Options of one recognition. */
export interface RecognizeOptions {
  /** Preprocessing switches (for the evaluation; defaults are the shipped choice). */
  prepare?: PrepareOptions
  /** Skip the correction (plain engine output, for the evaluation). */
  raw?: boolean
  /** Hand the bytes to Tesseract untouched (no checks beyond the size, no preprocessing). */
  unprocessed?: boolean
}

/** A pool of Tesseract workers. */
export interface OcrEngine {
  recognize(image: Buffer, o?: RecognizeOptions): Promise<OcrResult>
  close(): Promise<void>
}

interface Slot {
  worker: Promise<Worker> | null
  busy: boolean
}

async function startWorker(): Promise<Worker> {
  // The failed job's promise is rejected either way (and handled in `run`); without a handler
  // tesseract.js would also throw from its message listener, an uncaught exception.
  const w = await createWorker('vie', OEM.LSTM_ONLY, { ...workerOptions(), errorHandler: () => undefined })
  // A screenshot is one block of text in reading order; keep the spaces between words.
  // debug_file: Tesseract's diagnostics ("Detected 30 diacritics") would otherwise go to
  // stdout, which the batch command keeps for its JSON lines.
  await w.setParameters({
    tessedit_pageseg_mode: PSM.AUTO,
    preserve_interword_spaces: '1',
    user_defined_dpi: '300',
    debug_file: '/dev/null',
  } as Parameters<Worker['setParameters']>[0])
  return w
}

/**
 * Starts an OCR engine. Workers start lazily, on the first image.
 * @param o pool size and time limit
 */
export function createOcrEngine(o: OcrEngineOptions = {}): OcrEngine {
  const timeoutMs = o.timeoutMs ?? OCR_TIMEOUT_MS
  const slots: Slot[] = Array.from({ length: Math.max(1, o.workers ?? 1) }, () => ({ worker: null, busy: false }))
  const waiting: Array<(s: Slot) => void> = []
  let closed = false

  const acquire = (): Promise<Slot> => {
    const free = slots.find((s) => !s.busy)
    if (free) {
      free.busy = true
      return Promise.resolve(free)
    }
    return new Promise((resolve) => waiting.push(resolve))
  }
  const release = (s: Slot): void => {
    const next = waiting.shift()
    if (next) next(s)
    else s.busy = false
  }

  const run = async (slot: Slot, png: Buffer): Promise<{ text: string; confidence: number }> => {
    slot.worker ??= startWorker()
    const worker = await slot.worker
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OcrError('timeout', `${timeoutMs} ms`)), timeoutMs)
    })
    try {
      const r = await Promise.race([worker.recognize(png), timeout])
      return { text: r.data.text, confidence: r.data.confidence }
    } catch (e) {
      // The worker may be mid-recognition: end it, the next image gets a fresh one.
      slot.worker = null
      await worker.terminate().catch(() => undefined)
      if (e instanceof OcrError) throw e
      throw new OcrError('engine', (e as Error)?.message ?? String(e))
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    async recognize(image, ro = {}) {
      if (closed) throw new OcrError('engine', 'closed')
      const prepared = ro.unprocessed ? { png: image, frames: 1, inverted: false, scale: 1 } : await prepareImage(image, ro.prepare)
      const slot = await acquire()
      try {
        const r = await run(slot, prepared.png)
        const raw = r.text.normalize('NFC').trim()
        return {
          raw,
          text: ro.raw ? raw : correctOcrText(raw),
          confidence: Math.max(0, Math.min(100, Math.round(r.confidence))),
          frames: prepared.frames,
          inverted: prepared.inverted,
          scale: prepared.scale,
        }
      } finally {
        release(slot)
      }
    },
    async close() {
      closed = true
      await Promise.all(
        slots.map(async (s) => {
          const w = s.worker
          s.worker = null
          if (w) await (await w).terminate()
        }),
      )
    },
  }
}

let shared: OcrEngine | undefined

/** The process's engine (one worker), started on first use; {@link closeSharedOcrEngine} ends it. */
export function sharedOcrEngine(): OcrEngine {
  shared ??= createOcrEngine()
  return shared
}

/** Ends the process's engine (at shutdown, and in tests). */
export async function closeSharedOcrEngine(): Promise<void> {
  const e = shared
  shared = undefined
  if (e) await e.close()
}
