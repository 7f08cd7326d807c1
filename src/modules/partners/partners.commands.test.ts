/**
 * The registry's commands on a real PostgreSQL: creation with normalised keys and duplicate
 * refusal, the status machine through the command (every pair), what a decision writes
 * together (history, audit, mail, event) and that a refusal writes nothing, and merges.
 */
import { and, count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { type Tx, withTransaction } from '../../db/index.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { domainEvents } from '../../platform/domain-events/domain-events.tables.ts'
import { AppError } from '../../platform/errors.ts'
import { both } from '../../platform/i18n/index.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import type { Actor } from '../../platform/policy/index.ts'
import { changePartnerStatus } from './commands/change-partner-status.ts'
import { createPartner, type PartnerInput } from './commands/create-partner.ts'
import { createPressOutlet } from './commands/create-press-outlet.ts'
import { mergePartners, survivingPartnerId } from './commands/merge-partners.ts'
import { recordAcknowledgement } from './commands/record-acknowledgement.ts'
import { findDuplicates } from './partners.repository.ts'
import { PARTNER_STATUSES, type PartnerStatus, partnerChannels, partnerKeys, partnerStatusHistory, partners } from './partners.tables.ts'
import { canTransition } from './partners.workflow.ts'

let t: TestApp
let editor: Actor
let approver: Actor
let officer: Actor
let outletId: string
const actorOf = (u: MadeUser): Actor => ({ id: u.id, tenantId: t.tenant.id, role: u.role, email: u.email })
const inTx = <T>(fn: (tx: Tx) => Promise<T>) => withTransaction(t.database.pool, fn)

beforeAll(async () => {
  t = await createTestApp()
  editor = actorOf(await makeUser(t, { role: 'editor' }))
  approver = actorOf(await makeUser(t, { role: 'approver' }))
  officer = actorOf(await makeUser(t, { role: 'officer' }))
  ;({ id: outletId } = await inTx((tx) =>
    createPressOutlet({
      tx,
      actor: editor,
      input: {
        name: 'Báo Thanh Hóa',
        kind: 'newspaper',
        licenceNumber: '123/GP-BTTTT',
        licenceIssuer: 'Bộ Thông tin và Truyền thông',
        website: 'https://baothanhhoa.vn',
      },
    }),
  ))
})
afterAll(async () => {
  await t.close()
})

let n = 0
/** A journalist with unique keys, a valid card and term (accreditable once verified). */
function journalistInput(extra: Partial<PartnerInput> = {}): PartnerInput {
  n++
  return {
    kind: 'journalist',
    name: `Phóng viên Lê Thị Hoa ${n}`,
    outletId,
    pressCardNumber: `TH-${String(n).padStart(5, '0')}`,
    pressCardExpiresOn: '2099-12-31',
    accreditationEndsOn: '2099-06-30',
    email: `hoa.${n}@baothanhhoa.vn`,
    phone: `0912 ${String(n).padStart(6, '0')}`,
    beats: ['An ninh trật tự', 'Giao thông'],
    communeCodes: ['phuong-hac-thanh'],
    ...extra,
  }
}
const create = (input: PartnerInput, actor = editor) => inTx((tx) => createPartner({ tx, actor, input }))
const change = (partnerId: string, to: PartnerStatus, reason = 'Đã kiểm tra hồ sơ và thẻ nhà báo', actor = approver, extra = {}) =>
  inTx((tx) => changePartnerStatus({ tx, actor, partnerId, to, reason, ...extra }))
const setStatus = (id: string, status: PartnerStatus) => t.database.db.update(partners).set({ status }).where(eq(partners.id, id))
const partnerOf = async (id: string) => (await t.database.db.select().from(partners).where(eq(partners.id, id)))[0]!
async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(AppError)
  return e as AppError
}

/** What a status decision writes, for one partner. */
async function written(partnerId: string, email: string | null) {
  const db = t.database.db
  const [h] = await db.select({ n: count() }).from(partnerStatusHistory).where(eq(partnerStatusHistory.partnerId, partnerId))
  const [a] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectId, partnerId), eq(auditEvents.action, 'partner.status_changed')))
  const [m] = email ? await db.select({ n: count() }).from(mailOutbox).where(eq(mailOutbox.toAddress, email)) : [{ n: 0 }]
  const [e] = await db.select({ n: count() }).from(domainEvents).where(eq(domainEvents.subjectId, partnerId))
  const [p] = await db.select({ status: partners.status }).from(partners).where(eq(partners.id, partnerId))
  return { history: h?.n, audit: a?.n, mail: m?.n, events: e?.n, status: p?.status }
}

describe('creating partners', () => {
  it('stores normalised keys, a first history row and an audit row', async () => {
    const { id } = await create(
      journalistInput({ email: '  Minh.Tran@Báo.vn ', phone: '+84 (0) 912 777 001', pressCardNumber: 'ab-77 001' }),
    )
    const p = await partnerOf(id)
    expect(p).toMatchObject({ status: 'applied', email: 'minh.tran@xn--bo-mia.vn', phone: '0912777001', pressCardNumber: 'ab-77 001' })
    const keys = await t.database.db.select().from(partnerKeys).where(eq(partnerKeys.partnerId, id))
    expect(keys.map((k) => `${k.kind}=${k.value}`).sort()).toEqual([
      'email=minh.tran@xn--bo-mia.vn',
      'phone=0912777001',
      'press_card=AB77001',
    ])
    const history = await t.database.db.select().from(partnerStatusHistory).where(eq(partnerStatusHistory.partnerId, id))
    expect(history).toMatchObject([{ fromStatus: null, toStatus: 'applied', actorId: editor.id }])
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, 'partner.created')))
    expect(audit).toHaveLength(1)
  })

  it('refuses an influencer with a press card, a journalist with channels, unknown communes, no contact, and officers', async () => {
    expect((await refusal(create({ kind: 'influencer', name: 'KOL', email: 'kol1@example.vn', pressCardNumber: 'X12345' }))).code).toBe(
      'PARTNER_INVALID',
    )
    expect((await refusal(create(journalistInput({ channels: [{ platform: 'facebook', url: 'https://facebook.com/x' }] })))).code).toBe(
      'PARTNER_INVALID',
    )
    expect((await refusal(create(journalistInput({ communeCodes: ['xa-khong-co'] })))).code).toBe('PARTNER_INVALID')
    expect((await refusal(create(journalistInput({ email: null, phone: ' ' })))).code).toBe('PARTNER_INVALID')
    expect((await refusal(create(journalistInput({ outletId: "1' OR 1=1" })))).code).toBe('PARTNER_INVALID')
    expect((await refusal(create(journalistInput({ phone: '01234567890' })))).code).toBe('PARTNER_INVALID_PHONE')
    expect((await refusal(create(journalistInput(), officer))).code).toBe('FORBIDDEN')
  })
})

describe('duplicates', () => {
  const cases: [string, Partial<PartnerInput>, Partial<PartnerInput>, string][] = [
    [
      'a Unicode e-mail domain typed in punycode',
      { email: 'Lan.Nguyen@Báo.vn' },
      { email: ' lan.nguyen@XN--BO-MIA.vn' },
      'PARTNER_DUPLICATE_EMAIL',
    ],
    [
      'a Unicode local part in NFD and capitals',
      { email: 'nguyễn.lan@example.vn' },
      { email: 'NGUYE\u0302\u0303N.LAN@example.vn' },
      'PARTNER_DUPLICATE_EMAIL',
    ],
    ['+84 and 0 forms of a mobile', { phone: '+84 913 000 111' }, { phone: '0913.000.111' }, 'PARTNER_DUPLICATE_PHONE'],
    ['84 without plus, and 0084', { phone: '84913000222' }, { phone: '0084 913-000-222' }, 'PARTNER_DUPLICATE_PHONE'],
    [
      'a press card with dashes and spaces',
      { pressCardNumber: 'ab-88 001' },
      { pressCardNumber: 'AB88001' },
      'PARTNER_DUPLICATE_PRESS_CARD',
    ],
  ]
  it.each(cases)('recognises %s, refuses the second record naming the key, and writes nothing', async (_name, first, second, code) => {
    const { id } = await create(journalistInput(first))
    const input = journalistInput(second)
    const dups = await findDuplicates(t.database.db, t.tenant.id, input)
    expect(dups).toHaveLength(1)
    expect(dups[0]).toMatchObject({ partnerId: id })
    const [before] = await t.database.db.select({ n: count() }).from(partners)
    const e = await refusal(create(input))
    expect(e.code).toBe(code)
    expect(e.status).toBe(409)
    const [after] = await t.database.db.select({ n: count() }).from(partners)
    expect(after?.n).toBe(before?.n)
    // Both languages name the key and the value.
    const msg = both(`errors.${code}`, e.params)
    expect(msg.vi).toContain(String(e.params.value))
    expect(msg.en).toContain(String(e.params.value))
    expect(msg.vi).not.toBe(msg.en)
  })

  it('lists every partner sharing a key, with the keys each matched', async () => {
    const a = await create(journalistInput({ email: 'chung.1@example.vn' }))
    const b = await create(journalistInput({ phone: '0915 123 987' }))
    const dups = await findDuplicates(t.database.db, t.tenant.id, {
      email: 'CHUNG.1@example.vn',
      phone: '+84915123987',
      pressCardNumber: 'ZZ99999',
    })
    expect(dups.map((d) => [d.partnerId, d.matched.map((k) => k.kind)]).sort()).toEqual(
      [
        [a.id, ['email']],
        [b.id, ['phone']],
      ].sort(),
    )
    expect(await findDuplicates(t.database.db, t.tenant.id, { email: 'no.one@example.vn' })).toEqual([])
  })
})

describe('status machine through the command', () => {
  const pairs = PARTNER_STATUSES.flatMap((from) => PARTNER_STATUSES.map((to) => [from, to, canTransition(from, to)] as const))
  it.each(pairs)('%s → %s allowed: %s', async (from, to, allowed) => {
    const input = journalistInput()
    const { id } = await create(input)
    await setStatus(id, from)
    const before = await written(id, (await partnerOf(id)).email)
    if (allowed) {
      expect(await change(id, to)).toEqual({ from, to })
      const after = await written(id, (await partnerOf(id)).email)
      expect(after).toMatchObject({ history: before.history + 1, audit: before.audit + 1, mail: before.mail + 1, status: to })
      expect(after.events).toBe(before.events + (['accredited', 'suspended', 'expired', 'revoked'].includes(to) ? 1 : 0))
    } else {
      expect((await refusal(change(id, to))).code).toBe('PARTNER_ILLEGAL_TRANSITION')
      expect(await written(id, (await partnerOf(id)).email)).toEqual(before)
    }
  })
})

describe('a status decision', () => {
  it('writes history, audit, a bilingual mail and the event together', async () => {
    const input = journalistInput()
    const { id } = await create(input)
    await change(id, 'verified', 'Đã gọi điện xác minh với tòa soạn', editor)
    await change(id, 'accredited', 'Đủ điều kiện nhận tin cấm đăng trước', approver, { accreditationEndsOn: '2099-01-31' })
    const p = await partnerOf(id)
    expect(p).toMatchObject({ status: 'accredited', accreditationEndsOn: '2099-01-31' })
    const history = await t.database.db
      .select()
      .from(partnerStatusHistory)
      .where(eq(partnerStatusHistory.partnerId, id))
      .orderBy(partnerStatusHistory.id)
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.actorId])).toEqual([
      [null, 'applied', editor.id],
      ['applied', 'verified', editor.id],
      ['verified', 'accredited', approver.id],
    ])
    expect(history[2]?.reason).toBe('Đủ điều kiện nhận tin cấm đăng trước')
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, 'partner.status_changed')))
      .orderBy(auditEvents.id)
      .offset(1)
    expect(audit?.summary).toMatchObject({
      from: 'verified',
      to: 'accredited',
      reason: 'Đủ điều kiện nhận tin cấm đăng trước',
      accreditationEndsOn: '2099-01-31',
    })
    const mails = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, p.email!)).orderBy(mailOutbox.createdAt)
    expect(mails).toHaveLength(2)
    expect(mails[1]?.subject).toContain('Được công nhận')
    expect(mails[1]?.subject).toContain('Accredited')
    expect(mails[1]?.textBody).toContain('Lý do: Đủ điều kiện nhận tin cấm đăng trước')
    const events = await t.database.db.select().from(domainEvents).where(eq(domainEvents.subjectId, id))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'partner.accredited', subjectType: 'partner', actorId: approver.id })
    expect(events[0]?.payload).toMatchObject({ partnerId: id, kind: 'journalist', from: 'verified', until: '2099-01-31' })
  })

  it('is refused, writing nothing, without a reason, for an editor accrediting, and without a valid card or term', async () => {
    const { id } = await create(journalistInput({ pressCardExpiresOn: '2020-01-01', accreditationEndsOn: null }))
    await setStatus(id, 'verified')
    const email = (await partnerOf(id)).email
    const before = await written(id, email)
    const short = await refusal(change(id, 'accredited', '  ok  '))
    expect([short.code, short.params]).toEqual(['REASON_REQUIRED', { min: 10 }])
    expect((await refusal(change(id, 'accredited', 'Đủ điều kiện công nhận', editor))).code).toBe('FORBIDDEN')
    expect((await refusal(change(id, 'accredited'))).code).toBe('PARTNER_NEEDS_TERM')
    expect((await refusal(change(id, 'accredited', undefined, approver, { accreditationEndsOn: '2099-02-30' }))).code).toBe(
      'PARTNER_INVALID',
    )
    expect((await refusal(change(id, 'accredited', undefined, approver, { accreditationEndsOn: '2099-01-31' }))).code).toBe(
      'PARTNER_NEEDS_PRESS_CARD',
    )
    expect((await refusal(change('00000000-0000-4000-8000-000000000000', 'verified'))).code).toBe('NOT_FOUND')
    expect(await written(id, email)).toEqual(before)
  })

  it('rolls back with the transaction it is part of', async () => {
    const { id } = await create(journalistInput())
    const before = await written(id, (await partnerOf(id)).email)
    await refusal(
      inTx(async (tx) => {
        await changePartnerStatus({ tx, actor: approver, partnerId: id, to: 'revoked', reason: 'Giả mạo thẻ nhà báo' })
        throw new AppError('INTERNAL')
      }),
    )
    expect(await written(id, (await partnerOf(id)).email)).toEqual(before)
  })

  it('accredits an influencer only after the signed acknowledgement', async () => {
    const { id } = await create({
      kind: 'influencer',
      name: 'Hà Xứ Thanh',
      email: 'ha.xuthanh@example.vn',
      accreditationEndsOn: '2099-12-31',
      channels: [{ platform: 'tiktok', url: 'https://www.tiktok.com/@haxuthanh', followers: 120_000 }],
    })
    await change(id, 'verified', 'Đã xác minh kênh TikTok', editor)
    expect((await refusal(change(id, 'accredited'))).code).toBe('PARTNER_NEEDS_ACKNOWLEDGEMENT')
    expect((await refusal(inTx((tx) => recordAcknowledgement({ tx, actor: officer, partnerId: id, method: 'portal' })))).code).toBe(
      'FORBIDDEN',
    )
    expect(
      (
        await refusal(
          inTx((tx) => recordAcknowledgement({ tx, actor: editor, partnerId: id, method: 'portal', textVersion: 'constructor' })),
        )
      ).code,
    ).toBe('PARTNER_INVALID')
    await inTx((tx) => recordAcknowledgement({ tx, actor: editor, partnerId: id, method: 'paper' }))
    await change(id, 'accredited')
    expect((await partnerOf(id)).status).toBe('accredited')
  })
})

describe('merging', () => {
  it('moves keys, channels and history to the survivor and leaves a pointer', async () => {
    const a = await create({
      kind: 'influencer',
      name: 'Tuấn Review',
      email: 'tuan.review@example.vn',
      beats: ['Ẩm thực'],
      channels: [{ platform: 'facebook', url: 'https://facebook.com/tuanreview' }],
    })
    const b = await create({
      kind: 'influencer',
      name: 'Tuấn Review (Zalo)',
      phone: '0987 000 123',
      beats: ['Du lịch'],
      channels: [{ platform: 'zalo', url: 'https://zalo.me/tuanreview', followers: 5000 }],
    })
    await change(b.id, 'more_info_needed', 'Cần ảnh chụp trang kênh', editor)
    const r = await inTx((tx) => mergePartners({ tx, actor: editor, survivorId: a.id, duplicateId: b.id }))
    expect(r.moved).toMatchObject({ keys: 1, channels: 1, history: 2 })
    const survivor = await partnerOf(a.id)
    expect(survivor).toMatchObject({ phone: '0987000123', email: 'tuan.review@example.vn', status: 'applied', mergedInto: null })
    expect(survivor.beats).toEqual(['Ẩm thực', 'Du lịch'])
    expect(await partnerOf(b.id)).toMatchObject({ mergedInto: a.id })
    const channels = await t.database.db.select().from(partnerChannels).where(eq(partnerChannels.partnerId, a.id))
    expect(channels.map((c) => c.platform).sort()).toEqual(['facebook', 'zalo'])
    const history = await t.database.db.select().from(partnerStatusHistory).where(eq(partnerStatusHistory.partnerId, a.id))
    expect(history.map((h) => h.toStatus).sort()).toEqual(['applied', 'applied', 'more_info_needed'])
    // The duplicate's phone now finds the survivor; its old id leads there.
    expect((await findDuplicates(t.database.db, t.tenant.id, { phone: '+84987000123' })).map((d) => d.partnerId)).toEqual([a.id])
    expect(await inTx((tx) => survivingPartnerId(tx, t.tenant.id, b.id))).toBe(a.id)
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, a.id), eq(auditEvents.action, 'partner.merged')))
    expect(audit?.summary).toMatchObject({ duplicateId: b.id, keys: ['phone'] })
    // The merged record takes no more decisions, and is not merged twice.
    expect((await refusal(change(b.id, 'verified', 'Đã xác minh lại kênh', editor))).code).toBe('NOT_FOUND')
    expect((await refusal(inTx((tx) => mergePartners({ tx, actor: editor, survivorId: a.id, duplicateId: b.id })))).code).toBe(
      'PARTNER_MERGE_INVALID',
    )
  })

  it('refuses the same record, different kinds and officers, writing nothing', async () => {
    const j = await create(journalistInput())
    const i = await create({ kind: 'influencer', name: 'Mai Vlog', email: 'mai.vlog@example.vn' })
    expect((await refusal(inTx((tx) => mergePartners({ tx, actor: editor, survivorId: j.id, duplicateId: j.id })))).code).toBe(
      'PARTNER_MERGE_INVALID',
    )
    expect((await refusal(inTx((tx) => mergePartners({ tx, actor: editor, survivorId: j.id, duplicateId: i.id })))).code).toBe(
      'PARTNER_MERGE_INVALID',
    )
    expect((await refusal(inTx((tx) => mergePartners({ tx, actor: officer, survivorId: j.id, duplicateId: i.id })))).code).toBe('FORBIDDEN')
    expect(await partnerOf(i.id)).toMatchObject({ mergedInto: null })
  })
})
