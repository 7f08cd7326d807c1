import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { pressOutlets, partners } from '../../../partners/partners.tables.ts'
import { createRelease } from '../../../releases/commands/create-release.ts'
import { spokespersons } from '../../../spokespersons/spokespersons.tables.ts'
import { lockEvent } from '../../commands/load-event.ts'
import { eventQuestions, eventSpeakers, events } from '../../events.tables.ts'
import { type EventRow, eventWhen } from '../../invitations/invitations.mail.ts'

/** One answered question as the summary prints it. */
export interface AnsweredQuestion {
  body: string
  answerNote: string | null
  /** The asker's outlet (never the person's name); null for a partner without one. */
  outlet: string | null
  partnerKind: string
  /** Questions merged into this one. */
  similar: number
}

/** Who asked, as the public summary names them: the outlet, or the kind of partner. */
function askerLabel(q: AnsweredQuestion): string {
  if (q.outlet) return q.outlet
  return q.partnerKind === 'journalist' ? 'Phóng viên' : 'Đối tác'
}

/** A user's text as a Markdown quote (each line quoted; nothing of it read as a heading or list). */
function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line.replace(/^([#>*+-]|\d+\.)/, '\\$1')}`)
    .join('\n')
}

/** The summary's Markdown body: when and where, who spoke, then each answered question with its answer. */
export function qaMarkdown(
  event: Pick<EventRow, 'startsAt' | 'endsAt' | 'place' | 'title'>,
  speakers: readonly { name: string; title: string }[],
  answered: readonly AnsweredQuestion[],
): string {
  const out: string[] = []
  out.push(`**Thời gian:** ${eventWhen(event, 'vi')}`, '')
  if (event.place) out.push(`**Địa điểm:** ${event.place}`, '')
  if (speakers.length) out.push(`**Người phát ngôn:** ${speakers.map((s) => (s.title ? `${s.name} (${s.title})` : s.name)).join('; ')}`, '')
  answered.forEach((q, i) => {
    const more = q.similar > 0 ? ` (cùng ${q.similar} câu hỏi tương tự)` : ''
    out.push(`## Câu hỏi ${i + 1} – ${askerLabel(q)}${more}`, '', quote(q.body), '')
    out.push(q.answerNote ? `**Trả lời:** ${q.answerNote}` : '**Trả lời:** đã được trả lời trực tiếp tại buổi họp.', '')
  })
  return out.join('\n').trim()
}

/** Input of the Q&A summary. */
export interface PublishQaSummaryOptions {
  tx: Tx
  tenantId: string
  eventId: string
  actor: AuditActor & { id: string }
  ip?: string
}

/**
 * Makes the event's Q&A summary as a DRAFT release (the releases module's own command: it then
 * goes through submission and the four-eyes approval like any other) and links it to the event.
 * Refused when nothing was answered, and when a summary exists already (it is edited there,
 * never replaced silently). The first speaker of the event is the release's spokesperson.
 */
export async function publishQaSummary(o: PublishQaSummaryOptions): Promise<{ releaseId: string }> {
  const event = await lockEvent(o.tx, o.tenantId, o.eventId)
  if (event.qaReleaseId) throw new AppError('EVENT_QA_EXISTS')
  const rows = await o.tx
    .select({
      id: eventQuestions.id,
      body: eventQuestions.body,
      answerNote: eventQuestions.answerNote,
      outlet: pressOutlets.name,
      partnerKind: partners.kind,
    })
    .from(eventQuestions)
    .innerJoin(partners, eq(partners.id, eventQuestions.partnerId))
    .leftJoin(pressOutlets, eq(pressOutlets.id, partners.outletId))
    .where(and(eq(eventQuestions.eventId, event.id), eq(eventQuestions.state, 'answered')))
    .orderBy(asc(eventQuestions.answeredAt), asc(eventQuestions.createdAt))
  if (rows.length === 0) throw new AppError('EVENT_QA_NOTHING_ANSWERED')
  const merged = await o.tx
    .select({ into: eventQuestions.mergedInto })
    .from(eventQuestions)
    .where(
      and(
        eq(eventQuestions.eventId, event.id),
        inArray(
          eventQuestions.mergedInto,
          rows.map((r) => r.id),
        ),
      ),
    )
  const similar = new Map<string, number>()
  for (const m of merged) if (m.into) similar.set(m.into, (similar.get(m.into) ?? 0) + 1)
  const speakers = await o.tx
    .select({ id: spokespersons.id, name: spokespersons.name, title: spokespersons.title, active: spokespersons.active })
    .from(eventSpeakers)
    .innerJoin(spokespersons, eq(spokespersons.id, eventSpeakers.spokespersonId))
    .where(eq(eventSpeakers.eventId, event.id))
    .orderBy(asc(eventSpeakers.position))
  const answered = rows.map((r) => ({ ...r, similar: similar.get(r.id) ?? 0 }))
  const title = `Hỏi – đáp tại ${event.title}`
  const { releaseId } = await createRelease({
    tx: o.tx,
    tenantId: o.tenantId,
    actor: o.actor,
    kind: 'press_release',
    spokespersonId: speakers.find((s) => s.active)?.id ?? null,
    content: {
      title,
      summary: `Các câu hỏi của báo chí đã được trả lời tại ${event.title}.`.slice(0, 300),
      bodyMd: qaMarkdown(event, speakers, answered),
      tags: ['hỏi đáp', 'họp báo'],
    },
    ip: o.ip,
  })
  await o.tx.update(events).set({ qaReleaseId: releaseId }).where(eq(events.id, event.id))
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.qa_published',
    subjectType: 'event',
    subjectId: event.id,
    summary: { releaseId, answered: answered.length, merged: merged.length },
    ip: o.ip,
  })
  return { releaseId }
}
