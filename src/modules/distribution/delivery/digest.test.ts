/**
 * The daily digest with the clock moved (never slept): one mail per partner per local day at
 * the partner's hour, a second run sends nothing, embargoed items of a partner suspended
 * meanwhile are cancelled and never mailed; the rendering of each kind; and the embedded
 * default without SMTP_URL (the sender keeps the mail in the outbox and marks it sent).
 */
import { eq } from 'drizzle-orm'
import { simpleParser } from 'mailparser'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { freezeClock, resetClock } from '../../../platform/clock.ts'
import { mailOutbox } from '../../../platform/mail/mail.tables.ts'
import { partners } from '../../partners/partners.tables.ts'
import { newLinkToken } from '../distribution.links.ts'
import { distributionDeliveries, distributionDigests, distributionPreferences } from '../distribution.tables.ts'
import type { DeliveryKind, DeliveryPayload } from '../distribution.types.ts'
import { runDigests } from './digest.ts'
import { createMailer, type DistributionMailer } from './mailer.ts'
import { renderMessage } from './render.ts'
import { type SmtpReceiver, samplePayload, startSmtpReceiver } from './testing.ts'

let t: TestApp
let smtp: SmtpReceiver
let mailer: DistributionMailer

beforeAll(async () => {
  smtp = await startSmtpReceiver({ keepRaw: true })
  // No SMTP_URL: the worker's own sender keeps mail in the outbox (the embedded default).
  t = await createTestApp()
  mailer = createMailer({ smtpUrl: smtp.url, from: 'Đồng Hành <no-reply@donghanh.test>', publicUrl: t.config.publicUrl })
})
afterAll(async () => {
  mailer?.close()
  await t?.close()
  await smtp?.close()
})
afterEach(() => resetClock())

async function insert(o: {
  partnerId: string
  channel: 'digest' | 'email'
  kind?: DeliveryKind
  address: string
  payload?: Partial<DeliveryPayload>
}) {
  const [row] = await t.database.db
    .insert(distributionDeliveries)
    .values({
      tenantId: t.tenant.id,
      itemType: 'release',
      kind: o.kind ?? 'publish',
      recipientType: 'partner',
      partnerId: o.partnerId,
      channel: o.channel,
      address: o.address,
      linkToken: newLinkToken(),
      payload: { ...samplePayload(t.config.publicUrl), ...o.payload },
    })
    .returning()
  return row as typeof distributionDeliveries.$inferSelect
}

const config = () => ({ smtpUrl: smtp.url, mailFrom: 'x@donghanh.test', publicUrl: 'http://donghanh.test' })

describe('daily digest', () => {
  it('sends one mail per partner per day at the digest hour; a second run sends nothing; suspended partners lose embargoed items', async () => {
    const a = await makePartner(t)
    const s = await makePartner(t)
    await t.database.db.insert(distributionPreferences).values([
      { tenantId: t.tenant.id, partnerId: a.partner.id, emailMode: 'digest', digestHour: 7 },
      { tenantId: t.tenant.id, partnerId: s.partner.id, emailMode: 'digest', digestHour: 7 },
    ])
    const embargo = { liftAt: '2026-11-21T03:00:00.000Z', title: 'Tin cấm đăng' }
    const a1 = await insert({ partnerId: a.partner.id, channel: 'digest', address: a.partner.email as string })
    const a2 = await insert({
      partnerId: a.partner.id,
      channel: 'digest',
      kind: 'embargo',
      address: a.partner.email as string,
      payload: embargo,
    })
    const s1 = await insert({
      partnerId: s.partner.id,
      channel: 'digest',
      address: s.partner.email as string,
      payload: { title: 'Tin công khai' },
    })
    const s2 = await insert({
      partnerId: s.partner.id,
      channel: 'digest',
      kind: 'embargo',
      address: s.partner.email as string,
      payload: embargo,
    })
    await t.database.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, s.partner.id))

    // 06:50 local: not yet.
    freezeClock(new Date('2026-11-20T06:50:00+07:00'))
    expect(await runDigests(t.database, { config: config(), mailer })).toMatchObject({ opened: 0, sent: 0 })
    // 07:05 local: one mail each.
    freezeClock(new Date('2026-11-20T07:05:00+07:00'))
    expect(await runDigests(t.database, { config: config(), mailer })).toMatchObject({ opened: 2, sent: 2, cancelled: 1 })
    const [ga] = await t.database.db.select().from(distributionDigests).where(eq(distributionDigests.partnerId, a.partner.id))
    expect(ga).toMatchObject({ localDay: '2026-11-20', state: 'sent' })
    const mailA = smtp.mails.filter((m) => m.to.includes(a.partner.email as string))
    expect(mailA.map((m) => m.messageId)).toEqual([`<${ga?.id}@donghanh.test>`])
    const parsedA = await simpleParser(mailA[0]?.raw as Buffer)
    expect(parsedA.subject).toContain('Bản tin tổng hợp ngày 2026-11-20: 2 tin')
    expect(parsedA.text).toContain(`/l/${a1.linkToken}`)
    expect(parsedA.text).toContain('CẤM ĐĂNG TRƯỚC 10:00 21/11/2026')
    const mailS = smtp.mails.filter((m) => m.to.includes(s.partner.email as string))
    expect(mailS).toHaveLength(1)
    const parsedS = await simpleParser(mailS[0]?.raw as Buffer)
    expect(parsedS.text).toContain('Tin công khai')
    expect(parsedS.text).not.toContain('Tin cấm đăng')
    expect(parsedS.text).not.toContain(s2.linkToken)
    const states = new Map(
      (await t.database.db.select().from(distributionDeliveries)).map((d) => [
        d.id,
        { state: d.state, digestId: d.digestId, error: d.lastError },
      ]),
    )
    expect(states.get(a1.id)).toMatchObject({ state: 'sent', digestId: ga?.id })
    expect(states.get(a2.id)?.state).toBe('sent')
    expect(states.get(s1.id)?.state).toBe('sent')
    expect(states.get(s2.id)?.state).toBe('cancelled')
    expect(states.get(s2.id)?.error).toContain('suspended')

    // Later the same day: a new item waits for tomorrow; nothing is sent twice.
    const a3 = await insert({ partnerId: a.partner.id, channel: 'digest', address: a.partner.email as string })
    freezeClock(new Date('2026-11-20T18:00:00+07:00'))
    expect(await runDigests(t.database, { config: config(), mailer })).toMatchObject({ opened: 0, sent: 0 })
    expect(smtp.mails.filter((m) => m.to.includes(a.partner.email as string))).toHaveLength(1)
    // Next day at the hour: the new item goes out in tomorrow's digest.
    freezeClock(new Date('2026-11-21T07:00:00+07:00'))
    expect(await runDigests(t.database, { config: config(), mailer })).toMatchObject({ opened: 1, sent: 1 })
    const [again] = await t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.id, a3.id))
    expect(again?.state).toBe('sent')
    expect(smtp.mails.filter((m) => m.to.includes(a.partner.email as string))).toHaveLength(2)
  })

  it('re-sends a digest left half-done by a crash with the same Message-ID', async () => {
    const p = await makePartner(t)
    await insert({ partnerId: p.partner.id, channel: 'digest', address: p.partner.email as string })
    freezeClock(new Date('2026-11-22T08:00:00+07:00'))
    await runDigests(t.database, { config: config(), mailer })
    const [g] = await t.database.db.select().from(distributionDigests).where(eq(distributionDigests.partnerId, p.partner.id))
    // A worker that died after the SMTP server took the mail, before its commit.
    await t.database.db
      .update(distributionDigests)
      .set({ state: 'queued' })
      .where(eq(distributionDigests.id, g?.id as string))
    await t.database.pool.query(`UPDATE distribution_deliveries SET state = 'sending' WHERE digest_id = $1`, [g?.id])
    await runDigests(t.database, { config: config(), mailer })
    expect(smtp.mails.filter((m) => m.to.includes(p.partner.email as string)).map((m) => m.messageId)).toEqual([
      `<${g?.id}@donghanh.test>`,
      `<${g?.id}@donghanh.test>`,
    ])
  })
})

describe('without an SMTP server', () => {
  it('keeps the message in the outbox and marks the delivery sent', async () => {
    const p = await makePartner(t)
    const d = await insert({ partnerId: p.partner.id, channel: 'email', address: p.partner.email as string })
    await t.database.pool.query('NOTIFY donghanh_distribution')
    const until = Date.now() + 20_000
    let row: typeof d | undefined
    while (Date.now() < until) {
      ;[row] = await t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.id, d.id))
      if (row?.state === 'sent') break
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(row?.state).toBe('sent')
    expect(row?.lastError).toBeNull()
    const kept = await t.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.toAddress, p.partner.email as string))
    expect(kept).toHaveLength(1)
    expect(kept[0]?.status).toBe('kept')
    expect(kept[0]?.textBody).toContain(`/l/${d.linkToken}`)
  })
})

describe('rendering', () => {
  const base = { id: 'd1', linkToken: 'AAAAAAAAAAAAAAAAAAAAAA', payload: samplePayload('http://donghanh.test') }
  it('labels each kind in both languages, escapes HTML and loads nothing remote', () => {
    const e = renderMessage(
      { ...base, kind: 'embargo', payload: { ...base.payload, liftAt: '2026-11-20T07:30:00Z', title: '<script>x</script>' } },
      'http://donghanh.test',
    )
    expect(e.subject).toBe('[CẤM ĐĂNG TRƯỚC 14:30 20/11/2026 / EMBARGOED UNTIL 14:30 20/11/2026] <script>x</script>')
    expect(e.html).toContain('&lt;script&gt;x&lt;/script&gt;')
    expect(e.html).not.toMatch(/<script|<img|src=/i)
    const k = renderMessage({ ...base, kind: 'kill', payload: { ...base.payload, reason: 'Sai số liệu' } }, 'http://donghanh.test')
    expect(k.subject).toContain('[KHÔNG SỬ DỤNG / DO NOT USE]')
    expect(k.text).toContain('Lý do: Sai số liệu')
    expect(k.text).not.toContain(base.payload.summary)
    expect(k.text).not.toContain('phương án phân luồng')
    const c = renderMessage(
      { ...base, kind: 'correction', payload: { ...base.payload, changeNote: 'Sửa giờ cấm xe' } },
      'http://donghanh.test',
    )
    expect(c.text).toContain('Nội dung sửa đổi: Sửa giờ cấm xe')
    expect(c.text).toContain('Nguồn: Công an tỉnh Thanh Hoá — http://donghanh.test')
    const r = renderMessage(
      {
        ...base,
        kind: 'correction_request',
        payload: { ...base.payload, quote: { official: '12 người', published: '21 người', url: 'https://bao.example/x' } },
      },
      'http://donghanh.test',
    )
    expect(r.text).toContain('> 12 người')
    expect(r.text).toContain('> 21 người')
    expect(r.text).toContain('Nghị định 09/2017')
  })
})
