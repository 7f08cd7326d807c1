/**
 * `donghanh text ocr FILE…`: reads the text of each image, in order, and prints one JSON line
 * per file: `{"file", "text", "confidence"}` (0–100), with `"error"` (the reason code) and an
 * empty text when a file could not be read. Exit code 0 when every file was read, 1 otherwise.
 */
import { readFile } from 'node:fs/promises'
import { createOcrEngine } from './engine.ts'
import { OcrError } from './preprocess.ts'

/**
 * Runs the batch.
 * @param files paths, in the order their lines are printed
 * @param write prints one JSON line
 * @param stderr human-readable diagnostics
 */
export async function runOcrCommand(files: string[], write: (obj: unknown) => void, stderr: NodeJS.WritableStream): Promise<number> {
  if (files.length === 0) {
    stderr.write('Dùng / usage: donghanh text ocr FILE…  (một dòng JSON mỗi tệp / one JSON line per file)\n')
    return 2
  }
  const engine = createOcrEngine()
  let failed = 0
  try {
    for (const file of files) {
      try {
        const r = await engine.recognize(await readFile(file))
        write({ file, text: r.text, confidence: r.confidence })
      } catch (e) {
        failed++
        const reason = e instanceof OcrError ? e.reason : (e as NodeJS.ErrnoException)?.code === 'ENOENT' ? 'not-found' : 'unreadable'
        stderr.write(`${file}: ${(e as Error)?.message ?? String(e)}\n`)
        write({ file, text: '', confidence: 0, error: reason })
      }
    }
  } finally {
    await engine.close()
  }
  return failed === 0 ? 0 : 1
}
