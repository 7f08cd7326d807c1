/**
 * Submitted images on the claim page, each beside the text OCR read from it with Tesseract's
 * confidence — or "đang đọc / reading" while the job has not run, or "không đọc được / could
 * not read" with the reason — and the route that serves the image to staff (never public:
 * a screenshot may show the submitter's own account).
 */
import { readFile } from 'node:fs/promises'
import { Type } from '@sinclair/typebox'
import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { authorize } from '../../../platform/policy/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { FILE_TYPES, type FileType } from '../../../platform/uploads/index.ts'
import { claimFileOcr, claimSubmissionFiles } from '../factcheck.tables.ts'
import { claimSubject, DESK } from './desk-kit.tsx'

/** A submitted file with its OCR outcome (none for PDFs). */
export interface SubmittedFile {
  id: string
  submissionId: string
  fileName: string
  fileType: string
  ocr: typeof claimFileOcr.$inferSelect | null
}

/** The files of these submissions, with their OCR rows, in upload order. */
export async function submittedFiles(db: Db, tenantId: string, submissionIds: string[]): Promise<SubmittedFile[]> {
  if (submissionIds.length === 0) return []
  const rows = await db
    .select({ file: claimSubmissionFiles, ocr: claimFileOcr })
    .from(claimSubmissionFiles)
    .leftJoin(claimFileOcr, eq(claimFileOcr.fileId, claimSubmissionFiles.id))
    .where(and(eq(claimSubmissionFiles.tenantId, tenantId), inArray(claimSubmissionFiles.submissionId, submissionIds)))
    .orderBy(asc(claimSubmissionFiles.fileName))
  return rows.map((r) => ({
    id: r.file.id,
    submissionId: r.file.submissionId,
    fileName: r.file.fileName,
    fileType: r.file.fileType,
    ocr: r.ocr,
  }))
}

/** Confidence below which staff are told to compare with the image. */
const LOW_CONFIDENCE = 70

/** One submission's files: the image and, beside it, what was read. */
export function SubmissionFiles({ l, files }: { l: Locale; files: SubmittedFile[] }): SafeHtml | null {
  if (files.length === 0) return null
  return (
    <div class="ocr-files">
      {files.map((f) => (
        <figure class="ocr-file" data-file={f.id} data-ocr={f.ocr?.status ?? 'none'}>
          {f.fileType === 'pdf' ? (
            <a href={`${DESK}/tep/${f.id}`}>{f.fileName}</a>
          ) : (
            <a href={`${DESK}/tep/${f.id}`}>
              <img src={`${DESK}/tep/${f.id}`} alt={t(l, 'ocr.image', { name: f.fileName })} loading="lazy" />
            </a>
          )}
          {f.ocr ? (
            <figcaption>
              <div class="small">
                <strong>{t(l, 'ocr.title')}</strong>
              </div>
              {f.ocr.status === 'pending' ? <p class="small muted">{t(l, 'ocr.pending')}</p> : null}
              {f.ocr.status === 'failed' ? (
                <p class="small ocr-failed" role="status">
                  {t(l, 'ocr.failed', { reason: t(l, `ocr.reason.${f.ocr.reason ?? 'engine'}`) })}
                </p>
              ) : null}
              {f.ocr.status === 'done' ? (
                <>
                  <p class="small">
                    <span class={(f.ocr.confidence ?? 0) < LOW_CONFIDENCE ? 'badge warn' : 'badge'}>
                      {t(l, 'ocr.confidence', { n: f.ocr.confidence ?? 0 })}
                    </span>
                    {(f.ocr.confidence ?? 0) < LOW_CONFIDENCE ? <span class="muted"> · {t(l, 'ocr.lowConfidence')}</span> : null}
                  </p>
                  {(f.ocr.frames ?? 1) > 1 ? <p class="small muted">{t(l, 'ocr.frames', { n: f.ocr.frames ?? 1 })}</p> : null}
                  {f.ocr.text ? (
                    <blockquote class="ocr-text" lang="vi">
                      {f.ocr.text}
                    </blockquote>
                  ) : (
                    <p class="small muted">{t(l, 'ocr.empty')}</p>
                  )}
                </>
              ) : null}
            </figcaption>
          ) : null}
        </figure>
      ))}
    </div>
  )
}

/** Styles of the files block (added to the claim page's style). */
export const SCREENSHOT_STYLE = `
.ocr-files{display:flex;flex-direction:column;gap:.75rem;margin:.5rem 0}
.ocr-file{display:grid;grid-template-columns:minmax(0,14rem) 1fr;gap:.75rem;margin:0;align-items:start}
.ocr-file img{max-width:100%;border:1px solid var(--border,#ccc);border-radius:.25rem}
.ocr-text{white-space:pre-wrap;margin:.25rem 0;padding:.5rem;border-left:3px solid var(--border,#ccc);max-height:20rem;overflow:auto}
.ocr-failed{color:var(--danger,#b00020)}
@media (max-width:40rem){.ocr-file{grid-template-columns:1fr}}
`

/** `GET /console/kiem-chung/tep/:id`: a submitted file, to staff who may read claims. */
export async function registerScreenshotRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  app.get(
    `${DESK}/tep/:id`,
    {
      config: { access: { action: 'read', subject: 'claim' } },
      schema: { hide: true, params: Type.Object({ id: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }) }) },
    },
    async (req, reply) => {
      authorize(req.actor, 'read', claimSubject(tenant.id))
      const [f] = await database.db
        .select()
        .from(claimSubmissionFiles)
        .where(and(eq(claimSubmissionFiles.tenantId, tenant.id), eq(claimSubmissionFiles.id, req.params.id)))
      if (!f) throw new AppError('NOT_FOUND')
      const info = FILE_TYPES[f.fileType as FileType]
      const data = await readFile(f.storagePath)
      return reply
        .header('content-type', info?.mime ?? 'application/octet-stream')
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
        .send(data)
    },
  )
}
