/**
 * The public rule of warnings on a real database: a published warning is listed with its
 * snapshot and its CAP message validates; a draft is invisible; a closed warning about a
 * person shows only that it was closed, and its earlier CAP messages are gone.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../test/support/app.ts'
import { withTransaction } from '../../db/index.ts'
import { validateCap } from './cap/cap.test-support.ts'
import { capXmlOfVersion } from './cap/cap-of.ts'
import { publishVersion } from './commands/publish-version.ts'
import { makeDraftWarning, makePublishedWarning } from './warnings.test-support.ts'
import { publicWarningBySlug, publicWarningHistory, publicWarnings } from './warnings.public.ts'
import { warnings } from './warnings.tables.ts'

let t: TestApp

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})

describe('public warnings', () => {
  it('lists a published warning, never a draft, and its CAP Alert validates', async () => {
    const draft = await makeDraftWarning(t.database, t.tenant.id, { titleVi: 'Bản nháp chưa duyệt không được lộ ra' })
    const w = await makePublishedWarning(t.database, t.tenant.id)
    const list = await publicWarnings(t.database.db, t.tenant.id)
    expect(list.map((x) => x.id)).toContain(w.id)
    expect(list.map((x) => x.id)).not.toContain(draft.id)
    expect(await publicWarningBySlug(t.database.db, t.tenant.id, draft.slug)).toEqual({ kind: 'none' })
    const xml = await capXmlOfVersion(t.database.db, t.tenant.id, w.id, 1, t.config.publicUrl)
    expect(xml).toContain('<msgType>Alert</msgType>')
    expect(await validateCap(xml as string)).toEqual({ valid: true, errors: [] })
  })

  it('a closed missing-person warning shows only that it was closed; its Alert is gone, its Cancel names no one', async () => {
    const w = await makePublishedWarning(t.database, t.tenant.id, {
      kind: 'missing_person',
      level: 'advisory',
      titleVi: 'Tìm người mất tích: cháu Lê Văn Bình, 12 tuổi',
      descriptionVi: 'Cháu Lê Văn Bình rời nhà ở xã Đông Tiến chiều 3/12, mặc áo đồng phục trường.',
    })
    await withTransaction(t.database.pool, async (tx) => {
      const [locked] = await tx.select().from(warnings).where(eq(warnings.id, w.id)).for('update')
      const at = new Date()
      await publishVersion(tx, {
        warning: locked as typeof warnings.$inferSelect,
        state: 'closed',
        publishedBy: null,
        approvedBy: null,
        urgent: false,
        set: { closedAt: at, closeReason: 'found' },
      })
    })
    const seen = await publicWarningBySlug(t.database.db, t.tenant.id, w.slug)
    expect(seen.kind).toBe('closed')
    expect(JSON.stringify(seen)).not.toContain('Bình')
    expect((await publicWarnings(t.database.db, t.tenant.id, { ended: true })).map((x) => x.id)).not.toContain(w.id)
    expect(await publicWarningHistory(t.database.db, t.tenant.id, w.id)).toEqual([])
    expect(await capXmlOfVersion(t.database.db, t.tenant.id, w.id, 1, t.config.publicUrl)).toBeNull()
    const cancel = (await capXmlOfVersion(t.database.db, t.tenant.id, w.id, 2, t.config.publicUrl)) as string
    expect(cancel).toContain('<msgType>Cancel</msgType>')
    expect(cancel).not.toContain('Bình')
    expect(await validateCap(cancel)).toEqual({ valid: true, errors: [] })
  })
})
