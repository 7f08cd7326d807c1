/**
 * Lifts in real time: a 2-second schedule publishes on time (never early, at most 1 s
 * late), and a schedule survives a restart of the app between approval and lift. Only the
 * precision tests wait for real timers; time the app is down is passed by moving the clock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { createTestDatabase } from '../../../test/support/db.ts'
import { draft, load, makeSpokesperson, submitAndApprove } from '../../../test/support/releases.ts'
import type { Database } from '../../db/index.ts'
import { freezeClock, now, resetClock } from '../../platform/clock.ts'
import { findPublicRelease } from './releases.public.ts'

async function waitFor<T>(fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('real-time lifts', () => {
  let t: TestApp
  let editor: MadeUser
  let approver: MadeUser
  let sp: string
  beforeAll(async () => {
    t = await createTestApp()
    editor = await makeUser(t, { role: 'editor' })
    approver = await makeUser(t, { role: 'approver' })
    sp = await makeSpokesperson(t)
  })
  afterAll(async () => {
    await t.close()
  })

  it.each(['schedule', 'embargo'] as const)('a 2-second %s is published never early and at most 1 s late', async (mode) => {
    const id = await draft(t, editor, { spokespersonId: sp, content: { title: `Tin hẹn giờ hai giây ${mode}` } })
    const at = new Date(Date.now() + 2000)
    await submitAndApprove(t, id, editor, approver, mode, at)
    const slug = (await load(t, id)).release.slug
    expect(await findPublicRelease(t.database.db, t.tenant.id, slug)).toBeUndefined()
    const seenAt = await waitFor(async () => ((await findPublicRelease(t.database.db, t.tenant.id, slug)) ? Date.now() : undefined), 6000)
    const r = await load(t, id)
    const publishedAt = r.published?.publishedAt as Date
    expect(publishedAt.getTime()).toBeGreaterThanOrEqual(at.getTime())
    expect(publishedAt.getTime() - at.getTime()).toBeLessThanOrEqual(1000)
    expect(seenAt - at.getTime()).toBeGreaterThanOrEqual(0)
    expect(seenAt - at.getTime()).toBeLessThanOrEqual(1000)
  })
})

describe('restart between scheduling and lift', () => {
  let database: Database
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await database.close()
  })
  afterEach(() => resetClock())

  it('publishes on time after the app was stopped and started again', async () => {
    const first = await createTestApp({}, undefined, { database })
    const editor = await makeUser(first, { role: 'editor' })
    const approver = await makeUser(first, { role: 'approver' })
    const sp = await makeSpokesperson(first)
    const id = await draft(first, editor, { spokespersonId: sp, content: { title: 'Thông cáo hẹn giờ qua lần khởi động lại' } })
    const at = new Date(Date.now() + 3000)
    await submitAndApprove(first, id, editor, approver, 'schedule', at)
    // The process goes down: no timers, no workers; nothing publishes while it is down.
    await first.close()
    expect((await load({ ...first, database }, id)).release.status).toBe('scheduled')
    // A new process starts before the lift and must publish on time.
    const second = await createTestApp({}, undefined, { database })
    try {
      const published = await waitFor(async () => {
        const r = await load(second, id)
        return r.release.status === 'published' ? r : undefined
      }, 8000)
      const publishedAt = published.published?.publishedAt as Date
      expect(publishedAt.getTime()).toBeGreaterThanOrEqual(at.getTime())
      expect(publishedAt.getTime() - at.getTime()).toBeLessThanOrEqual(1000)
    } finally {
      await second.close()
    }
  })

  it('publishes an overdue lift at start-up when the process was down at the lift time', async () => {
    const first = await createTestApp({}, undefined, { database })
    const editor = await makeUser(first, { role: 'editor' })
    const approver = await makeUser(first, { role: 'approver' })
    const sp = await makeSpokesperson(first)
    const id = await draft(first, editor, { spokespersonId: sp, content: { title: 'Thông cáo quá hạn khi máy chủ dừng' } })
    // The lift is an hour away; the process is down for two hours (the clock moves, no sleep).
    const at = new Date(now().getTime() + 60 * 60_000)
    await submitAndApprove(first, id, editor, approver, 'embargo', at)
    await first.close()
    freezeClock(new Date(at.getTime() + 60 * 60_000))
    expect((await load({ ...first, database }, id)).release.status).toBe('embargoed')
    const second = await createTestApp({}, undefined, { database })
    try {
      const r = await load(second, id)
      expect(r.release.status).toBe('published')
      // Published by the start-up sweep at the (moved) current time, not at the lift time.
      expect(r.published?.publishedAt?.getTime()).toBe(now().getTime())
    } finally {
      await second.close()
    }
  })
})
