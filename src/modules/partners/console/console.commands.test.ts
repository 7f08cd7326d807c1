/**
 * The console's own commands, called directly: edits keep keys that came with a merge, are
 * refused to officers and on merged records with nothing written; outlet edits that change
 * nothing write nothing; a channel is removed only through its own partner.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import type { Actor } from '../../../platform/policy/index.ts'
import { addPartnerChannel } from '../commands/add-partner-channel.ts'
import { createPartner } from '../commands/create-partner.ts'
import { createPressOutlet } from '../commands/create-press-outlet.ts'
import { mergePartners } from '../commands/merge-partners.ts'
import { removePartnerChannel } from '../commands/remove-partner-channel.ts'
import { updatePartner } from '../commands/update-partner.ts'
import { updatePressOutlet } from '../commands/update-press-outlet.ts'
import { partnerChannels, partnerKeys, partners } from '../partners.tables.ts'

let t: TestApp
let editor: Actor
let officer: Actor

beforeAll(async () => {
  t = await createTestApp()
  const e = await makeUser(t, { role: 'editor' })
  const o = await makeUser(t, { role: 'officer' })
  editor = { id: e.id, tenantId: t.tenant.id, role: 'editor', email: e.email }
  officer = { id: o.id, tenantId: t.tenant.id, role: 'officer', email: o.email }
})
afterAll(async () => {
  await t.close()
})

const tx = <T>(fn: Parameters<typeof withTransaction<T>>[1]) => withTransaction(t.database.pool, fn)
const auditCount = async (id: string) => (await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, id))).length

describe('console commands', () => {
  it('an edit may take up a key the record already holds from a merge, and releases only its own old value', async () => {
    const { id: keep } = await tx((x) =>
      createPartner({ tx: x, actor: editor, input: { kind: 'journalist', name: 'Lê Thị Mai', email: 'mai@bao.vn' } }),
    )
    const { id: dup } = await tx((x) =>
      createPartner({
        tx: x,
        actor: editor,
        input: { kind: 'journalist', name: 'Lê Thị Mai', email: 'mai.le@gmail.com', phone: '0901 234 567' },
      }),
    )
    await tx((x) => mergePartners({ tx: x, actor: editor, survivorId: keep, duplicateId: dup, reason: 'Cùng một nhà báo' }))
    // The survivor took the phone (its blank) and holds the duplicate's e-mail as a key.
    const res = await tx((x) =>
      updatePartner({
        tx: x,
        actor: editor,
        partnerId: keep,
        input: { name: 'Lê Thị Mai', email: 'mai.le@gmail.com', phone: '0901234567' },
      }),
    )
    expect(res.changed).toEqual(['email'])
    const keys = await t.database.db.select().from(partnerKeys).where(eq(partnerKeys.partnerId, keep))
    // Its old own address is released; the merged-in keys stay.
    expect(keys.map((k) => `${k.kind}:${k.value}`).sort()).toEqual(['email:mai.le@gmail.com', 'phone:0901234567'])
  })

  it('refuses officers and merged records, writing nothing', async () => {
    const { id } = await tx((x) =>
      createPartner({ tx: x, actor: editor, input: { kind: 'journalist', name: 'Hà Văn Sơn', email: 'son@bao.vn' } }),
    )
    const before = await auditCount(id)
    await expect(
      tx((x) => updatePartner({ tx: x, actor: officer, partnerId: id, input: { name: 'Hà Văn Sơn', email: 'other@bao.vn' } })),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const [row] = await t.database.db.select().from(partners).where(eq(partners.id, id))
    expect(row?.email).toBe('son@bao.vn')
    expect(await auditCount(id)).toBe(before)
    const { id: other } = await tx((x) =>
      createPartner({ tx: x, actor: editor, input: { kind: 'journalist', name: 'Hà Sơn', phone: '0988 777 666' } }),
    )
    await tx((x) => mergePartners({ tx: x, actor: editor, survivorId: id, duplicateId: other }))
    await expect(
      tx((x) => updatePartner({ tx: x, actor: editor, partnerId: other, input: { name: 'X Y', phone: '0988777666' } })),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
  })

  it('an outlet edit that changes nothing writes nothing; a bad website is refused', async () => {
    const input = { name: 'Báo Văn hoá và Đời sống', kind: 'newspaper' as const, website: 'https://vhds.example.vn' }
    const { id } = await tx((x) => createPressOutlet({ tx: x, actor: editor, input }))
    expect((await tx((x) => updatePressOutlet({ tx: x, actor: editor, outletId: id, input }))).changed).toEqual([])
    expect(await auditCount(id)).toBe(1)
    await expect(
      tx((x) => updatePressOutlet({ tx: x, actor: editor, outletId: id, input: { ...input, website: 'javascript:x' } })),
    ).rejects.toMatchObject({
      code: 'PARTNER_INVALID',
    })
  })

  it('removes a channel only through its own partner, and refuses channels on journalists', async () => {
    const { id: a } = await tx((x) =>
      createPartner({ tx: x, actor: editor, input: { kind: 'influencer', name: 'Kênh A', email: 'a@kenh.vn' } }),
    )
    const { id: b } = await tx((x) =>
      createPartner({ tx: x, actor: editor, input: { kind: 'influencer', name: 'Kênh B', email: 'b@kenh.vn' } }),
    )
    const { id: channelId } = await tx((x) =>
      addPartnerChannel({
        tx: x,
        actor: editor,
        partnerId: a,
        channel: { platform: 'facebook', url: 'https://facebook.com/kenh.a', followers: 10 },
      }),
    )
    await expect(tx((x) => removePartnerChannel({ tx: x, actor: editor, partnerId: b, channelId }))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    expect(await t.database.db.select().from(partnerChannels).where(eq(partnerChannels.id, channelId))).toHaveLength(1)
    const { id: j } = await tx((x) =>
      createPartner({ tx: x, actor: editor, input: { kind: 'journalist', name: 'Nhà báo C', email: 'c@bao.vn' } }),
    )
    await expect(
      tx((x) => addPartnerChannel({ tx: x, actor: editor, partnerId: j, channel: { platform: 'zalo', url: 'https://zalo.me/c' } })),
    ).rejects.toMatchObject({ code: 'PARTNER_INVALID' })
  })
})
