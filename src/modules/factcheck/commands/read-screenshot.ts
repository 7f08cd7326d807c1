/**
 * Reads the text of an image sent with a submission (the `factcheck.ocr` job). The intake only
 * wrote the file's row and a 'pending' OCR row; this step, later and elsewhere, reads the file,
 * runs OCR within the engine's time and size limits, and stores the text with its confidence —
 * or 'failed' with the reason staff see ("không đọc được / could not read"). The submission is
 * never touched on failure. When the text suggests a kind of harm the intake did not see (the
 * submitter typed little, the screenshot says it all), the claim's automatic triage takes it,
 * unless staff set a severity by hand. Audited as `claim.screenshot_read` (a system decision).
 */
import { readFile } from 'node:fs/promises'
import { and, eq } from 'drizzle-orm'
import { type Database, withTransaction } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import type { OcrEngine } from '../../../text/ocr/engine.ts'
import { OcrError } from '../../../text/ocr/preprocess.ts'
import { claimFileOcr, claimSubmissionFiles, claimSubmissions, claims } from '../factcheck.tables.ts'
import { harmOf, priorityOf, slaDue, triageOf } from '../triage.ts'

/** File types sent to OCR (PDFs are not screenshots). */
export const OCR_FILE_TYPES: readonly string[] = ['jpeg', 'png', 'webp', 'gif']

/** What happened to one image. */
export interface ReadScreenshotResult {
  status: 'done' | 'failed' | 'skipped'
  reason?: string
  confidence?: number
}

/**
 * Reads one submitted image and stores the outcome (see the module comment).
 * @param o.database the application database
 * @param o.fileId the `claim_submission_files` row
 * @param o.engine the OCR engine (the process's shared one in the job)
 */
export async function readScreenshot(o: { database: Database; fileId: string; engine: OcrEngine }): Promise<ReadScreenshotResult> {
  const db = o.database.db
  const [row] = await db
    .select({ file: claimSubmissionFiles, ocr: claimFileOcr, claimId: claimSubmissions.claimId })
    .from(claimSubmissionFiles)
    .innerJoin(claimFileOcr, eq(claimFileOcr.fileId, claimSubmissionFiles.id))
    .innerJoin(claimSubmissions, eq(claimSubmissions.id, claimSubmissionFiles.submissionId))
    .where(eq(claimSubmissionFiles.id, o.fileId))
  // Deleted with its submission, or already read by an earlier delivery of the job.
  if (row?.ocr.status !== 'pending') return { status: 'skipped' }
  const started = performance.now()
  type Read = { ok: true; text: string; raw: string; confidence: number; frames: number }
  type Failed = { ok: false; reason: string; detail: string }
  let outcome: Read | Failed
  try {
    const data = await readFile(row.file.storagePath)
    const r = await o.engine.recognize(data)
    outcome = { ok: true, text: r.text, raw: r.raw, confidence: r.confidence, frames: r.frames }
  } catch (e) {
    if (e instanceof OcrError) outcome = { ok: false, reason: e.reason, detail: e.message }
    else if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') outcome = { ok: false, reason: 'unreadable', detail: 'file missing' }
    else throw e
  }
  const durationMs = Math.round(performance.now() - started)
  const read: Read | null = outcome.ok ? outcome : null
  const failed: Failed | null = outcome.ok ? null : outcome
  return withTransaction(o.database.pool, async (tx) => {
    const at = now()
    const updated = await tx
      .update(claimFileOcr)
      .set(
        read
          ? {
              status: 'done',
              text: read.text,
              rawText: read.raw,
              confidence: read.confidence,
              frames: read.frames,
              durationMs,
              finishedAt: at,
            }
          : { status: 'failed', reason: failed?.reason ?? 'engine', durationMs, finishedAt: at },
      )
      .where(and(eq(claimFileOcr.fileId, o.fileId), eq(claimFileOcr.status, 'pending')))
      .returning({ fileId: claimFileOcr.fileId })
    if (updated.length === 0) return { status: 'skipped' }
    // Triage: the screenshot's words may show a harm the typed text did not.
    let harmChange: { before: string; after: string } | undefined
    if (read) {
      const [c] = await tx.select().from(claims).where(eq(claims.id, row.claimId)).for('update')
      const harm = harmOf(read.text)
      if (c && harm !== 'other' && c.harm === 'other' && !c.severitySetAt && ['new', 'investigating'].includes(c.status)) {
        const { priority, level } = triageOf(priorityOf(harm, c.requests, c.partnerReports), null)
        await tx
          .update(claims)
          .set({ harm, priority, level, slaDueAt: slaDue(c.firstSeenAt, level), updatedAt: at })
          .where(eq(claims.id, c.id))
        harmChange = { before: c.harm, after: harm }
      }
    }
    await recordAudit(tx, {
      tenantId: row.file.tenantId,
      actor: { id: null, label: 'system:ocr' },
      action: 'claim.screenshot_read',
      subjectType: 'claim',
      subjectId: row.claimId,
      summary: read
        ? {
            fileId: o.fileId,
            status: 'done',
            confidence: read.confidence,
            chars: read.text.length,
            durationMs,
            ...(harmChange ? { harm: harmChange } : {}),
          }
        : { fileId: o.fileId, status: 'failed', reason: failed?.reason, detail: failed?.detail.slice(0, 200), durationMs },
    })
    return read ? { status: 'done', confidence: read.confidence } : { status: 'failed', reason: failed?.reason }
  })
}
