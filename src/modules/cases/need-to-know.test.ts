/**
 * The list functions agree with the policy. On a generated set of cases (sealed, cleared,
 * closed; different members), releases linked to each and unlinked, and staff of every role
 * inside and outside each circle, every list's SQL where-clause must return exactly the
 * records that `can(actor, 'read', …)` allows, and the audit log must mask exactly the rows
 * whose subject the policy hides: the case list, the release list (and so the calendar and
 * the approval queue), the audit log and the dashboard's overdue counter; and an admin's
 * "cases you are not in" (existence only) is exactly what can('see-existence') allows. Two admins are in
 * by break-glass: one current, one expired (which must count as no membership anywhere).
 */
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { draft, makeSealedCase, makeSpokesperson } from '../../../test/support/releases.ts'
import { withTransaction } from '../../db/index.ts'
import { listAuditEvents, recordAudit } from '../../platform/audit/index.ts'
import { type Actor, can, STAFF_ROLES } from '../../platform/policy/index.ts'
import { auditActorRole, auditMaskedFor, countOverdueReleasesFor } from '../console/console.queries.ts'
import { listReleasesFor, releaseSubject, unsafeLoadRelease } from '../releases/releases.repository.ts'
import { releases } from '../releases/releases.tables.ts'
import { clearCase, closeCase } from './commands/clear-case.ts'
import { addCaseMember } from './commands/manage-case-members.ts'
import { breakGlass } from './commands/break-glass.ts'
import { caseMembers } from './cases.tables.ts'
import { caseSubject, listCaseExistenceFor, listCasesFor, unsafeLoadCase } from './cases.repository.ts'

const DAY = 86_400_000
let t: TestApp
const people: MadeUser[] = []
const caseIds: string[] = []
const releaseIds: string[] = []
const asActor = (u: MadeUser): Actor => ({ id: u.id, tenantId: t.tenant.id, role: u.role, email: u.email })
const who = (u: MadeUser) => ({ id: u.id, label: u.email })
/** A case with members (fixture reads: no access check). */
async function loadCase(id: string, db: Parameters<typeof unsafeLoadCase>[0] = t.database.db) {
  const c = await unsafeLoadCase(db, t.tenant.id, id)
  if (!c) throw new Error(`case ${id} not found`)
  return c
}
async function loadRelease(id: string) {
  const r = await unsafeLoadRelease(t.database.db, t.tenant.id, id)
  if (!r) throw new Error(`release ${id} not found`)
  return r
}

beforeAll(async () => {
  t = await createTestApp()
  // Two people of every staff role.
  for (const role of STAFF_ROLES) for (let i = 0; i < 2; i++) people.push(await makeUser(t, { role }))
  const leads = people.filter((p) => p.role === 'approver')
  const sp = await makeSpokesperson(t)
  const writer = people.find((p) => p.role === 'editor') as MadeUser
  // Nine cases: three of each state, each with a different circle (person i is a member of
  // case k when (i + k) % 3 === 0, besides the lead).
  for (let k = 0; k < 9; k++) {
    const lead = leads[k % 2] as MadeUser
    const id = await makeSealedCase(t, lead, `CA-NTK-${k}`)
    caseIds.push(id)
    for (const [i, p] of people.entries()) {
      if (p.id === lead.id || (i + k) % 3 !== 0) continue
      await withTransaction(t.database.pool, async (tx) =>
        addCaseMember({ tx, case: await loadCase(id, tx), actor: who(lead), email: p.email }),
      )
    }
    releaseIds.push(await draft(t, writer, { spokespersonId: sp, caseId: id, content: { title: `Tin của chuyên án số ${k}` } }))
    // A delegation for the case: linked by the audit row's summary only.
    await withTransaction(t.database.pool, (tx) =>
      recordAudit(tx, {
        tenantId: t.tenant.id,
        actor: who(lead),
        action: 'spokesperson.delegated',
        subjectType: 'spokesperson',
        subjectId: sp,
        summary: { delegateName: `Người được ủy quyền ${k}`, caseId: id },
      }),
    )
    if (k % 3 === 0) continue
    await withTransaction(t.database.pool, async (tx) =>
      clearCase({
        tx,
        case: await loadCase(id, tx),
        actor: who(lead),
        scope: 'Được công bố kết quả điều tra.',
        groundLifted: 'Bí mật điều tra',
      }),
    )
    if (k % 3 === 2) await withTransaction(t.database.pool, async (tx) => closeCase({ tx, case: await loadCase(id, tx), actor: who(lead) }))
  }
  for (let k = 0; k < 3; k++)
    releaseIds.push(await draft(t, writer, { spokespersonId: sp, content: { title: `Tin không gắn chuyên án ${k}` } }))
  // Break-glass admins (no ordinary membership): into sealed case 0 (current) and sealed case 3
  // (its expiry then moved into the past: a fixture state, the expiry itself is tested in
  // break-glass.test.ts).
  const reason = 'Kiểm tra khẩn cấp theo yêu cầu của Ban Giám đốc Công an tỉnh.'
  for (const k of [0, 3]) {
    const a = await makeUser(t, { role: 'admin' })
    people.push(a)
    await withTransaction(t.database.pool, (tx) =>
      breakGlass({ tx, actor: { ...asActor(a), label: a.email }, code: `CA-NTK-${k}`, reason }),
    )
    if (k === 3)
      await t.database.db
        .update(caseMembers)
        .set({ expiresAt: new Date(Date.now() - 60_000) })
        .where(eq(caseMembers.userId, a.id))
  }
  // Every release scheduled in two days (a fixture state: the counter is what is tested, asked
  // about an instant after that; the lift scheduler, on the real clock, leaves them alone).
  await t.database.db
    .update(releases)
    .set({ status: 'scheduled', publishAt: new Date(Date.now() + 2 * DAY) })
    .where(eq(releases.tenantId, t.tenant.id))
})
afterAll(async () => {
  await t.close()
})

/** What the policy says `actor` may read, record by record. */
async function allowedCases(actor: Actor): Promise<string[]> {
  const out: string[] = []
  for (const id of caseIds) if (can(actor, 'read', caseSubject(await loadCase(id)))) out.push(id)
  return out.sort()
}
async function allowedReleases(actor: Actor): Promise<string[]> {
  const out: string[] = []
  for (const id of releaseIds) if (can(actor, 'read', releaseSubject(await loadRelease(id)))) out.push(id)
  return out.sort()
}

describe('list functions agree with the policy', () => {
  it('the generated set covers every situation', async () => {
    // Some sealed cases are hidden from some people of every role, admins included, and seen by others.
    for (const role of STAFF_ROLES) {
      const ofRole = people.filter((p) => p.role === role)
      const seen = await Promise.all(ofRole.map(async (p) => (await allowedCases(asActor(p))).length))
      expect(Math.min(...seen), role).toBeLessThan(caseIds.length)
    }
    const counts = await Promise.all(people.map(async (p) => (await allowedCases(asActor(p))).length))
    expect(new Set(counts).size).toBeGreaterThan(1)
    // The break-glass admins: the current one sees sealed case 0, the expired one not case 3.
    const [current, expired] = people.slice(-2) as [MadeUser, MadeUser]
    expect(await allowedCases(asActor(current))).toContain(caseIds[0])
    expect(await allowedCases(asActor(expired))).not.toContain(caseIds[3])
  })

  it('cases: listCasesFor returns exactly what can(read) allows, for every person', async () => {
    for (const p of people) {
      const listed = (await listCasesFor(t.database.db, asActor(p))).map((c) => c.id).filter((id) => caseIds.includes(id))
      expect(listed.sort(), `${p.role} ${p.email}`).toEqual(await allowedCases(asActor(p)))
    }
  })

  it('existence: listCaseExistenceFor returns exactly the cases can(see-existence) allows (admins), none the person reads', async () => {
    let admins = 0
    for (const p of people) {
      const actor = asActor(p)
      const known: string[] = []
      for (const id of caseIds) {
        const c = await loadCase(id)
        if (can(actor, 'see-existence', caseSubject(c))) known.push(c.case.code)
      }
      const listed = (await listCaseExistenceFor(t.database.db, actor)).map((c) => c.code).filter((code) => code.startsWith('CA-NTK-'))
      expect(listed.sort(), `${p.role} ${p.email}`).toEqual(known.sort())
      // Never a case the person reads in full, and together they cover every sealed case for an admin.
      const read = new Set((await listCasesFor(t.database.db, actor)).map((c) => c.code))
      for (const code of listed) expect(read.has(code), code).toBe(false)
      if (p.role === 'admin') {
        admins++
        const sealed = (await Promise.all(caseIds.map((id) => loadCase(id))))
          .filter((c) => c.case.state === 'sealed')
          .map((c) => c.case.code)
        for (const code of sealed) expect(read.has(code) || listed.includes(code), code).toBe(true)
      } else expect(listed, p.role).toEqual([])
    }
    expect(admins).toBeGreaterThan(1)
  })

  it('releases: listReleasesFor (console lists, calendar) returns exactly what can(read) allows', async () => {
    for (const p of people) {
      const listed = (await listReleasesFor(t.database.db, asActor(p), { limit: 1000 })).map((r) => r.id)
      expect(listed.sort(), `${p.role} ${p.email}`).toEqual(await allowedReleases(asActor(p)))
    }
  })

  it('dashboard: the overdue counter counts exactly the releases can(read) allows', async () => {
    const later = new Date(Date.now() + 3 * DAY)
    for (const p of people)
      expect(await countOverdueReleasesFor(t.database.db, asActor(p), later), p.email).toBe((await allowedReleases(asActor(p))).length)
  })

  it('audit log: a row is masked exactly when the policy hides its subject or the case it names', async () => {
    const visibleCase = new Map<string, Set<string>>()
    for (const p of people) visibleCase.set(p.id, new Set(await allowedCases(asActor(p))))
    for (const p of people) {
      const actor = asActor(p)
      const rows = await listAuditEvents(t.database.db, {
        tenantId: t.tenant.id,
        limit: 10_000,
        maskedWhen: auditMaskedFor(actor),
        actorRole: auditActorRole,
      })
      expect(rows.length).toBeGreaterThan(9 * 3)
      const sees = visibleCase.get(p.id) as Set<string>
      const allowedRel = new Set(await allowedReleases(actor))
      // The full rows, read without masking, say what each row is about.
      const raw = await listAuditEvents(t.database.db, { tenantId: t.tenant.id, limit: 10_000, maskedWhen: sql`false` })
      const byId = new Map(raw.map((r) => [r.id, r]))
      for (const row of rows) {
        const full = byId.get(row.id) as (typeof raw)[number]
        let hidden = false
        if (full.subjectType === 'case' && caseIds.includes(full.subjectId as string)) hidden = !sees.has(full.subjectId as string)
        if (full.subjectType === 'release' && releaseIds.includes(full.subjectId as string))
          hidden = !allowedRel.has(full.subjectId as string)
        const named = full.summary.caseId
        if (typeof named === 'string' && caseIds.includes(named) && !sees.has(named)) hidden = true
        expect(row.masked, `${p.role} sees #${full.seq} ${full.action}`).toBe(hidden)
        if (hidden) {
          expect(row).toMatchObject({ actorLabel: null, actorId: null, subjectId: null, summary: {}, ip: null })
          if (full.actorId) expect(row.actorRole).toBe(people.find((x) => x.id === full.actorId)?.role)
        } else expect(row.summary).toEqual(full.summary)
      }
    }
  })
})
