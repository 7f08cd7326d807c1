/**
 * The registry's detail page shows the partner's questions and downloads (counts, latest rows,
 * links to the full lists), and the "expiring soon" badge and filter never call an ended
 * record or a past day "expiring".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { localDay } from '../../../platform/time.ts'
import { inquiries } from '../../inquiries/inquiries.tables.ts'
import { partners } from '../partners.tables.ts'
import { eq } from 'drizzle-orm'

let t: TestApp
let staff: Login
beforeAll(async () => {
  t = await createTestApp()
  staff = await loginAs(t, await makeUser(t, { role: 'editor' }))
})
afterAll(async () => {
  await t?.close()
})

const page = (url: string) => t.app.inject({ method: 'GET', url, headers: staff.headers })
const dayFromToday = (days: number) => localDay(new Date(Date.now() + days * 86_400_000))

describe('the partner detail page', () => {
  it("shows the count and latest of the partner's questions, with a link to the full list, and nothing of another partner's", async () => {
    const { partner } = await makePartner(t)
    const other = await makePartner(t)
    const at = new Date()
    const ask = (partnerId: string, n: number) =>
      t.database.db.insert(inquiries).values({
        tenantId: t.tenant.id,
        code: `HD-TEST-${partnerId.slice(0, 4)}-${n}`,
        partnerId,
        askerName: 'Người hỏi',
        channel: 'portal',
        kind: 'question',
        topic: `Chủ đề zqtopic ${partnerId.slice(0, 4)} ${n}`,
        question: 'Xin hỏi về vụ việc.',
        receivedAt: new Date(at.getTime() + n * 1000),
        dueAt: new Date(at.getTime() + 5 * 86_400_000),
        escalateAt: new Date(at.getTime() + 4 * 86_400_000),
        clock: {} as (typeof inquiries.$inferInsert)['clock'],
      })
    for (let n = 1; n <= 7; n++) await ask(partner.id, n)
    await ask(other.partner.id, 1)

    const res = await page(`/console/doi-tac/${partner.id}`)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Hoạt động của đối tác')
    expect(res.body).toContain('data-count="inquiries">7<')
    expect(res.body).toContain('data-count="downloads">0<')
    // The latest five, newest first; the two oldest only through the link.
    const mine = [...res.body.matchAll(/Chủ đề zqtopic \w{4} (\d)/g)].map((m) => m[1])
    expect(mine).toEqual(['7', '6', '5', '4', '3'])
    expect(res.body).toContain(`href="/console/hoi-dap?partner=${partner.id}"`)
    expect(res.body).toContain('Xem tất cả 7 câu hỏi')
    expect(res.body).toContain(`href="/console/doi-tac/tai-xuong?partner=${partner.id}"`)
    expect(res.body).toContain('Chưa tải tệp nào.')
    expect(res.body).not.toContain(`zqtopic ${other.partner.id.slice(0, 4)}`)
  })
})

describe('the expiry badge', () => {
  it('flags only live records ending today or later; past days and ended records read "đã hết hạn" or nothing', async () => {
    const set = async (id: string, day: string) =>
      t.database.db.update(partners).set({ accreditationEndsOn: day, pressCardExpiresOn: day }).where(eq(partners.id, id))
    const soon = await makePartner(t, { name: 'Zqbadge Sắp Hết' })
    const past = await makePartner(t, { name: 'Zqbadge Ngày Qua' })
    const expired = await makePartner(t, { name: 'Zqbadge Đã Hết', status: 'expired' })
    const revoked = await makePartner(t, { name: 'Zqbadge Thu Hồi', status: 'revoked' })
    await set(soon.partner.id, dayFromToday(10))
    await set(past.partner.id, dayFromToday(-3))
    await set(expired.partner.id, dayFromToday(5))
    await set(revoked.partner.id, dayFromToday(5))

    const badgeOf = (body: string, name: string) => {
      const row = body.split('<tr').find((r) => r.includes(name)) ?? ''
      return /data-(expiring|expired)="[^"]*">([^<]*)</.exec(row)?.slice(1, 3) ?? null
    }
    const list = (await page('/console/doi-tac?q=Zqbadge')).body
    expect(badgeOf(list, 'Zqbadge Sắp Hết')?.[0]).toBe('expiring')
    expect(badgeOf(list, 'Zqbadge Ngày Qua')).toEqual(['expired', expect.stringMatching(/^Đã hết hạn /)])
    // Marked expired by staff before its dates: "đã hết hạn" without a future day.
    expect(badgeOf(list, 'Zqbadge Đã Hết')).toEqual(['expired', 'Đã hết hạn'])
    expect(badgeOf(list, 'Zqbadge Thu Hồi')).toBeNull()
    expect(list).not.toMatch(/class="badge warn" data-expiring="[^"]*">Đã hết hạn/)

    // The "expiring soon" filter lists the live record ending in 10 days only.
    const filtered = (await page('/console/doi-tac?q=Zqbadge&expiring=1')).body
    expect(filtered).toContain('Zqbadge Sắp Hết')
    for (const name of ['Zqbadge Ngày Qua', 'Zqbadge Đã Hết', 'Zqbadge Thu Hồi']) expect(filtered).not.toContain(name)

    // The detail page of an expired record says so, never "expiring".
    const detail = (await page(`/console/doi-tac/${expired.partner.id}`)).body
    expect(detail).toContain('data-expired=')
    expect(detail).not.toContain('data-expiring=')
  })
})
