import { and, eq, sql } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner, type MadePartner } from '../../../../test/support/partners.ts'
import { draft, load, makeSealedCase, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { runAudited } from '../../../platform/audit/index.ts'
import { advanceClock, resetClock } from '../../../platform/clock.ts'
import { deliverEvent, emitEvent } from '../../../platform/domain-events/index.ts'
import { domainEventDeliveries, domainEvents } from '../../../platform/domain-events/domain-events.tables.ts'
import { addEvidence } from '../../factcheck/commands/add-evidence.ts'
import { submitClaim } from '../../factcheck/commands/submit-claim.ts'
import { approveVerdict, draftVerdict, submitVerdict } from '../../factcheck/commands/verdict-workflow.ts'
import { unsafeLoadClaim } from '../../factcheck/factcheck.repository.ts'
import { partners } from '../../partners/partners.tables.ts'
import { editRelease } from '../../releases/commands/edit-release.ts'
import { liftRelease } from '../../releases/commands/lift-release.ts'
import { withdrawRelease } from '../../releases/commands/withdraw-release.ts'
import { distributionDeliveries, distributionPreferences, distributionWebhooks } from '../distribution.tables.ts'
import { fanOutToPartners, insertPartnerDeliveries } from './fanout.ts'

let t: TestApp
let editor: MadeUser
let approver: MadeUser
let approver2: MadeUser
let spokespersonId: string
let a: MadePartner // accredited journalist: e-mail now + a webhook
let b: MadePartner // accredited influencer: digest
let c: MadePartner // accredited journalist: e-mail off
let susp: MadePartner
let expd: MadePartner
let verified: MadePartner
let webhookId: string

beforeAll(async () => {
  t = await createTestApp()
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  approver2 = await makeUser(t, { role: 'approver' })
  spokespersonId = await makeSpokesperson(t)
  a = await makePartner(t, { name: 'Phóng viên A' })
  b = await makePartner(t, { kind: 'influencer', name: 'KOL B' })
  c = await makePartner(t, { name: 'Phóng viên C' })
  susp = await makePartner(t, { status: 'suspended', name: 'Bị đình chỉ' })
  expd = await makePartner(t, { status: 'expired', name: 'Hết hạn' })
  verified = await makePartner(t, { status: 'verified', name: 'Mới xác minh' })
  const db = t.database.db
  await db.insert(distributionPreferences).values([
    { tenantId: t.tenant.id, partnerId: b.partner.id, emailMode: 'digest' },
    { tenantId: t.tenant.id, partnerId: c.partner.id, emailMode: 'off' },
  ])
  const [w] = await db
    .insert(distributionWebhooks)
    .values({ tenantId: t.tenant.id, partnerId: a.partner.id, url: 'https://a.example/hook', secret: 'whsec_dGVzdA==' })
    .returning()
  webhookId = w!.id
  // A suspended partner's endpoint must not make them a recipient either.
  await db
    .insert(distributionWebhooks)
    .values({ tenantId: t.tenant.id, partnerId: susp.partner.id, url: 'https://s.example/hook', secret: 'whsec_dGVzdA==' })
})
afterAll(async () => {
  resetClock()
  await t?.close()
})
afterEach(() => resetClock())

/** Waits for the fan-out of the item's latest event of `type` to have run (jobs run it), returns the event id. */
async function fannedOut(releaseOrClaimId: string, type: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const [ev] = await t.database.db
      .select({ id: domainEvents.id })
      .from(domainEvents)
      .where(and(eq(domainEvents.subjectId, releaseOrClaimId), eq(domainEvents.type, type)))
      .orderBy(sql`${domainEvents.id} DESC`)
      .limit(1)
    if (ev) {
      // Run it here if the background worker has not yet; either way it runs once.
      await deliverEvent(t.database, ev.id, 'distribution.fanout')
      const [done] = await t.database.db
        .select()
        .from(domainEventDeliveries)
        .where(and(eq(domainEventDeliveries.eventId, ev.id), eq(domainEventDeliveries.subscriber, 'distribution.fanout')))
      if (done) return ev.id
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no ${type} event for ${releaseOrClaimId}`)
}

const deliveriesOf = (itemId: string, kind?: string) =>
  t.database.db
    .select()
    .from(distributionDeliveries)
    .where(and(eq(distributionDeliveries.itemId, itemId), kind ? eq(distributionDeliveries.kind, kind as 'embargo') : undefined))

const shape = (rows: { partnerId: string | null; channel: string }[]) =>
  rows
    .map(
      (r) =>
        `${r.partnerId === a.partner.id ? 'A' : r.partnerId === b.partner.id ? 'B' : r.partnerId === c.partner.id ? 'C' : r.partnerId}:${r.channel}`,
    )
    .sort()

describe('partners fan-out', () => {
  let releaseId: string
  let embargoEvent: number

  it('an embargo approval reaches accredited partners only, one row per channel by preference', async () => {
    releaseId = await draft(t, editor, { spokespersonId })
    const liftAt = new Date(Date.now() + 2 * 3600_000)
    await submitAndApprove(t, releaseId, editor, approver, 'embargo', liftAt)
    embargoEvent = await fannedOut(releaseId, 'release.embargoed')
    const rows = await deliveriesOf(releaseId, 'embargo')
    expect(shape(rows)).toEqual(['A:email', 'A:portal', 'A:webhook', 'B:digest', 'B:portal', 'C:portal'])
    for (const bad of [susp, expd, verified]) expect(rows.some((r) => r.partnerId === bad.partner.id)).toBe(false)
    const portal = rows.find((r) => r.channel === 'portal')
    expect(portal?.state).toBe('sent')
    expect(rows.find((r) => r.channel === 'webhook')?.webhookId).toBe(webhookId)
    // Each row its own link token; the payload carries the approved text and the lift time.
    expect(new Set(rows.map((r) => r.linkToken)).size).toBe(rows.length)
    expect(rows[0]?.payload.liftAt).toBe(liftAt.toISOString())
    expect(rows[0]?.payload.body).toContain('5 đối tượng')
    expect(rows[0]?.payload.body).not.toContain('**')
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'distribution.fanned_out'), eq(auditEvents.subjectId, releaseId)))
    expect(audit?.summary).toMatchObject({
      event: 'release.embargoed',
      recipients: 3,
      written: { portal: 3, email: 1, digest: 1, webhook: 1 },
    })
  })

  it('the same event delivered again writes nothing more', async () => {
    expect(await deliverEvent(t.database, embargoEvent, 'distribution.fanout')).toBe(false)
    // Even run past the delivery row (as after a crash between the two), the unique index holds.
    const [ev] = await t.database.db.select().from(domainEvents).where(eq(domainEvents.id, embargoEvent))
    const again = await withTransaction(t.database.pool, (tx) =>
      fanOutToPartners(
        tx,
        { ...ev!, type: 'release.embargoed', payload: ev!.payload as never, id: ev!.id, occurredAt: ev!.occurredAt },
        'http://donghanh.test',
      ),
    )
    expect(again.written).toEqual({})
    expect(await deliveriesOf(releaseId, 'embargo')).toHaveLength(6)
  })

  it('an embargo row is never written for a partner who is not accredited now, even if handed one', async () => {
    // Suspended between the lists' answer and the write: the INSERT asks again.
    await t.database.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, a.partner.id))
    try {
      const write = (kind: 'embargo' | 'publish') =>
        withTransaction(t.database.pool, (tx) =>
          insertPartnerDeliveries(tx, {
            tenantId: t.tenant.id,
            eventId: embargoEvent,
            itemType: 'release',
            itemId: releaseId,
            kind,
            payload: { event: 'test', itemType: 'release', itemId: releaseId, title: 'x', summary: '', source: { name: '', url: '' } },
            rows: [{ partnerId: a.partner.id, channel: 'digest', webhookId: null, address: 'a@example.vn' }],
          }),
        )
      // (A has no digest row for this event, so only the guard can stop it.)
      expect(await write('embargo')).toEqual({})
      await t.database.db.update(partners).set({ status: 'accredited' }).where(eq(partners.id, a.partner.id))
      await t.database.db.update(partners).set({ accreditationEndsOn: '2001-01-01' }).where(eq(partners.id, a.partner.id))
      expect(await write('embargo')).toEqual({})
    } finally {
      await t.database.db
        .update(partners)
        .set({ status: 'accredited', accreditationEndsOn: a.partner.accreditationEndsOn })
        .where(eq(partners.id, a.partner.id))
    }
    expect(shape(await deliveriesOf(releaseId, 'embargo'))).toEqual([
      'A:email',
      'A:portal',
      'A:webhook',
      'B:digest',
      'B:portal',
      'C:portal',
    ])
  })

  it('publication at the lift goes to the lists; a correction to prior and current recipients', async () => {
    advanceClock(3 * 3600_000)
    expect((await liftRelease({ database: t.database, tenantId: t.tenant.id, releaseId })).outcome).toBe('published')
    await fannedOut(releaseId, 'release.published')
    expect(shape(await deliveriesOf(releaseId, 'publish'))).toEqual([
      'A:email',
      'A:portal',
      'A:webhook',
      'B:digest',
      'B:portal',
      'C:portal',
    ])

    // C is suspended after receiving; a new partner N is accredited since.
    await t.database.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, c.partner.id))
    const n = await makePartner(t, { name: 'Phóng viên mới N' })
    await runAudited(t.database.pool, async (tx) =>
      editRelease({
        tx,
        release: await load(t, releaseId),
        actor: { id: editor.id, label: editor.email },
        content: {
          title: 'Công an tỉnh Thanh Hóa triệt phá đường dây đánh bạc qua mạng',
          summary: 'Phòng Cảnh sát hình sự vừa triệt phá một đường dây đánh bạc qua mạng với số tiền giao dịch hơn 120 tỷ đồng.',
          bodyMd: 'Ngày 20/11/2026, lực lượng chức năng đã bắt giữ 6 đối tượng.',
          category: 'An ninh trật tự',
          tags: [],
        },
        changeNote: 'Sửa số tiền giao dịch và số đối tượng bị bắt.',
      }),
    )
    await submitAndApprove(t, releaseId, editor, approver2)
    await fannedOut(releaseId, 'release.corrected')
    const rows = await deliveriesOf(releaseId, 'correction')
    const who = new Set(rows.map((r) => r.partnerId))
    expect(who).toEqual(new Set([a.partner.id, b.partner.id, c.partner.id, n.partner.id]))
    expect(rows[0]?.payload.changeNote).toBe('Sửa số tiền giao dịch và số đối tượng bị bắt.')
    expect(rows.some((r) => r.partnerId === susp.partner.id)).toBe(false)
    await t.database.db.update(partners).set({ status: 'accredited' }).where(eq(partners.id, c.partner.id))
  })

  it('a withdrawal sends the kill notice to all who received, on the channels that reached them, and cancels what is still queued', async () => {
    const db = t.database.db
    // What the sender did meanwhile: A's e-mails and first webhook arrived; the correction's webhook waits.
    await db.execute(
      sql`UPDATE distribution_deliveries SET state = 'sent' WHERE item_id = ${releaseId} AND channel IN ('email', 'webhook') AND kind IN ('embargo', 'publish')`,
    )
    await db.execute(
      sql`UPDATE distribution_deliveries SET state = 'queued', next_attempt_at = now() + interval '1 day' WHERE item_id = ${releaseId} AND kind = 'correction' AND channel <> 'portal'`,
    )
    await db.execute(
      sql`UPDATE distribution_deliveries SET state = 'queued', next_attempt_at = now() + interval '1 day' WHERE item_id = ${releaseId} AND channel = 'digest'`,
    )
    await runAudited(t.database.pool, async (tx) =>
      withdrawRelease({
        tx,
        release: await load(t, releaseId),
        actor: { id: approver.id, label: approver.email },
        category: 'privacy',
        reason: 'Lộ thông tin cá nhân của người bị hại trong bài.',
        confirmed: true,
      }),
    )
    await fannedOut(releaseId, 'release.withdrawn')
    const kills = await deliveriesOf(releaseId, 'kill')
    const n = (await deliveriesOf(releaseId, 'correction')).find((r) => ![a, b, c].some((p) => p.partner.id === r.partnerId))?.partnerId
    // B only ever had its portal rows reached (digests were still queued): the inbox only.
    expect(shape(kills)).toEqual(['A:email', 'A:portal', 'A:webhook', 'B:portal', 'C:portal', `${n}:portal`].sort())
    expect(kills[0]?.payload.reason).toBe('Lộ thông tin cá nhân của người bị hại trong bài.')
    // Text removed by a privacy withdrawal: the notice names the item, never its text.
    expect(kills[0]?.payload.body).toBeUndefined()
    expect(kills[0]?.payload.summary).toBe('')
    const pending = (await deliveriesOf(releaseId)).filter((r) => r.kind !== 'kill' && (r.state === 'queued' || r.state === 'failed'))
    expect(pending).toHaveLength(0)
    const cancelled = (await deliveriesOf(releaseId)).filter((r) => r.state === 'cancelled')
    expect(cancelled.length).toBeGreaterThanOrEqual(3)
    expect(cancelled.every((r) => r.kind !== 'kill')).toBe(true)
  })

  it('a sealed case keeps an embargo from every partner', async () => {
    const lead = await makeUser(t, { role: 'approver' })
    const caseId = await makeSealedCase(t, lead)
    const id = await draft(t, editor, { spokespersonId })
    // The release is linked to a case sealed after its approval (the approval itself is refused while sealed).
    await t.database.db.execute(sql`UPDATE releases SET case_id = ${caseId}, status = 'embargoed' WHERE id = ${id}`)
    const ed = await load(t, id)
    await withTransaction(t.database.pool, (tx) =>
      emitEvent(tx, {
        tenantId: t.tenant.id,
        type: 'release.embargoed',
        subjectType: 'release',
        subjectId: id,
        payload: {
          releaseId: id,
          kind: 'press_release',
          caseId,
          edition: 1,
          editionId: ed.working.id,
          liftAt: new Date(Date.now() + 3600_000).toISOString(),
        },
      }),
    )
    await fannedOut(id, 'release.embargoed')
    expect(await deliveriesOf(id)).toHaveLength(0)
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'distribution.fanned_out'), eq(auditEvents.subjectId, id)))
    expect(audit[0]?.summary).toMatchObject({ skipped: 'sealed_case' })
  })

  it('a published verdict goes to the lists with its label and link', async () => {
    const PUBLIC = { id: null, label: 'public' }
    const who = (u: MadeUser) => ({ id: u.id, label: u.email })
    const s = await withTransaction(t.database.pool, (tx) =>
      submitClaim({
        tx,
        tenantId: t.tenant.id,
        channel: 'public',
        actor: PUBLIC,
        text: 'Nghe nói căn cước cũ bị thu hồi hết từ tháng sau, phải làm lại mất phí',
      }),
    )
    const loadClaim = async () => (await unsafeLoadClaim(t.database.db, t.tenant.id, s.claimId))!
    const ev = await runAudited(t.database.pool, async (tx) =>
      addEvidence({
        tx,
        claim: await loadClaim(),
        actor: who(editor),
        input: { kind: 'link', url: 'https://thanhhoa.gov.vn/tb', title: 'Thông báo' },
      }),
    )
    await runAudited(t.database.pool, async (tx) =>
      draftVerdict({
        tx,
        claim: await loadClaim(),
        actor: who(editor),
        input: {
          label: 'false',
          headline: 'Căn cước công dân cũ vẫn còn giá trị sử dụng',
          explanationMd: 'Theo **Luật Căn cước 2023**, thẻ đã cấp vẫn có giá trị đến hết thời hạn.',
          evidenceIds: [ev.id],
        },
      }),
    )
    await runAudited(t.database.pool, async (tx) => submitVerdict({ tx, claim: await loadClaim(), actor: who(approver) }))
    await runAudited(t.database.pool, async (tx) =>
      approveVerdict({ tx, claim: await loadClaim(), actor: who(approver2), publicUrl: 'http://h', tenantName: 'CA' }),
    )
    await fannedOut(s.claimId, 'verdict.published')
    const rows = await deliveriesOf(s.claimId, 'publish')
    expect(rows.every((r) => r.itemType === 'verdict')).toBe(true)
    expect(new Set(rows.map((r) => r.partnerId)).has(a.partner.id)).toBe(true)
    expect(rows.some((r) => [susp, expd, verified].some((p) => p.partner.id === r.partnerId))).toBe(false)
    expect(rows[0]?.payload).toMatchObject({ title: 'Căn cước công dân cũ vẫn còn giá trị sử dụng', label: 'Sai sự thật / False' })
    expect(rows[0]?.payload.publicUrl).toMatch(/\/kiem-chung\//)
    expect(rows[0]?.payload.body).toContain('Luật Căn cước 2023')
  })
})
