import { createHash } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { checkUpload, storeUpload } from '../../../platform/uploads/index.ts'
import { normalizeText } from '../../../text/normalize.ts'
import { releaseToText } from '../../releases/release-text.ts'
import { releaseEditions, releases } from '../../releases/releases.tables.ts'
import { claimEvidence, claimNotes, claimTasks } from '../factcheck.tables.ts'
import type { LoadedClaim } from '../factcheck.repository.ts'
import { cleanLinks } from './submit-claim.ts'

/** What is attached. */
export type EvidenceInput =
  | { kind: 'page'; url: string; title: string; text: string; html?: string }
  | { kind: 'link'; url: string; title: string }
  | { kind: 'file'; title: string; fileName: string; data: Buffer; dataDir: string }
  | { kind: 'release'; releaseId: string }

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex')

/**
 * Attaches a piece of evidence with its SHA-256 and capture time. Captured pages keep their
 * text and HTML; files are checked by content and stored content-addressed; a release link
 * hashes the release's published text. Evidence is immutable once attached (a trigger
 * refuses updates and deletes).
 */
export async function addEvidence(o: {
  tx: Tx
  claim: LoadedClaim
  actor: AuditActor & { id: string }
  input: EvidenceInput
  ip?: string
}): Promise<{ id: string; sha256: string }> {
  const c = o.claim.claim
  const at = now()
  const base = { tenantId: c.tenantId, claimId: c.id, capturedAt: at, addedBy: o.actor.id }
  let row: typeof claimEvidence.$inferInsert
  const i = o.input
  if (i.kind === 'page' || i.kind === 'link') {
    // Evidence keeps the exact address captured (only the scheme is checked), unlike
    // submissions whose links are canonicalised for matching.
    cleanLinks([i.url])
    const url = new URL(i.url.trim()).toString()
    const title = normalizeText(i.title).slice(0, 300) || (url as string)
    if (i.kind === 'page') {
      const text = i.text.normalize('NFC').slice(0, 2_000_000)
      const html = i.html?.slice(0, 5_000_000) ?? null
      row = { ...base, kind: 'page', url, title, contentText: text, contentHtml: html, sha256: sha(`${url}\n${text}\n${html ?? ''}`) }
    } else {
      row = { ...base, kind: 'link', url, title, sha256: sha(url as string) }
    }
  } else if (i.kind === 'file') {
    const checked = checkUpload({ filename: i.fileName, data: i.data })
    const stored = await storeUpload({ dataDir: i.dataDir, tenantId: c.tenantId, data: i.data, ext: checked.ext })
    row = {
      ...base,
      kind: 'file',
      title: normalizeText(i.title).slice(0, 300) || checked.fileName,
      fileType: checked.type,
      storagePath: stored.path,
      sha256: stored.sha256,
    }
  } else {
    const [r] = await o.tx
      .select({
        id: releases.id,
        slug: releases.slug,
        title: releaseEditions.title,
        summary: releaseEditions.summary,
        bodyMd: releaseEditions.bodyMd,
      })
      .from(releases)
      .innerJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
      .where(and(eq(releases.id, i.releaseId), eq(releases.tenantId, c.tenantId), eq(releases.status, 'published')))
    if (!r) throw new AppError('NOT_FOUND')
    row = {
      ...base,
      kind: 'release',
      title: r.title,
      url: `/tin/${r.slug}`,
      releaseId: r.id,
      contentText: releaseToText(r),
      sha256: sha(releaseToText(r)),
    }
  }
  const [created] = await o.tx.insert(claimEvidence).values(row).returning({ id: claimEvidence.id, sha256: claimEvidence.sha256 })
  if (!created) throw new Error('evidence insert returned nothing')
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: 'claim.evidence_added',
    subjectType: 'claim',
    subjectId: c.id,
    summary: { evidenceId: created.id, kind: row.kind, sha256: created.sha256 },
    ip: o.ip,
  })
  return created
}

/** Adds an investigation note. */
export async function addNote(o: {
  tx: Tx
  claim: LoadedClaim
  actor: AuditActor & { id: string }
  body: string
  ip?: string
}): Promise<void> {
  const body = o.body.trim().normalize('NFC').slice(0, 10_000)
  if (!body) throw new AppError('VALIDATION', { detail: 'body' })
  await o.tx
    .insert(claimNotes)
    .values({ tenantId: o.claim.claim.tenantId, claimId: o.claim.claim.id, authorId: o.actor.id, body, createdAt: now() })
  await recordAudit(o.tx, {
    tenantId: o.claim.claim.tenantId,
    actor: o.actor,
    action: 'claim.note_added',
    subjectType: 'claim',
    subjectId: o.claim.claim.id,
    ip: o.ip,
  })
}

/** Adds a task, or marks one done. */
export async function saveTask(o: {
  tx: Tx
  claim: LoadedClaim
  actor: AuditActor & { id: string }
  title?: string
  assigneeId?: string | null
  doneTaskId?: string
  ip?: string
}): Promise<void> {
  const c = o.claim.claim
  if (o.doneTaskId) {
    const rows = await o.tx
      .update(claimTasks)
      .set({ doneAt: now() })
      .where(and(eq(claimTasks.id, o.doneTaskId), eq(claimTasks.claimId, c.id)))
      .returning({ id: claimTasks.id })
    if (rows.length === 0) throw new AppError('NOT_FOUND')
    await recordAudit(o.tx, {
      tenantId: c.tenantId,
      actor: o.actor,
      action: 'claim.task_done',
      subjectType: 'claim',
      subjectId: c.id,
      summary: { taskId: o.doneTaskId },
      ip: o.ip,
    })
    return
  }
  const title = (o.title ?? '').trim().normalize('NFC').slice(0, 300)
  if (!title) throw new AppError('VALIDATION', { detail: 'title' })
  await o.tx
    .insert(claimTasks)
    .values({ tenantId: c.tenantId, claimId: c.id, title, assigneeId: o.assigneeId ?? null, createdBy: o.actor.id, createdAt: now() })
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: 'claim.task_added',
    subjectType: 'claim',
    subjectId: c.id,
    summary: { title },
    ip: o.ip,
  })
}
