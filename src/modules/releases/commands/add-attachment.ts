import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { checkUpload, storeUpload } from '../../../platform/uploads/index.ts'
import { normalizeText } from '../../../text/normalize.ts'
import type { LoadedRelease } from '../releases.repository.ts'
import { releaseAttachments } from '../releases.tables.ts'
import { illegal } from '../releases.workflow.ts'

/** Input of an upload to a release. */
export interface AddAttachmentOptions {
  tx: Tx
  /** The release, loaded (for update) in `tx`; the caller has authorised the upload. */
  release: LoadedRelease
  actor: AuditActor & { id: string }
  /** `DATA_DIR`: files are stored content-addressed under `<dataDir>/uploads/<tenant>/`. */
  dataDir: string
  /** The name the client sent (untrusted: made safe, and its extension must match the content). */
  filename: string
  /** The bytes received. */
  data: Uint8Array
  /** The Content-Type the client declared for the part, if any. */
  declaredMime?: string
  /** The alt text typed with the upload (untrusted: checked by {@link cleanAltText}); empty or absent for none. */
  alt?: string
  ip?: string
}

/** An attachment as the console and the Markdown snippet need it. */
export interface AddedAttachment {
  id: string
  fileName: string
  fileType: 'pdf' | 'jpeg' | 'png' | 'webp' | 'docx'
  mime: string
  kind: 'image' | 'document'
  sizeBytes: number
  /** The public URL, served only while the release is publicly visible. */
  publicUrl: string
  /** The alt text as stored (NFC, trimmed); empty when none was given. */
  alt: string
}

/** Longest alt text kept, in UTF-16 code units of the NFC text (Vietnamese letters are one each). */
export const MAX_ALT_CHARS = 200

/** C0 and C1 control characters (tab and line breaks included): never part of an alt text. */
const CONTROL_RE = /\p{Cc}/u

/**
 * The alt text of an upload as it is stored: NFC (legacy encodings repaired), zero-width
 * characters dropped, spaces collapsed, trimmed. Refuses control characters (checked before
 * spaces are collapsed, so a pasted tab or line break is reported, not silently joined) and
 * more than {@link MAX_ALT_CHARS} characters, with a message saying what to do.
 */
export function cleanAltText(value: string | undefined): string {
  const raw = value ?? ''
  if (CONTROL_RE.test(raw)) throw new AppError('ALT_CONTROL_CHARS')
  const alt = normalizeText(raw)
  if (alt.length > MAX_ALT_CHARS) throw new AppError('ALT_TOO_LONG', { max: MAX_ALT_CHARS, length: alt.length })
  return alt
}

/** What {@link attachmentMarkdown} needs of an attachment. */
export interface MarkdownAttachment {
  id: string
  fileName: string
  fileType: AddedAttachment['fileType']
  /** Stored alt text; the file name stands in when it is empty. */
  alt: string
}

/**
 * The Markdown to paste into a body: `![alt](url)` for an image, `[alt](url)` for a document.
 * Square brackets in the text become round ones and a backslash a slash, so the snippet stays
 * one well-formed image or link. Not escaped: markdown-it drops escaped characters from an
 * image's alt attribute, and /xac-minh strips images with a pattern that stops at the first `]`.
 */
export function attachmentMarkdown(a: MarkdownAttachment): string {
  const label = (a.alt || a.fileName).replace(/\[/g, '(').replace(/\]/g, ')').replace(/\\/g, '/')
  const url = attachmentPublicUrl(a.id, a.fileName)
  return a.fileType === 'pdf' || a.fileType === 'docx' ? `[${label}](${url})` : `![${label}](${url})`
}

/**
 * The public URL of an attachment: `/tep/<id>/<percent-encoded safe name>`. Parentheses are
 * encoded too (encodeURIComponent keeps them), so that a name like `ảnh (1.png` cannot end a
 * Markdown link early.
 */
export function attachmentPublicUrl(id: string, fileName: string): string {
  return `/tep/${id}/${encodeURIComponent(fileName).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))}`
}

/**
 * Attaches an image or document to a release. Only while the working edition is a draft (an
 * approved edition is immutable, so its files are too). The type is decided by the content
 * (a `.pdf` that is a PNG is refused with 415); the bytes are stored before the row is inserted,
 * so a row never points to a missing file (a rolled-back insert leaves only an unreferenced,
 * content-addressed file). The alt text is checked before anything is stored and kept with the
 * row, so later snippets carry it too. Audited as `release.attachment_added`.
 */
export async function addAttachment(o: AddAttachmentOptions): Promise<AddedAttachment> {
  const { release, working } = o.release
  if (working.status !== 'draft') illegal('upload', working.status)
  const alt = cleanAltText(o.alt)
  const checked = checkUpload({ filename: o.filename, data: o.data, declaredMime: o.declaredMime })
  const stored = await storeUpload({ dataDir: o.dataDir, tenantId: release.tenantId, data: o.data, ext: checked.ext })
  const [row] = await o.tx
    .insert(releaseAttachments)
    .values({
      tenantId: release.tenantId,
      releaseId: release.id,
      fileName: checked.fileName,
      fileType: checked.type,
      sizeBytes: stored.size,
      sha256: stored.sha256,
      storagePath: stored.path,
      alt,
      createdBy: o.actor.id,
      createdAt: now(),
    })
    .returning({ id: releaseAttachments.id })
  if (!row) throw new Error('attachment insert returned nothing')
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: 'release.attachment_added',
    subjectType: 'release',
    subjectId: release.id,
    summary: {
      attachmentId: row.id,
      fileName: checked.fileName,
      type: checked.type,
      size: stored.size,
      sha256: stored.sha256,
      edition: working.number,
    },
    ip: o.ip,
  })
  const kind = checked.type === 'pdf' || checked.type === 'docx' ? 'document' : 'image'
  return {
    id: row.id,
    fileName: checked.fileName,
    fileType: checked.type,
    mime: checked.mime,
    kind,
    sizeBytes: stored.size,
    publicUrl: attachmentPublicUrl(row.id, checked.fileName),
    alt,
  }
}
