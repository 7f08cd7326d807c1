/**
 * The public intake of the verification desk: form values, links and "where seen" made into a
 * submission; screenshots and files checked by their content (images and PDF only, at most
 * three of 10 MB) and stored with their SHA-256 in the same transaction as the ticket. Nothing
 * about the submitter is kept beyond the optional e-mail (purged after the retention period).
 */
import type {} from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import { type Database, withSingleStatement, withTransaction } from '../../../db/index.ts'
import { AppError, isAppError } from '../../../platform/errors.ts'
import { TEXT_FORM_BODY_LIMIT } from '../../../platform/html/too-long.tsx'
import { t } from '../../../platform/i18n/index.ts'
import { type CheckedUpload, checkUpload, safeFileName, storeUpload } from '../../../platform/uploads/index.ts'
import { MAX_SUBMISSION_CHARS, type SubmitClaimResult, submitClaim } from '../commands/submit-claim.ts'
import { enqueue } from '../../../platform/jobs/index.ts'
import { OCR_FILE_TYPES } from '../commands/read-screenshot.ts'
import { ocrJob } from '../factcheck.jobs.ts'
import { claimFileOcr, claimSubmissionFiles } from '../factcheck.tables.ts'

/** Where a rumour was seen (the form's select). */
export const SEEN_PLACES = ['facebook', 'zalo', 'tiktok', 'youtube', 'news', 'other'] as const
/** Files per submission. */
export const MAX_FILES = 3
/** Bytes per file. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024
/**
 * Bytes the form may carry (the app's other routes: 1 MB). Larger than any accepted text on
 * purpose: an over-long paste must reach the handler, so the form comes back with the text
 * still in it and the limit explained, instead of a bare 413 that loses it.
 */
export const FORM_BODY_LIMIT = TEXT_FORM_BODY_LIMIT
/** The honeypot field: hidden from people and screen readers; only bots fill it. */
export const HONEYPOT_FIELD = 'website'

/** The values of the public form, as typed (kept when the form is shown again with an error). */
export interface DeskForm {
  text: string
  links: string
  seen: string
  seenDetail: string
  email: string
}

/** A file as received, before any check. */
export interface IncomingFile {
  fileName: string
  mime: string
  data: Buffer
}

/** A file that passed the checks. */
export interface CheckedFile extends CheckedUpload {
  data: Buffer
}

const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '')

/** The form's values from a parsed body (urlencoded or multipart); anything missing is empty. */
export function formValues(body: unknown): DeskForm {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  return {
    // Kept as received (up to the form's body limit): an over-long text comes back whole.
    text: str(b.text, FORM_BODY_LIMIT),
    links: str(b.links, 20_000),
    seen: str(b.seen, 20),
    seenDetail: str(b.seenDetail, 300),
    email: str(b.email, 254),
  }
}

/** True when the honeypot field carries anything. */
export function honeypotFilled(body: unknown): boolean {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[HONEYPOT_FIELD] : undefined
  return typeof v === 'string' && v.trim() !== ''
}

/** Links typed one per line (any whitespace separates them). */
export function splitLinks(text: string): string[] {
  return text
    .split(/\s+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 100)
}

/** "Where seen" as stored: the platform's name, then the free text ("Zalo: nhóm phụ huynh"). */
export function seenWhere(place: string, detail: string): string {
  const known = (SEEN_PLACES as readonly string[]).includes(place) ? t('vi', `kc.seen.${place}`) : ''
  return [known, detail.trim()].filter(Boolean).join(': ')
}

/**
 * Checks files by content: at most {@link MAX_FILES}, each at most 10 MB, images (JPEG, PNG,
 * WebP) or PDF whose bytes agree with the extension (a `.png` that is HTML or PDF is refused).
 */
export function checkClaimFiles(files: IncomingFile[]): CheckedFile[] {
  if (files.length > MAX_FILES) throw new AppError('TOO_MANY_FILES', { max: MAX_FILES })
  return files.map((f) => {
    const name = safeFileName(f.fileName)
    if (f.data.byteLength > MAX_FILE_BYTES) throw new AppError('UPLOAD_TOO_LARGE', { name, maxMb: MAX_FILE_BYTES / 1024 / 1024 })
    let checked: CheckedUpload
    try {
      checked = checkUpload({ filename: f.fileName, data: f.data, declaredMime: f.mime })
    } catch (e) {
      if (isAppError(e) && e.code === 'UPLOAD_TYPE_UNSUPPORTED') throw new AppError('CLAIM_FILE_TYPE', { name })
      throw e
    }
    if (checked.type === 'docx') throw new AppError('CLAIM_FILE_TYPE', { name })
    return { ...checked, data: f.data }
  })
}

/**
 * Reads a multipart body into plain string fields and a list of files (bound to the request).
 * A text longer than the limit is refused (never silently cut); so are a fourth file and a
 * file over 10 MB. Fields are read up to {@link FORM_BODY_LIMIT} bytes in all; a field cut at
 * that size is refused as TEXT_TOO_LONG with what arrived kept in `req.body` (the form shows
 * it again; {@link textWasCut} tells). Used as a preValidation hook of the desk's scope.
 */
export async function readMultipart(req: FastifyRequest): Promise<void> {
  if (!req.isMultipart()) return
  const body: Record<string, string> = {}
  const files: IncomingFile[] = []
  // Set before reading, so an error below still leaves the fields read so far to show again.
  req.body = body
  let fieldBytes = 0
  let cut = false
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        let data: Buffer
        try {
          data = await part.toBuffer()
        } catch (e) {
          if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
            throw new AppError('UPLOAD_TOO_LARGE', { name: safeFileName(part.filename), maxMb: MAX_FILE_BYTES / 1024 / 1024 })
          }
          throw e
        }
        // A file input left empty still sends an empty, nameless part.
        if (!part.filename && data.byteLength === 0) continue
        files.push({ fileName: part.filename, mime: part.mimetype, data })
      } else {
        const value = typeof part.value === 'string' ? part.value : String(part.value ?? '')
        // The rest of the body is still read (the files too), so the form can be shown whole.
        if (part.valueTruncated) cut = true
        const room = FORM_BODY_LIMIT - fieldBytes
        const bytes = Buffer.byteLength(value)
        fieldBytes += Math.min(bytes, Math.max(room, 0))
        if (bytes > room) {
          cut = true
          // What fits is kept (a character split at the edge is dropped), the rest was never needed.
          if (room > 0)
            body[part.fieldname] = Buffer.from(value)
              .subarray(0, room)
              .toString()
              .replace(/\uFFFD$/, '')
          continue
        }
        body[part.fieldname] = value
      }
    }
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code === 'FST_FILES_LIMIT') throw new AppError('TOO_MANY_FILES', { max: MAX_FILES })
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('PAYLOAD_TOO_LARGE')
    throw e
  }
  received.set(req, files)
  if (cut) {
    cutTexts.add(req)
    throw new AppError('TEXT_TOO_LONG', { max: MAX_SUBMISSION_CHARS })
  }
}

const received = new WeakMap<FastifyRequest, IncomingFile[]>()
const cutTexts = new WeakSet<FastifyRequest>()

/** True when a multipart field of this request was cut at the form's body limit (only its start arrived). */
export function textWasCut(req: FastifyRequest): boolean {
  return cutTexts.has(req)
}

/** The files of a multipart request (none for other requests). */
export function filesOf(req: FastifyRequest): IncomingFile[] {
  return received.get(req) ?? []
}

/** What a public submission carries. */
export interface PublicSubmission {
  text: string
  links: string[]
  seenWhere: string
  email: string | null
  files: CheckedFile[]
}

/**
 * Takes a public submission: the ticket, the claim and the files' rows, all or nothing. Without
 * files the intake is one statement and runs without BEGIN/COMMIT (two round trips fewer per
 * submission); with files, in one transaction. A duplicate within minutes stores nothing new.
 */
export async function takePublicSubmission(
  database: Database,
  o: { tenantId: string; dataDir: string; submission: PublicSubmission },
): Promise<SubmitClaimResult> {
  const s = o.submission
  const run = s.files.length > 0 ? withTransaction : withSingleStatement
  return run(database.pool, async (tx) => {
    const r = await submitClaim({
      tx,
      tenantId: o.tenantId,
      channel: 'public',
      actor: { id: null, label: 'public' },
      text: s.text,
      links: s.links,
      seenWhere: s.seenWhere,
      contactEmail: s.email,
    })
    if (!r.duplicate) {
      for (const f of s.files) {
        const stored = await storeUpload({ dataDir: o.dataDir, tenantId: o.tenantId, data: f.data, ext: f.ext })
        const [row] = await tx
          .insert(claimSubmissionFiles)
          .values({
            tenantId: o.tenantId,
            submissionId: r.submissionId,
            fileName: f.fileName,
            fileType: f.type,
            sizeBytes: f.size,
            sha256: stored.sha256,
            storagePath: stored.path,
          })
          .returning({ id: claimSubmissionFiles.id })
        // Images are read by OCR later (`factcheck.ocr`): the submitter never waits on it, and
        // the pending row is in this transaction, so no image is left without an outcome.
        if (OCR_FILE_TYPES.includes(f.type)) {
          await tx.insert(claimFileOcr).values({ fileId: row.id, tenantId: o.tenantId })
          await enqueue(tx, ocrJob.name, { fileId: row.id })
        }
      }
    }
    return r
  })
}
