import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { createHash } from 'node:crypto'
import { AuditedRefusal, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { formatTime } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import { queueMail } from '../../../platform/mail/index.ts'
import { type Actor, authorize, can } from '../../../platform/policy/index.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { findUser } from '../../accounts/users.ts'
import { caseSubject, type LoadedCase, unsafeLoadCase } from '../cases.repository.ts'
import { caseMembers, cases } from '../cases.tables.ts'

/**
 * How long a break-glass membership lasts: one working shift. Long enough to deal with the
 * emergency that needed it, short enough that access does not quietly become permanent; an
 * admin who still needs the case afterwards breaks the glass again (a new reason, a new mail)
 * or asks the lead to add them.
 */
export const BREAK_GLASS_HOURS = 8
/** The shortest reason accepted: a sentence, not "urgent". */
export const BREAK_GLASS_MIN_REASON = 20

/** Input of a break-glass access. */
export interface BreakGlassOptions {
  tx: Tx
  /** The admin breaking the glass (the policy needs the role). */
  actor: Actor & { label: string }
  /** The code of the sealed case, as typed (case and spaces do not matter). */
  code: unknown
  /** The written reason, kept in the membership, the audit row and the lead's mail. */
  reason: unknown
  /** Base URL for the link in the mail. */
  publicUrl?: string
  ip?: string
}

/**
 * An admin's emergency access to a sealed case outside their circle: they become a member
 * marked `break_glass` for `BREAK_GLASS_HOURS`, the reason is audited (`case.break_glass`)
 * and the lead officer is mailed (who, when, why, until when), all in `tx`.
 *
 * The reason is checked before the case is looked up, and a code that names no sealed case
 * answers exactly like the code of a case the admin already sees (`BREAK_GLASS_NO_CASE`):
 * the form never tells whether a hidden case exists. The admin learns it only by breaking the
 * glass, that is once the reason is recorded and the lead told.
 */
export async function breakGlass(o: BreakGlassOptions): Promise<{ caseId: string; expiresAt: Date }> {
  authorize(o.actor, 'break-glass', 'case')
  const reason = cleanLine(o.reason, 2000)
  if (reason.length < BREAK_GLASS_MIN_REASON) throw new AppError('REASON_REQUIRED', { min: BREAK_GLASS_MIN_REASON })
  const code = cleanLine(o.code, 40).toUpperCase()
  const tenantId = o.actor.tenantId
  // FOR SHARE: a clearance (which takes the row for update) cannot slip in between the check
  // and the membership; a cleared case needs no break-glass.
  const [found] = code
    ? await o.tx
        .select({ id: cases.id })
        .from(cases)
        .where(and(eq(cases.tenantId, tenantId), eq(cases.code, code), eq(cases.state, 'sealed')))
        .for('share')
    : []
  const loaded = found ? await unsafeLoadCase(o.tx, tenantId, found.id) : undefined
  if (!loaded || !can(o.actor, 'break-glass', caseSubject(loaded))) {
    // A failed attempt is audited too, so probing for codes shows. The typed code is kept only
    // as a hash: it may be a real sealed case's code, which audit readers outside it must not see.
    throw new AuditedRefusal(
      'BREAK_GLASS_NO_CASE',
      {},
      {
        tenantId,
        actor: { id: o.actor.id, label: o.actor.label },
        action: 'case.break_glass_refused',
        subjectType: 'case',
        summary: { reason, codeSha256: createHash('sha256').update(code).digest('hex').slice(0, 16) },
        ip: o.ip,
      },
    )
  }
  const c = loaded.case

  const at = now()
  const expiresAt = new Date(at.getTime() + BREAK_GLASS_HOURS * 3_600_000)
  // A lapsed break-glass row is renewed; an ordinary membership is never turned into a
  // break-glass one (the admin would already see the case, refused above).
  const [row] = await o.tx
    .insert(caseMembers)
    .values({ tenantId, caseId: c.id, userId: o.actor.id, addedBy: o.actor.id, addedAt: at, via: 'break_glass', reason, expiresAt })
    .onConflictDoUpdate({
      target: [caseMembers.caseId, caseMembers.userId],
      set: { addedBy: o.actor.id, addedAt: at, via: 'break_glass', reason, expiresAt },
      setWhere: sql`${caseMembers.via} = 'break_glass'`,
    })
    .returning({ userId: caseMembers.userId })
  if (!row) throw new AppError('BREAK_GLASS_NO_CASE')

  const recipients = await whomToTell(o.tx, tenantId, loaded, o.actor.id)
  const me = await findUser(o.tx, tenantId, o.actor.id)
  const who = me?.name ? `${me.name} (${me.email})` : o.actor.email
  // Every admin may read the mail outbox (/console/outbox), members of the case or not: the
  // mail names no code, title or id of the case; the lead finds it marked in the case list.
  const link = `${o.publicUrl ?? ''}/console/cases`
  const params = (l: 'vi' | 'en') => ({
    who,
    at: formatTime(at, l),
    until: formatTime(expiresAt, l),
    reason,
    link,
  })
  for (const to of recipients) {
    await queueMail(o.tx, {
      tenantId,
      to,
      subject: `${t('vi', 'cases.mail.breakGlass.subject', params('vi'))} / ${t('en', 'cases.mail.breakGlass.subject', params('en'))}`,
      text: [t('vi', 'cases.mail.breakGlass.body', params('vi')), '---', t('en', 'cases.mail.breakGlass.body', params('en'))].join('\n\n'),
    })
  }
  await recordAudit(o.tx, {
    tenantId,
    actor: { id: o.actor.id, label: o.actor.label },
    action: 'case.break_glass',
    subjectType: 'case',
    subjectId: c.id,
    summary: { code: c.code, reason, expiresAt: expiresAt.toISOString(), notified: recipients },
    ip: o.ip,
  })
  return { caseId: c.id, expiresAt }
}

/**
 * Who is told: the lead officer; when the case has no active lead, every active ordinary
 * member instead (someone in the circle must learn that the glass was broken).
 */
async function whomToTell(tx: Tx, tenantId: string, loaded: LoadedCase, actorId: string): Promise<string[]> {
  const lead = loaded.case.leadOfficerId ? await findUser(tx, tenantId, loaded.case.leadOfficerId) : undefined
  if (lead?.status === 'active' && lead.id !== actorId) return [lead.email]
  const others = loaded.members.filter((m) => m.via === 'added' && m.userId !== actorId)
  const out: string[] = []
  for (const m of others) if ((await findUser(tx, tenantId, m.userId))?.status === 'active') out.push(m.email)
  return out
}
