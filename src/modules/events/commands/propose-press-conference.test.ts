/**
 * Clearing a sealed case proposes a draft ad-hoc press conference with the cleared facts and
 * the spokesperson delegated for the case; once per clearance (the delivery row), never announced.
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { makeSealedCase, makeSpokesperson } from '../../../../test/support/releases.ts'
import { withTransaction } from '../../../db/index.ts'
import { deliverEvent, eventsOf } from '../../../platform/domain-events/index.ts'
import { clearCase } from '../../cases/commands/clear-case.ts'
import { unsafeLoadCase } from '../../cases/cases.repository.ts'
import { delegateSpokesperson } from '../../spokespersons/commands/save-spokesperson.ts'
import { events, eventSpeakers } from '../events.tables.ts'

let t: TestApp
let lead: MadeUser

beforeAll(async () => {
  t = await createTestApp()
  lead = await makeUser(t, { role: 'approver' })
})
afterAll(async () => {
  await t?.close()
})

describe('case cleared → proposed press conference', () => {
  it('makes one draft with the cleared facts and the case spokesperson', async () => {
    const caseId = await makeSealedCase(t, lead)
    const speakerId = await makeSpokesperson(t)
    await withTransaction(t.database.pool, (tx) =>
      delegateSpokesperson({
        tx,
        tenantId: t.tenant.id,
        actor: { id: lead.id, label: lead.email },
        spokespersonId: speakerId,
        delegateName: 'Thượng tá Lê Văn Nam',
        delegateTitle: 'Trưởng phòng Cảnh sát hình sự',
        caseId,
        validUntil: new Date(Date.now() + 30 * 86_400_000),
      }),
    )
    await withTransaction(t.database.pool, async (tx) =>
      clearCase({
        tx,
        case: (await unsafeLoadCase(tx, t.tenant.id, caseId)) as NonNullable<Awaited<ReturnType<typeof unsafeLoadCase>>>,
        actor: { id: lead.id, label: lead.email },
        scope: 'Đã bắt giữ 5 đối tượng, thu giữ 2 kg ma tuý tổng hợp',
        groundLifted: 'Điều 13 Luật Tiếp cận thông tin',
      }),
    )
    const [cleared] = (await eventsOf(t.database, t.tenant.id, 'case', caseId)).filter((e) => e.type === 'case.cleared')
    expect(cleared).toBeTruthy()
    // The in-process jobs may already have delivered it; a second delivery does nothing.
    await deliverEvent(t.database, cleared?.id as number, 'events.case-cleared-proposal')
    expect(await deliverEvent(t.database, cleared?.id as number, 'events.case-cleared-proposal')).toBe(false)
    const drafts = await t.database.db
      .select()
      .from(events)
      .where(and(eq(events.tenantId, t.tenant.id), eq(events.caseId, caseId)))
    expect(drafts).toHaveLength(1)
    const d = drafts[0]
    expect(d?.state).toBe('draft')
    expect(d?.kind).toBe('adhoc_press_conference')
    expect(d?.topic).toBe('Đã bắt giữ 5 đối tượng, thu giữ 2 kg ma tuý tổng hợp')
    expect(d?.startsAt.getTime()).toBeGreaterThan(Date.now())
    const speakers = await t.database.db
      .select()
      .from(eventSpeakers)
      .where(eq(eventSpeakers.eventId, d?.id as string))
    expect(speakers.map((s) => s.spokespersonId)).toEqual([speakerId])
  })
})
