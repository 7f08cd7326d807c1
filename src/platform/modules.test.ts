/**
 * Module manifests and domain events, through a tiny example module added with one line
 * (test/support/example-module): its route, menu entry, policy, audit action, error code,
 * catalogues and migration work, and its subscriber hears decisions of other modules once.
 */
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exampleModule } from '../../test/support/example-module/index.ts'
import { createTestApp, loginAs, makeUser, type MadeUser, type TestApp } from '../../test/support/app.ts'
import { draft, load, makeSealedCase, makeSpokesperson, submitAndApprove } from '../../test/support/releases.ts'
import { migrate, withTransaction } from '../db/index.ts'
import { unsafeLoadCase } from '../modules/cases/cases.repository.ts'
import { clearCase } from '../modules/cases/commands/clear-case.ts'
import { withdrawRelease } from '../modules/releases/commands/withdraw-release.ts'
import { MODULES } from '../modules.ts'
import { auditEvents } from './audit/audit.tables.ts'
import { deliverEvent, dispatchEvents, emitEvent } from './domain-events/index.ts'
import { domainEventDeliveries, domainEvents } from './domain-events/domain-events.tables.ts'
import { installModules, moduleMigrationDirs } from './modules.ts'

let t: TestApp
let editor: MadeUser
let approver: MadeUser
let officer: MadeUser
let spokespersonId: string

/** Waits until `check` returns a truthy value (event delivery is asynchronous: jobs). */
async function eventually<T>(check: () => Promise<T | undefined | false>, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await check()
    if (v) return v as T
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('condition not reached')
}

const notes = async (type?: string) =>
  (
    await t.database.db.execute<{ event_id: number; event_type: string; subject_id: string }>(
      sql`SELECT event_id, event_type, subject_id FROM example_notes ${type ? sql`WHERE event_type = ${type}` : sql``} ORDER BY event_id`,
    )
  ).rows

beforeAll(async () => {
  // The one line that adds a module.
  installModules([...MODULES, exampleModule])
  t = await createTestApp()
  // What the runtime does at start: the module's migration runs with the others.
  const applied = await migrate(t.database.pool, moduleMigrationDirs())
  expect(applied).toEqual(['0900_example_notes.sql'])
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  officer = await makeUser(t, { role: 'officer' })
  spokespersonId = await makeSpokesperson(t)
})

afterAll(async () => {
  await t?.close()
  installModules(MODULES)
})

describe('a module added with one line', () => {
  it('serves its route under its own policy, and shows its menu entry to those it allows', async () => {
    const a = await loginAs(t, approver)
    const page = await t.app.inject({ method: 'GET', url: '/console/example', headers: { ...a.headers, accept: 'application/json' } })
    expect(page.statusCode).toBe(200)
    expect(page.json()).toEqual({ title: 'Trang của mô-đun ví dụ' })
    const dash = await t.app.inject({ method: 'GET', url: '/console', headers: a.headers })
    expect(dash.body).toContain('href="/console/example"')
    expect(dash.body).toContain('Ví dụ')

    const e = await loginAs(t, editor)
    const refused = await t.app.inject({ method: 'GET', url: '/console/example', headers: { ...e.headers, accept: 'application/json' } })
    expect(refused.statusCode).toBe(403)
    const editorDash = await t.app.inject({ method: 'GET', url: '/console', headers: e.headers })
    expect(editorDash.body).not.toContain('href="/console/example"')
  })

  it('adds its waiting items to the approvals inbox and to the menu count with one manifest field', async () => {
    const a = await loginAs(t, approver)
    const inbox = await t.app.inject({ method: 'GET', url: '/console/approvals', headers: a.headers })
    expect(inbox.statusCode).toBe(200)
    expect(inbox.body).toContain('Mục ví dụ đang chờ duyệt')
    expect(inbox.body).toContain('Việc ví dụ')
    expect(inbox.body).toMatch(/data-menu="approvals">Chờ duyệt <span class="nav-count" data-count="1">1<\/span>/)
    // The editor approves nothing here either: no inbox.
    const e = await loginAs(t, editor)
    expect((await t.app.inject({ method: 'GET', url: '/console/approvals', headers: e.headers })).statusCode).toBe(403)
  })

  it('raises its own error code with its status and both messages from its catalogues', async () => {
    const a = await loginAs(t, approver)
    const res = await t.app.inject({ method: 'GET', url: '/console/example/refuse', headers: { ...a.headers, accept: 'application/json' } })
    expect(res.statusCode).toBe(409)
    expect(JSON.stringify(res.json())).toContain('Mô-đun ví dụ từ chối yêu cầu này.')
    expect(JSON.stringify(res.json())).toContain('The example module refuses this request.')
  })

  it('refuses a second module of the same name, and an error code declared twice', () => {
    expect(() => installModules([...MODULES, exampleModule, { ...exampleModule }])).toThrow(/listed twice/)
    expect(() => installModules([...MODULES, exampleModule, { name: 'other', errors: { EXAMPLE_REFUSED: 400 } }])).toThrow(/declared twice/)
    installModules([...MODULES, exampleModule])
  })
})

describe('domain events', () => {
  it('a publication reaches the subscriber of another module once, with its audit row', async () => {
    const id = await draft(t, editor, { spokespersonId })
    await submitAndApprove(t, id, editor, approver, 'now')
    const [note] = await eventually(async () => {
      const rows = (await notes('release.published')).filter((n) => n.subject_id === id)
      return rows.length > 0 ? rows : undefined
    })
    const [event] = await t.database.db
      .select()
      .from(domainEvents)
      .where(eq(domainEvents.id, Number(note?.event_id)))
    expect(event?.type).toBe('release.published')
    expect(event?.actorId).toBe(approver.id)
    expect(event?.payload).toMatchObject({ releaseId: id, edition: 1, forced: false })
    expect(event?.dispatchedAt).not.toBeNull()
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'example.noted'))
    expect(audit.some((r) => r.subjectId === id)).toBe(true)

    // A repeated delivery (a retried or doubled job) does nothing: the effect happened once.
    expect(await deliverEvent(t.database, Number(note?.event_id), 'example.note-taker')).toBe(false)
    expect((await notes('release.published')).filter((n) => n.subject_id === id)).toHaveLength(1)
  })

  it('an event of a decision that rolled back never exists', async () => {
    const before = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(domainEvents)
    await expect(
      withTransaction(t.database.pool, async (tx) => {
        await emitEvent(tx, {
          tenantId: t.tenant.id,
          type: 'release.withdrawn',
          subjectType: 'release',
          subjectId: 'x',
          payload: { releaseId: 'x', kind: 'press_release', caseId: null, category: 'other', reason: 'rolled back', textRemoved: true },
        })
        throw new Error('the decision failed')
      }),
    ).rejects.toThrow('the decision failed')
    const after = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(domainEvents)
    expect(after[0]?.n).toBe(before[0]?.n)
  })

  it('a withdrawal is recorded for subscribers; events nobody handles are dispatched to no one', async () => {
    const id = await draft(t, editor, { spokespersonId })
    await submitAndApprove(t, id, editor, approver, 'now')
    await withTransaction(t.database.pool, async (tx) =>
      withdrawRelease({
        tx,
        release: await load(t, id),
        actor: { id: approver.id, label: approver.email },
        category: 'factual_error',
        reason: 'Thông tin cần được cập nhật lại.',
        confirmed: true,
      }),
    )
    const [withdrawn] = await eventually(async () => {
      const rows = await t.database.db.select().from(domainEvents).where(eq(domainEvents.type, 'release.withdrawn'))
      const mine = rows.filter((r) => r.subjectId === id && r.dispatchedAt)
      return mine.length ? mine : undefined
    })
    expect(withdrawn?.payload).toMatchObject({ releaseId: id, reason: 'Thông tin cần được cập nhật lại.' })
    const deliveries = await t.database.db
      .select()
      .from(domainEventDeliveries)
      .where(eq(domainEventDeliveries.eventId, Number(withdrawn?.id)))
    expect(deliveries).toHaveLength(0)
  })

  it('clearing a sealed case reaches the subscriber with the cleared facts only', async () => {
    const caseId = await makeSealedCase(t, officer)
    const approverMember = await makeUser(t, { role: 'approver' })
    await t.database.db.execute(
      sql`INSERT INTO case_members (tenant_id, case_id, user_id, added_by) VALUES (${t.tenant.id}, ${caseId}, ${approverMember.id}, ${officer.id})`,
    )
    await withTransaction(t.database.pool, async (tx) =>
      clearCase({
        tx,
        case: (await unsafeLoadCase(tx, t.tenant.id, caseId)) as NonNullable<Awaited<ReturnType<typeof unsafeLoadCase>>>,
        actor: { id: approverMember.id, label: approverMember.email },
        scope: 'Toàn bộ kết quả chuyên án được công bố.',
        groundLifted: 'Bí mật điều tra',
      }),
    )
    await eventually(async () => (await notes('case.cleared')).some((n) => n.subject_id === caseId))
    const [event] = await t.database.db.select().from(domainEvents).where(eq(domainEvents.subjectId, caseId))
    expect(Object.keys(event?.payload ?? {}).sort()).toEqual(['caseId', 'clearedAt', 'clearedBy', 'code', 'groundLifted', 'scope', 'title'])
    expect(JSON.stringify(event?.payload)).not.toContain('Điều 13')
  })

  it('the dispatcher claims each event once even when two dispatch at the same time', async () => {
    await withTransaction(t.database.pool, async (tx) => {
      for (let i = 0; i < 5; i++) {
        await emitEvent(tx, {
          tenantId: t.tenant.id,
          type: 'case.cleared',
          subjectType: 'case',
          subjectId: `race-${i}`,
          payload: {
            caseId: `race-${i}`,
            code: 'X',
            title: 'X',
            scope: 'X',
            groundLifted: 'X',
            clearedBy: 'x',
            clearedAt: new Date().toISOString(),
          },
        })
      }
    })
    const [a, b] = await Promise.all([dispatchEvents(t.database), dispatchEvents(t.database)])
    // The background dispatcher may have taken some first; together nobody took one twice.
    expect((a ?? 0) + (b ?? 0)).toBeLessThanOrEqual(5)
    await eventually(async () => (await notes('case.cleared')).filter((n) => n.subject_id.startsWith('race-')).length === 5)
    await new Promise((r) => setTimeout(r, 1500))
    expect((await notes('case.cleared')).filter((n) => n.subject_id.startsWith('race-'))).toHaveLength(5)
  })
})
