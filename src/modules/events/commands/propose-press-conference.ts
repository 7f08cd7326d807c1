/**
 * Clearing a sealed case proposes a press conference (issue 16 item 1): a DRAFT ad-hoc press
 * conference carrying the facts the clearance disclosed (its scope) and the case's spokesperson
 * (the register entry delegated for that case, when one is still valid). Nothing is announced:
 * staff review, set the time and place, then announce.
 */
import { randomUUID } from 'node:crypto'
import { and, asc, eq, gt } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { processConfig } from '../../../config.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { localDaysAgo } from '../../../platform/demo-time.ts'
import type { DomainEvent, EventSubscriber } from '../../../platform/domain-events/index.ts'
import { spokespersonDelegations, spokespersons } from '../../spokespersons/spokespersons.tables.ts'
import { events } from '../events.tables.ts'
import { replaceEventLinks } from './event-links.ts'

/** The clearance as the `case.cleared` event discloses it. */
export interface ClearedCase {
  caseId: string
  title: string
  scope: string
}

/** Writes the proposed draft (and its audit row) in `tx`; returns its id. */
export async function proposePressConference(tx: Tx, tenantId: string, cleared: ClearedCase): Promise<{ id: string }> {
  const at = now()
  // The day after tomorrow at 09:00 local time: a placeholder staff will change.
  const startsAt = localDaysAgo(-2, 9, 0, at)
  const [speaker] = await tx
    .select({ id: spokespersons.id })
    .from(spokespersonDelegations)
    .innerJoin(spokespersons, eq(spokespersons.id, spokespersonDelegations.spokespersonId))
    .where(
      and(
        eq(spokespersonDelegations.tenantId, tenantId),
        eq(spokespersonDelegations.caseId, cleared.caseId),
        gt(spokespersonDelegations.validUntil, at),
        eq(spokespersons.active, true),
      ),
    )
    .orderBy(asc(spokespersonDelegations.createdAt))
    .limit(1)
  const title = `Họp báo thông tin vụ việc: ${cleared.title}`.slice(0, 300)
  const topic = cleared.scope.slice(0, 1000)
  let uidDomain = 'donghanh.local'
  try {
    uidDomain = new URL(processConfig().publicUrl).hostname || uidDomain
  } catch {}
  const [row] = await tx
    .insert(events)
    .values({
      tenantId,
      kind: 'adhoc_press_conference',
      title,
      topic,
      agendaMd: `Thông tin được phép công bố sau khi giải mật:\n\n${cleared.scope}`.slice(0, 20000),
      startsAt,
      endsAt: new Date(startsAt.getTime() + 90 * 60_000),
      state: 'draft',
      icalUid: `${randomUUID()}@${uidDomain}`,
      caseId: cleared.caseId,
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: events.id })
  const id = row?.id as string
  await replaceEventLinks(tx, tenantId, id, speaker ? [speaker.id] : [], [])
  await recordAudit(tx, {
    tenantId,
    actor: { id: null, label: 'system:case-cleared' },
    action: 'event.created',
    subjectType: 'event',
    subjectId: id,
    summary: { kind: 'adhoc_press_conference', proposedFor: cleared.caseId, speakers: speaker ? 1 : 0 },
  })
  return { id }
}

/** `events.case-cleared-proposal`: a draft press conference for each case cleared. */
export const caseClearedProposalSubscriber: EventSubscriber = {
  name: 'events.case-cleared-proposal',
  events: ['case.cleared'],
  async perform(event: DomainEvent, ctx) {
    const p = event.payload as { caseId: string; title: string; scope: string }
    await proposePressConference(ctx.tx, event.tenantId, { caseId: p.caseId, title: p.title, scope: p.scope })
  },
}
