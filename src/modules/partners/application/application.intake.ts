/**
 * Reading the public application form: multipart text fields and proof files, with limits that
 * refuse (never cut) a field or a file that is too big, while keeping everything else that was
 * typed so the form can be shown again with it. Files are checked by their content
 * (platform/uploads): JPEG, PNG, WebP or PDF, at most 10 MB each.
 */
import type {} from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import { AppError, isAppError } from '../../../platform/errors.ts'
import { type CheckedUpload, checkUpload, safeFileName } from '../../../platform/uploads/index.ts'
import type { ProofType } from './application.tables.ts'

/** Proof files per submission (press card front and back, or a few channel screenshots). */
export const MAX_PROOF_FILES = 3
/** Bytes per proof file. */
export const MAX_PROOF_BYTES = 10 * 1024 * 1024
/** Bytes of one text field: far above any honest answer, far below a flood. */
export const MAX_FIELD_BYTES = 16 * 1024
/** Channel rows on the form. */
export const CHANNEL_ROWS = 3
/** The honeypot field: hidden from people and screen readers; only bots fill it. */
export const HONEYPOT_FIELD = 'website'

/** The form's values as typed (kept when the form is shown again with an error). */
export interface ApplicationForm {
  kind: string
  name: string
  email: string
  phone: string
  outletId: string
  outletName: string
  pressCardNumber: string
  pressCardExpiresOn: string
  beats: string
  communes: string[]
  channels: { platform: string; url: string; followers: string }[]
  acknowledged: boolean
  consent: boolean
  answer: string
}

const str = (v: unknown, max = MAX_FIELD_BYTES): string =>
  typeof v === 'string' ? v.slice(0, max) : Array.isArray(v) && typeof v[0] === 'string' ? v[0].slice(0, max) : ''

/** The form's values from a parsed body (urlencoded or multipart); anything missing is empty. */
export function formValues(body: unknown): ApplicationForm {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const communes = b.communes
  return {
    kind: str(b.kind, 20),
    name: str(b.name, 300),
    email: str(b.email, 300),
    phone: str(b.phone, 60),
    outletId: str(b.outletId, 60),
    outletName: str(b.outletName, 300),
    pressCardNumber: str(b.pressCardNumber, 60),
    pressCardExpiresOn: str(b.pressCardExpiresOn, 20),
    beats: str(b.beats, 2000),
    communes: (Array.isArray(communes) ? communes : typeof communes === 'string' ? [communes] : [])
      .filter((c): c is string => typeof c === 'string')
      .slice(0, 200),
    channels: Array.from({ length: CHANNEL_ROWS }, (_, i) => ({
      platform: str(b[`channel${i}Platform`], 20),
      url: str(b[`channel${i}Url`], 600),
      followers: str(b[`channel${i}Followers`], 20),
    })),
    acknowledged: str(b.acknowledged, 10) === 'yes',
    consent: str(b.consent, 10) === 'yes',
    answer: str(b.answer, MAX_FIELD_BYTES),
  }
}

/** True when the honeypot field carries anything. */
export function honeypotFilled(body: unknown): boolean {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[HONEYPOT_FIELD] : undefined
  return typeof v === 'string' && v.trim() !== ''
}

/** A file as received, before any check. */
interface IncomingFile {
  fileName: string
  mime: string
  data: Buffer
}

/** A proof file that passed the checks. */
export interface ProofFile extends CheckedUpload {
  type: ProofType
  data: Buffer
}

const received = new WeakMap<FastifyRequest, { files: IncomingFile[]; refusal: AppError | null }>()

/**
 * Reads a multipart body into plain string fields (repeated names become arrays) and the files,
 * bound to the request. A field over {@link MAX_FIELD_BYTES} or a file over 10 MB is refused,
 * but only after the whole body is read, so the other values reach the re-shown form; a fourth
 * file likewise. Used as a preValidation hook of the application's scope.
 */
export async function readApplicationMultipart(req: FastifyRequest): Promise<void> {
  if (!req.isMultipart()) return
  const body: Record<string, string | string[]> = {}
  // Set at once: a refusal further down still shows what was read.
  req.body = body
  const files: IncomingFile[] = []
  let refusal: AppError | null = null
  const refuse = (e: AppError) => {
    refusal ??= e
  }
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer()
        // A file input left empty still sends an empty, nameless part.
        if (!part.filename && data.byteLength === 0) continue
        if (part.file.truncated) {
          refuse(new AppError('UPLOAD_TOO_LARGE', { name: safeFileName(part.filename), maxMb: MAX_PROOF_BYTES / 1024 / 1024 }))
          continue
        }
        if (files.length >= MAX_PROOF_FILES) {
          refuse(new AppError('TOO_MANY_FILES', { max: MAX_PROOF_FILES }))
          continue
        }
        files.push({ fileName: part.filename, mime: part.mimetype, data })
      } else {
        if (part.valueTruncated) {
          refuse(new AppError('APPLICATION_FIELD_TOO_LONG', { field: part.fieldname.slice(0, 40), maxKb: MAX_FIELD_BYTES / 1024 }))
          continue
        }
        const value = typeof part.value === 'string' ? part.value : String(part.value ?? '')
        const prev = body[part.fieldname]
        body[part.fieldname] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value]
      }
    }
  } catch (e) {
    const code = (e as { code?: string }).code
    if (code === 'FST_FILES_LIMIT') throw new AppError('TOO_MANY_FILES', { max: MAX_PROOF_FILES })
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('PAYLOAD_TOO_LARGE')
    throw e
  }
  received.set(req, { files, refusal })
  if (refusal) throw refusal
}

/**
 * The proof files of a multipart request, checked by content: images (JPEG, PNG, WebP) or PDF
 * whose bytes agree with the extension and the declared type. Anything else is refused with
 * APPLICATION_PROOF_TYPE or the upload check's own error (mislabelled, empty, too large).
 */
export function proofFilesOf(req: FastifyRequest): ProofFile[] {
  return (received.get(req)?.files ?? []).map((f) => {
    const name = safeFileName(f.fileName)
    let checked: CheckedUpload
    try {
      checked = checkUpload({ filename: f.fileName, data: f.data, declaredMime: f.mime })
    } catch (e) {
      if (isAppError(e) && e.code === 'UPLOAD_TYPE_UNSUPPORTED') throw new AppError('APPLICATION_PROOF_TYPE', { name })
      throw e
    }
    if (checked.type === 'docx') throw new AppError('APPLICATION_PROOF_TYPE', { name })
    return { ...checked, type: checked.type, data: f.data }
  })
}
