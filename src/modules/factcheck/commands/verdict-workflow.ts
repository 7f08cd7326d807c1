import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, AuditedRefusal, recordAudit } from '../../../platform/audit/index.ts'
import { emitFactcheckEvent } from '../factcheck.events.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { t } from '../../../platform/i18n/index.ts'
import { queueMail } from '../../../platform/mail/index.ts'
import { notifyPublicChange } from '../../../platform/notify.ts'
import { fold } from '../../../text/normalize.ts'
import {
  claimNotes,
  claimSubmissions,
  claims,
  VERDICT_LABELS,
  type VerdictContribution,
  type VerdictLabel,
  verdicts,
} from '../factcheck.tables.ts'
import { type LoadedClaim, workingVerdict } from '../factcheck.repository.ts'
import { LABELS } from '../labels.ts'

/** The content of a verdict. */
export interface VerdictInput {
  label: string
  headline: string
  explanationMd: string
  evidenceIds?: string[]
  /** For a correction of a published verdict: what changed (public). */
  correctionNote?: string | null
}

function clean(c: LoadedClaim, input: VerdictInput) {
  if (!(VERDICT_LABELS as readonly string[]).includes(input.label)) throw new AppError('VALIDATION', { detail: 'label' })
  const headline = input.headline.trim().normalize('NFC').slice(0, 300)
  const explanationMd = input.explanationMd.trim().normalize('NFC').slice(0, 100_000)
  if (!headline || explanationMd.length < 20) throw new AppError('VALIDATION', { detail: 'headline, explanation' })
  const known = new Set(c.evidence.map((e) => e.id))
  const evidenceIds = [...new Set(input.evidenceIds ?? [])].filter((id) => known.has(id))
  return {
    label: input.label as VerdictLabel,
    headline,
    explanationMd,
    evidenceIds,
    correctionNote: input.correctionNote?.trim().normalize('NFC').slice(0, 1000) || null,
  }
}

/** The contribution of `userId` to a verdict version at `at`, as `verdicts.contributors` keeps it. */
function contribution(userId: string, what: VerdictContribution['what'], at: Date): VerdictContribution {
  return { userId, what, at: at.toISOString() }
}

/**
 * Writes the working verdict draft: updates the current draft, or starts a new version (a
 * correction when the claim already has a published verdict). The writer becomes a
 * contributor of the version (`created` or `edited`): whoever changed its text can no longer
 * approve it (four-eyes), even after someone else submits it again.
 */
export async function draftVerdict(o: {
  tx: Tx
  claim: LoadedClaim
  actor: AuditActor & { id: string }
  input: VerdictInput
  ip?: string
}): Promise<{ verdictId: string; version: number }> {
  const c = o.claim.claim
  if (c.status === 'merged' || c.status === 'dismissed') throw new AppError('ILLEGAL_TRANSITION', { action: 'draft', status: c.status })
  const values = clean(o.claim, o.input)
  const at = now()
  const current = workingVerdict(o.claim)
  let verdictId: string
  let version: number
  if (current && (current.status === 'draft' || current.status === 'submitted')) {
    // Appended in the one UPDATE, so two saves racing cannot drop each other's entry.
    const contributors = sql`${verdicts.contributors} || ${JSON.stringify([contribution(o.actor.id, 'edited', at)])}::jsonb`
    await o.tx
      .update(verdicts)
      .set({ ...values, contributors, status: 'draft', submittedBy: null, submittedAt: null, updatedAt: at })
      .where(eq(verdicts.id, current.id))
    verdictId = current.id
    version = current.version
  } else {
    if (current?.status === 'published' && !values.correctionNote) throw new AppError('REASON_REQUIRED', { min: 1 })
    version = (current?.version ?? 0) + 1
    const [row] = await o.tx
      .insert(verdicts)
      .values({
        tenantId: c.tenantId,
        claimId: c.id,
        version,
        status: 'draft',
        ...values,
        contributors: [contribution(o.actor.id, 'created', at)],
        createdBy: o.actor.id,
        createdAt: at,
        updatedAt: at,
      })
      .returning({ id: verdicts.id })
    verdictId = row?.id as string
  }
  if (c.status !== 'published') await o.tx.update(claims).set({ status: 'verdict_draft', updatedAt: at }).where(eq(claims.id, c.id))
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: 'verdict.drafted',
    subjectType: 'claim',
    subjectId: c.id,
    summary: { version, label: values.label },
    ip: o.ip,
  })
  return { verdictId, version }
}

/** Sends the working verdict for approval. */
export async function submitVerdict(o: { tx: Tx; claim: LoadedClaim; actor: AuditActor & { id: string }; ip?: string }): Promise<void> {
  const v = workingVerdict(o.claim)
  if (v?.status !== 'draft') throw new AppError('ILLEGAL_TRANSITION', { action: 'submit', status: v?.status ?? 'none' })
  const at = now()
  await o.tx
    .update(verdicts)
    .set({ status: 'submitted', submittedBy: o.actor.id, submittedAt: at, updatedAt: at })
    .where(eq(verdicts.id, v.id))
  if (o.claim.claim.status !== 'published')
    await o.tx.update(claims).set({ status: 'verdict_submitted', updatedAt: at }).where(eq(claims.id, o.claim.claim.id))
  await recordAudit(o.tx, {
    tenantId: o.claim.claim.tenantId,
    actor: o.actor,
    action: 'verdict.submitted',
    subjectType: 'claim',
    subjectId: o.claim.claim.id,
    summary: { version: v.version },
    ip: o.ip,
  })
}

/** Sends a submitted verdict back to draft. */
export async function rejectVerdict(o: {
  tx: Tx
  claim: LoadedClaim
  actor: AuditActor & { id: string }
  comment: string
  ip?: string
}): Promise<void> {
  const v = workingVerdict(o.claim)
  if (v?.status !== 'submitted') throw new AppError('ILLEGAL_TRANSITION', { action: 'reject', status: v?.status ?? 'none' })
  const comment = o.comment.trim().normalize('NFC')
  if (comment.length < 5) throw new AppError('REASON_REQUIRED', { min: 5 })
  const at = now()
  await o.tx.update(verdicts).set({ status: 'draft', updatedAt: at }).where(eq(verdicts.id, v.id))
  if (o.claim.claim.status !== 'published')
    await o.tx.update(claims).set({ status: 'verdict_draft' }).where(eq(claims.id, o.claim.claim.id))
  // The drafter reads why on the claim page (the notes), not only in the audit log.
  await o.tx.insert(claimNotes).values({
    tenantId: o.claim.claim.tenantId,
    claimId: o.claim.claim.id,
    authorId: o.actor.id,
    body: `Kết luận (bản ${v.version}) bị trả lại / verdict returned: ${comment}`,
    createdAt: at,
  })
  await recordAudit(o.tx, {
    tenantId: o.claim.claim.tenantId,
    actor: o.actor,
    action: 'verdict.rejected',
    subjectType: 'claim',
    subjectId: o.claim.claim.id,
    summary: { version: v.version, comment },
    ip: o.ip,
  })
}

const RESERVED_SLUGS = new Set(['ket-luan', 'thang-danh-gia', 'phieu', 'goi-y', 'rss.xml', 'feed.json', 'bo-cong-cu'])

/** A slug for the verdict page from the claim's statement (diacritics folded), unique per tenant. */
async function verdictSlug(tx: Tx, tenantId: string, statement: string, claimId: string): Promise<string> {
  const words = fold(statement)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
  // Whole words up to 70 characters, never a word cut in half.
  let base = ''
  for (const w of words) {
    if (!w) continue
    const next = base ? `${base}-${w}` : w
    if (next.length > 70) break
    base = next
  }
  base ||= 'kiem-chung'
  for (let n = 1; n < 1000; n++) {
    const slug = n === 1 ? base : `${base}-${n}`
    // The desk's own pages live beside verdict pages: never shadow them.
    if (RESERVED_SLUGS.has(slug)) continue
    const [taken] = await tx
      .select({ id: claims.id })
      .from(claims)
      .where(and(eq(claims.tenantId, tenantId), eq(claims.slug, slug)))
    if (!taken || taken.id === claimId) return slug
  }
  throw new Error('no free slug')
}

/**
 * Approves and publishes the submitted verdict. Four-eyes: never its submitter, nor anyone who
 * wrote or changed its text (its contributors, the author included); refusals are audited. Every
 * submitter of the claim (merged duplicates included — their submissions now belong to it)
 * who left a contact is told by e-mail; a corrected verdict is re-sent to everyone who got
 * the first. Ticket pages show it at once.
 */
export async function approveVerdict(o: {
  tx: Tx
  claim: LoadedClaim
  actor: AuditActor & { id: string }
  publicUrl: string
  tenantName: string
  ip?: string
}): Promise<{ slug: string; notified: number }> {
  const c = o.claim.claim
  const v = workingVerdict(o.claim)
  if (v?.status !== 'submitted') throw new AppError('ILLEGAL_TRANSITION', { action: 'approve', status: v?.status ?? 'none' })
  if (v.submittedBy === o.actor.id) {
    throw new AuditedRefusal(
      'FOUR_EYES',
      {},
      {
        tenantId: c.tenantId,
        actor: o.actor,
        action: 'verdict.refused',
        subjectType: 'claim',
        subjectId: c.id,
        summary: { version: v.version, reason: 'four_eyes' },
        ip: o.ip,
      },
    )
  }
  // Whoever submitted it: an approver who wrote or rewrote the text lets someone else submit it.
  // `createdBy` too, for a row the list might lack (the migration backfilled it from there).
  const mine = (v.contributors ?? []).filter((x) => x.userId === o.actor.id)
  if (mine.length > 0 || v.createdBy === o.actor.id) {
    const contributed = [...new Set([...(v.createdBy === o.actor.id ? ['created'] : []), ...mine.map((x) => x.what)])]
    throw new AuditedRefusal(
      'FOUR_EYES_CONTRIBUTOR',
      {},
      {
        tenantId: c.tenantId,
        actor: o.actor,
        action: 'verdict.refused',
        subjectType: 'claim',
        subjectId: c.id,
        summary: { version: v.version, reason: 'four_eyes_contributor', contributed },
        ip: o.ip,
      },
    )
  }
  const at = now()
  const correction = !!c.publishedVerdictId
  if (c.publishedVerdictId)
    await o.tx.update(verdicts).set({ status: 'superseded', updatedAt: at }).where(eq(verdicts.id, c.publishedVerdictId))
  await o.tx
    .update(verdicts)
    .set({ status: 'published', approvedBy: o.actor.id, publishedAt: at, updatedAt: at })
    .where(eq(verdicts.id, v.id))
  const slug = c.slug ?? (await verdictSlug(o.tx, c.tenantId, c.statement, c.id))
  await o.tx.update(claims).set({ status: 'published', slug, publishedVerdictId: v.id, updatedAt: at }).where(eq(claims.id, c.id))
  // Everyone who asked: this claim's submissions (merged ones moved here) with a contact.
  const recipients = await o.tx
    .select({
      id: claimSubmissions.id,
      email: claimSubmissions.contactEmail,
      ticket: claimSubmissions.ticket,
      notified: claimSubmissions.notifiedVerdictId,
    })
    .from(claimSubmissions)
    .where(and(eq(claimSubmissions.claimId, c.id), isNotNull(claimSubmissions.contactEmail)))
  const label = LABELS[v.label]
  const link = `${o.publicUrl}/kiem-chung/${slug}`
  let notified = 0
  for (const r of recipients) {
    const key = correction && r.notified ? 'mail.verdict.corrected' : 'mail.verdict.published'
    const params = { unit: o.tenantName, ticket: r.ticket, label: label.vi, headline: v.headline, link, note: v.correctionNote ?? '' }
    const paramsEn = { ...params, label: label.en }
    await queueMail(o.tx, {
      tenantId: c.tenantId,
      to: r.email as string,
      subject: `${t('vi', `${key}.subject`, params)} / ${t('en', `${key}.subject`, paramsEn)}`,
      text: `${t('vi', `${key}.body`, params)}\n\n---\n\n${t('en', `${key}.body`, paramsEn)}`,
    })
    notified++
  }
  if (recipients.length) {
    await o.tx
      .update(claimSubmissions)
      .set({ notifiedVerdictId: v.id })
      .where(
        inArray(
          claimSubmissions.id,
          recipients.map((r) => r.id),
        ),
      )
  }
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: correction ? 'verdict.corrected' : 'verdict.published',
    subjectType: 'claim',
    subjectId: c.id,
    summary: { version: v.version, label: v.label, slug, notified, submittedBy: v.submittedBy },
    ip: o.ip,
  })
  await emitFactcheckEvent(o.tx, {
    tenantId: c.tenantId,
    actorId: o.actor.id,
    type: 'verdict.published',
    payload: { claimId: c.id, claimCode: c.code, verdictId: v.id, version: v.version, label: v.label, slug, correction },
  })
  await notifyPublicChange(o.tx, c.tenantId)
  return { slug, notified }
}
