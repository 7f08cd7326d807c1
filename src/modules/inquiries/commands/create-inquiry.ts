import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { localYear } from '../../../platform/time.ts'
import { releases } from '../../releases/releases.tables.ts'
import { recordInquiryEvent } from '../inquiries.history.ts'
import { queueReceivedMail } from '../inquiries.mail.ts'
import { dueFor, isUuid, nextInquiryCode } from '../inquiries.repository.ts'
import { INQUIRY_KINDS, type InquiryChannel, type InquiryKind, type InquiryRow, inquiries } from '../inquiries.tables.ts'

/** The longest question kept (characters); a longer one is refused whole, nothing stored. */
export const MAX_QUESTION = 20_000
/** The longest topic line. */
export const MAX_TOPIC = 300

/** What the asker typed. */
export interface InquiryInput {
  kind: string
  topic: string
  question: string
  /** A release the asker names (checked against `allowedReleaseIds` for partners). */
  releaseId?: string | null
  /** The asker's own reference to a case (free text). */
  caseRef?: string | null
  /** When the asker needs the answer (their deadline, not the legal one). */
  neededBy?: Date | null
  /** The asker agrees to be named if the answer becomes a public Q&A. */
  askerNamePublic?: boolean
}

/** Who asked. */
export interface Asker {
  partnerId: string | null
  userId: string | null
  name: string
  email: string | null
  /** Phone or other contact (required for someone outside the registry without e-mail). */
  contact: string | null
  outlet: string | null
}

/** Checks and cleans what the asker typed; throws a bilingual 4xx before anything is written. */
export function cleanInquiryInput(input: InquiryInput): {
  kind: InquiryKind
  topic: string
  question: string
  releaseId: string | null
  caseRef: string | null
  neededBy: Date | null
  askerNamePublic: boolean
} {
  if (!(INQUIRY_KINDS as readonly string[]).includes(input.kind)) throw new AppError('INQUIRY_INVALID', { field: 'kind' })
  const question = (input.question ?? '').normalize('NFC').trim()
  // Measured before anything else, so a 1 MB paste gets the length message, not another one.
  if (question.length > MAX_QUESTION) throw new AppError('INQUIRY_TOO_LONG', { max: MAX_QUESTION, length: question.length })
  if (!question) throw new AppError('INQUIRY_INVALID', { field: 'question' })
  const topic = (input.topic ?? '').normalize('NFC').replace(/\s+/g, ' ').trim()
  if (!topic || topic.length > MAX_TOPIC) throw new AppError('INQUIRY_INVALID', { field: 'topic' })
  const caseRef = input.caseRef?.normalize('NFC').replace(/\s+/g, ' ').trim() || null
  if (caseRef && caseRef.length > MAX_TOPIC) throw new AppError('INQUIRY_INVALID', { field: 'case' })
  const releaseId = input.releaseId?.trim() || null
  if (releaseId && !isUuid(releaseId)) throw new AppError('INQUIRY_INVALID', { field: 'release' })
  const neededBy = input.neededBy ?? null
  if (neededBy && Number.isNaN(neededBy.getTime())) throw new AppError('INQUIRY_INVALID', { field: 'neededBy' })
  return { kind: input.kind as InquiryKind, topic, question, releaseId, caseRef, neededBy, askerNamePublic: !!input.askerNamePublic }
}

/**
 * Receives an inquiry: checks the input (question ≤ 20,000 characters, else 413), numbers it
 * (HD-yyyy-nnnn), fixes its legal due time and escalation time from the tenant's clocks and
 * holiday calendar at the app clock's now, writes the history, the audit row and the receipt
 * mail to the asker, in `tx`. The caller decided that the asker may ask and, for a partner,
 * passes the releases they may name.
 */
export async function createInquiry(o: {
  tx: Tx
  tenantId: string
  /** The site's public URL, for the link in the receipt mail. */
  publicUrl: string
  asker: Asker
  channel: InquiryChannel
  input: InquiryInput
  /** Releases the asker may name; null: any release of the tenant (staff logging). */
  allowedReleaseIds: ReadonlySet<string> | null
  /** A case linked by staff at logging (already checked visible to them). */
  caseId?: string | null
  actor: AuditActor
  ip?: string
  /**
   * When it was received, if not now: only for demo data and records taken over from paper
   * (the clock is counted from it all the same). Never from a request.
   */
  receivedAt?: Date
}): Promise<InquiryRow> {
  const input = cleanInquiryInput(o.input)
  const name = o.asker.name.normalize('NFC').trim()
  if (!name || name.length > 200) throw new AppError('INQUIRY_INVALID', { field: 'name' })
  if (!o.asker.partnerId && !o.asker.email && !o.asker.contact) throw new AppError('INQUIRY_INVALID', { field: 'contact' })
  if (input.releaseId) {
    if (o.allowedReleaseIds && !o.allowedReleaseIds.has(input.releaseId)) throw new AppError('INQUIRY_INVALID', { field: 'release' })
    const [r] = await o.tx
      .select({ id: releases.id })
      .from(releases)
      .where(and(eq(releases.tenantId, o.tenantId), eq(releases.id, input.releaseId)))
    if (!r) throw new AppError('INQUIRY_INVALID', { field: 'release' })
  }
  const receivedAt = o.receivedAt ?? now()
  const due = await dueFor(o.tx, o.tenantId, input.kind, receivedAt)
  const code = await nextInquiryCode(o.tx, o.tenantId, Number(localYear(receivedAt)))
  const [row] = await o.tx
    .insert(inquiries)
    .values({
      tenantId: o.tenantId,
      code,
      partnerId: o.asker.partnerId,
      askerUserId: o.asker.userId,
      askerName: name,
      askerEmail: o.asker.email,
      askerContact: o.asker.contact,
      askerOutlet: o.asker.outlet,
      askerNamePublic: input.askerNamePublic,
      channel: o.channel,
      kind: input.kind,
      topic: input.topic,
      question: input.question,
      releaseId: input.releaseId,
      caseRef: input.caseRef,
      caseId: o.caseId ?? null,
      neededBy: input.neededBy,
      receivedAt,
      dueAt: due.dueAt,
      escalateAt: due.escalateAt,
      clock: due.clock,
      createdBy: o.actor.id,
    })
    .returning()
  const inquiry = row as InquiryRow
  await recordInquiryEvent(o.tx, {
    tenantId: o.tenantId,
    inquiryId: inquiry.id,
    type: 'received',
    actor: o.actor,
    detail: { channel: o.channel, dueAt: due.dueAt.toISOString() },
    at: receivedAt,
  })
  // The audit row carries the facts of receipt, not the question's words (personal data).
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'inquiry.received',
    subjectType: 'inquiry',
    subjectId: inquiry.id,
    summary: {
      code,
      kind: input.kind,
      channel: o.channel,
      partnerId: o.asker.partnerId,
      dueAt: due.dueAt.toISOString(),
      clock: due.clock,
      caseLinked: !!o.caseId,
    },
    ip: o.ip,
  })
  if (o.asker.email) {
    const link = o.asker.partnerId ? `${o.publicUrl}/doi-tac/cau-hoi/${inquiry.id}` : o.publicUrl
    await queueReceivedMail(o.tx, { tenantId: o.tenantId, to: o.asker.email, code, topic: input.topic, dueAt: due.dueAt, link })
  }
  return inquiry
}
