/**
 * Retention under Law 91/2025/QH15 with the clock moved (never waited): unverified applications
 * go after 7 days, a withdrawn consent erases at once (the 2026-01 text states no grace), and a
 * partner who stopped being one is erased 2 years later. Shared proof files stay while another
 * row names their content; status history and audit rows stay.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type MadeUser, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { freezeClock, resetClock } from '../../../platform/clock.ts'
import { storeUpload } from '../../../platform/uploads/index.ts'
import { sessions, users } from '../../accounts/accounts.tables.ts'
import { changePartnerStatus } from '../commands/change-partner-status.ts'
import { partnerChannels, partnerKeys, partnerStatusHistory, partners } from '../partners.tables.ts'
import { runPartnerRetention } from './application.retention.ts'
import { partnerApplicationFiles, partnerApplicationLinks, partnerApplications } from './application.tables.ts'
import { withdrawApplicationConsent } from './commands/withdraw-application-consent.ts'

const png = (seed: number) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(64, seed)])
const DAY = 86_400_000
const T0 = new Date('2027-03-01T03:00:00Z')

let t: TestApp
let dataDir: string
let approver: MadeUser
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'donghanh-retention-'))
  t = await createTestApp({ DATA_DIR: dataDir })
  approver = await makeUser(t, { role: 'approver' })
})
afterAll(async () => {
  await t?.close()
  await rm(dataDir, { recursive: true, force: true })
})
afterEach(() => resetClock())

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  )

/** An application as the form leaves it, with one proof file (content `seed`) and a status link. */
async function application(o: { createdAt: Date; state?: 'pending' | 'verified'; seed: number; partnerId?: string; email?: string }) {
  const stored = await storeUpload({ dataDir, tenantId: t.tenant.id, data: png(o.seed), ext: 'png' })
  const [app] = await t.database.db
    .insert(partnerApplications)
    .values({
      tenantId: t.tenant.id,
      kind: 'journalist',
      name: 'Phạm Thị Đơn',
      email: o.email ?? `don.${randomUUID().slice(0, 8)}@bao.example.vn`,
      pressCardNumber: 'VH12345',
      consentVersion: '2026-01',
      consentAt: o.createdAt,
      state: o.state ?? 'pending',
      verifyTokenHash: randomUUID(),
      verifyExpiresAt: new Date(o.createdAt.getTime() + DAY),
      partnerId: o.partnerId ?? null,
      createdAt: o.createdAt,
    })
    .returning()
  const id = app?.id as string
  await t.database.db.insert(partnerApplicationFiles).values({
    tenantId: t.tenant.id,
    applicationId: id,
    fileName: 'the.png',
    fileType: 'png',
    sizeBytes: stored.size,
    sha256: stored.sha256,
    storagePath: stored.path,
    createdAt: o.createdAt,
  })
  await t.database.db
    .insert(partnerApplicationLinks)
    .values({ tokenHash: randomUUID(), tenantId: t.tenant.id, applicationId: id, createdAt: o.createdAt })
  return { id, file: stored.path }
}

const appExists = async (id: string) =>
  (await t.database.db.select().from(partnerApplications).where(eq(partnerApplications.id, id))).length > 0
const auditOf = (action: 'partner.application_erased' | 'partner.data_erased', subjectId: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.subjectId, subjectId)))
const partnerOf = async (id: string) => (await t.database.db.select().from(partners).where(eq(partners.id, id)))[0]

describe('applications never verified', () => {
  it('are deleted after 7 days; a proof file stays while another application holds the same content', async () => {
    freezeClock(T0)
    const old = await application({ createdAt: T0, seed: 11 })
    const later = await application({ createdAt: new Date(T0.getTime() + 5 * DAY), seed: 11 })
    const verified = await application({ createdAt: T0, state: 'verified', seed: 12 })
    expect(later.file).toBe(old.file)

    freezeClock(new Date(T0.getTime() + 7 * DAY - 60_000))
    expect((await runPartnerRetention(t.database)).unverified).toBe(0)

    freezeClock(new Date(T0.getTime() + 7 * DAY + 60_000))
    const first = await runPartnerRetention(t.database)
    expect(first).toMatchObject({ unverified: 1, filesRemoved: 0 })
    expect(await appExists(old.id)).toBe(false)
    expect(await appExists(later.id)).toBe(true)
    expect(await appExists(verified.id)).toBe(true)
    expect(await exists(old.file)).toBe(true) // `later` names the same content
    const [row] = await auditOf('partner.application_erased', old.id)
    expect(row?.summary).toEqual({ cause: 'unverified', files: 1, answers: 0, links: 1 })
    expect(JSON.stringify(row)).not.toContain('Phạm Thị Đơn')

    freezeClock(new Date(T0.getTime() + 12 * DAY + 60_000))
    expect(await runPartnerRetention(t.database)).toMatchObject({ unverified: 1, filesRemoved: 1 })
    expect(await exists(old.file)).toBe(false)
    expect(await exists(verified.file)).toBe(true)
    // Nothing left to do: a second run the same day changes nothing.
    expect(await runPartnerRetention(t.database)).toMatchObject({ unverified: 0, withdrawnPartners: 0, ended: 0, filesRemoved: 0 })
  })
})

describe('a withdrawn consent', () => {
  it("revokes at once and the next run erases the partner's personal data, keeping history and audit", async () => {
    freezeClock(T0)
    const p = await makePartner(t, { name: 'Đỗ Thị Rút' })
    await t.database.db
      .insert(partnerChannels)
      .values({ tenantId: t.tenant.id, partnerId: p.partner.id, platform: 'facebook', url: 'https://facebook.com/dothirut' })
    const app = await application({ createdAt: T0, state: 'verified', seed: 21, partnerId: p.partner.id, email: p.partner.email as string })
    const [appRow] = await t.database.db.select().from(partnerApplications).where(eq(partnerApplications.id, app.id))
    await withTransaction(t.database.pool, (tx) =>
      withdrawApplicationConsent({ tx, application: appRow as typeof partnerApplications.$inferSelect }),
    )
    expect((await partnerOf(p.partner.id))?.status).toBe('revoked')
    expect(await t.database.db.select().from(sessions).where(eq(sessions.userId, p.user.id))).toEqual([])
    const historyBefore = await t.database.db.select().from(partnerStatusHistory).where(eq(partnerStatusHistory.partnerId, p.partner.id))

    freezeClock(new Date(T0.getTime() + 60_000))
    const run = await runPartnerRetention(t.database)
    expect(run).toMatchObject({ withdrawnPartners: 1, filesRemoved: 1 })
    const after = await partnerOf(p.partner.id)
    expect(after).toMatchObject({ email: null, phone: null, pressCardNumber: null, pressCardExpiresOn: null, status: 'revoked' })
    expect(after?.name).toMatch(/^Đối tác đã xóa dữ liệu \/ Erased partner · [0-9A-F]{8}$/)
    expect(after?.erasedAt).toEqual(new Date(T0.getTime() + 60_000))
    expect(await t.database.db.select().from(partnerKeys).where(eq(partnerKeys.partnerId, p.partner.id))).toEqual([])
    expect(await t.database.db.select().from(partnerChannels).where(eq(partnerChannels.partnerId, p.partner.id))).toEqual([])
    expect(await appExists(app.id)).toBe(false)
    expect(await exists(app.file)).toBe(false)
    const [account] = await t.database.db.select().from(users).where(eq(users.id, p.user.id))
    expect(account).toMatchObject({ status: 'disabled', name: '', email: `erased-${p.user.id}@erased.invalid` })
    // History stays (and nothing was added to it); one audit row with counts, no values.
    expect(await t.database.db.select().from(partnerStatusHistory).where(eq(partnerStatusHistory.partnerId, p.partner.id))).toEqual(
      historyBefore,
    )
    const [row] = await auditOf('partner.data_erased', p.partner.id)
    expect(row?.summary).toMatchObject({
      cause: 'consent_withdrawn',
      records: 1,
      keys: 2,
      channels: 1,
      applications: 1,
      files: 1,
      accountDisabled: true,
    })
    const text = JSON.stringify(row)
    for (const personal of ['Đỗ Thị Rút', p.partner.email as string, p.partner.pressCardNumber as string])
      expect(text).not.toContain(personal)
    // Once only.
    expect(await runPartnerRetention(t.database)).toMatchObject({ withdrawnPartners: 0, withdrawnApplications: 0 })
    expect(await auditOf('partner.data_erased', p.partner.id)).toHaveLength(1)
  })
})

describe('after the partnership ended', () => {
  it('keeps a revoked or expired partner 2 years, then erases; an accredited one is never touched', async () => {
    freezeClock(T0)
    const revoked = await makePartner(t, { name: 'Lê Văn Thu Hồi' })
    const expired = await makePartner(t, { name: 'Lê Văn Hết Hạn' })
    const live = await makePartner(t, { name: 'Lê Văn Còn' })
    const actor = { id: approver.id, tenantId: t.tenant.id, role: 'approver' as const, email: approver.email }
    for (const [p, to] of [
      [revoked, 'revoked'],
      [expired, 'expired'],
    ] as const)
      await withTransaction(t.database.pool, (tx) =>
        changePartnerStatus({ tx, actor, partnerId: p.partner.id, to, reason: 'Kết thúc hợp tác (kiểm thử).' }),
      )

    freezeClock(new Date('2029-02-28T03:00:00Z'))
    expect((await runPartnerRetention(t.database)).ended).toBe(0)
    expect((await partnerOf(revoked.partner.id))?.name).toBe('Lê Văn Thu Hồi')

    freezeClock(new Date('2029-03-01T03:00:01Z'))
    expect((await runPartnerRetention(t.database)).ended).toBe(2)
    for (const p of [revoked, expired]) {
      const after = await partnerOf(p.partner.id)
      expect(after?.email).toBeNull()
      expect(after?.name).not.toContain('Lê Văn')
      const [row] = await auditOf('partner.data_erased', p.partner.id)
      expect(row?.summary).toMatchObject({ cause: 'retention_ended', records: 1 })
    }
    expect(await partnerOf(live.partner.id)).toMatchObject({ name: 'Lê Văn Còn', email: live.partner.email, erasedAt: null })
  })
})
