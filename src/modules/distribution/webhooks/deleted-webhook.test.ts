/**
 * An endpoint its owner deleted (portal) carries `deleted_at` and drops out everywhere endpoints
 * are listed, counted, re-enabled or sent to: the staff's webhook page, the staff's re-enable
 * (404, not "already active" or a revival), the overview's "disabled endpoints" count, the test
 * ping, and the recipients' webhooks. Real HTTP routes and PostgreSQL.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { withTransaction } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { endpointHealth } from '../console/item.queries.ts'
import { distributionWebhooks } from '../distribution.tables.ts'
import { ensureBuiltinLists, resolveRecipients } from '../lists/recipients.ts'
import { queueTestPing } from './commands/send-test-ping.ts'

let t: TestApp
let approver: Login

beforeAll(async () => {
  t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' })
  approver = await loginAs(t, await makeUser(t, { role: 'approver' }))
})
afterAll(async () => {
  await t?.close()
})

const post = (p: MadePartner, url: string, fields: Record<string, string> = {}) => {
  const f = form({ _csrf: p.login.csrf, ...fields })
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: p.login.cookie } })
}
const hooksOf = (partnerId: string) =>
  t.database.db.select().from(distributionWebhooks).where(eq(distributionWebhooks.partnerId, partnerId))

describe('a deleted endpoint', () => {
  it('is gone from every list, count, re-enable and send, and the row stays with deleted_at', async () => {
    const p = await makePartner(t)
    expect((await post(p, '/doi-tac/nhan-tin/webhook', { url: 'http://127.0.0.1:9/zqdeleted' })).statusCode).toBe(200)
    const [hook] = await hooksOf(p.partner.id)
    const id = hook?.id as string
    const consolePage = () => t.app.inject({ method: 'GET', url: '/console/phan-phoi/webhook', headers: approver.headers })
    expect((await consolePage()).body).toContain(`data-webhook="${id}"`)
    const before = await endpointHealth(t.database.db, t.tenant.id)

    expect((await post(p, `/doi-tac/nhan-tin/webhook/${id}/xoa`)).statusCode).toBe(303)
    const [after] = await hooksOf(p.partner.id)
    expect(after?.deletedAt).toBeInstanceOf(Date)
    expect(after?.state).toBe('disabled')

    // The staff's page and the overview's count of endpoints needing attention.
    expect((await consolePage()).body).not.toContain(`data-webhook="${id}"`)
    expect(await endpointHealth(t.database.db, t.tenant.id)).toEqual(before)

    // Staff cannot bring it back: it is not found (not "already active", not revived).
    const reenable = await t.app.inject({
      method: 'POST',
      url: `/console/phan-phoi/webhook/${id}/bat-lai`,
      payload: new URLSearchParams({ reason: 'Đối tác nhờ bật lại', _csrf: approver.csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...approver.headers },
    })
    expect(reenable.statusCode).toBe(404)
    expect((await hooksOf(p.partner.id))[0]).toMatchObject({ state: 'disabled' })

    // No test ping to it.
    await expect(
      withTransaction(t.database.pool, (tx) =>
        queueTestPing(tx, { tenantId: t.tenant.id, partnerId: p.partner.id, webhookId: id, actorUserId: p.user.id }),
      ),
    ).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === 'DISTRIBUTION_NOT_FOUND')

    // The fan-out's recipients carry no deleted endpoint (the partner is still reached otherwise).
    const lists = await ensureBuiltinLists(t.database.db, t.tenant.id)
    const { included } = await resolveRecipients(t.database.db, t.tenant.id, [lists.accreditedPress])
    const me = included.find((r) => r.partnerId === p.partner.id)
    expect(me).toBeDefined()
    expect(me?.webhooks.map((w) => w.id)).not.toContain(id)
  })

  it('does not count towards the partner’s limit, and the partner’s page no longer lists it', async () => {
    const p = await makePartner(t)
    await post(p, '/doi-tac/nhan-tin/webhook', { url: 'http://127.0.0.1:9/zqgone' })
    const [hook] = await hooksOf(p.partner.id)
    await post(p, `/doi-tac/nhan-tin/webhook/${hook?.id}/xoa`)
    const page = await t.app.inject({ method: 'GET', url: '/doi-tac/nhan-tin/webhook', headers: { cookie: p.login.cookie } })
    expect(page.body).not.toContain('zqgone')
    for (let i = 0; i < 3; i++)
      expect((await post(p, '/doi-tac/nhan-tin/webhook', { url: `http://127.0.0.1:9/zqnew${i}` })).statusCode).toBe(200)
    expect((await hooksOf(p.partner.id)).filter((h) => h.deletedAt === null)).toHaveLength(3)
  })
})
