/**
 * `donghanh seed-demo --manifest FILE` on an empty database: realistic accounts of every
 * role, marked demo, with a manifest a tester can sign in with; refused twice and in
 * production.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../../test/support/db.ts'
import type { Database } from '../../db/index.ts'
import { totpNow } from '../../platform/auth/secrets.ts'
import { ROLES } from '../../platform/policy/index.ts'
import type { DemoManifest } from './seed-demo.ts'

const run = promisify(execFile)
let database: Database
let dir: string

beforeAll(async () => {
  database = await createTestDatabase()
  dir = await mkdtemp(path.join(tmpdir(), 'donghanh-seed-'))
})
afterAll(async () => {
  await database.close()
  await rm(dir, { recursive: true, force: true })
})

const cli = (args: string[], env: Record<string, string> = {}) =>
  run('npx', ['tsx', 'src/main.ts', ...args], { env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test', ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )

/** `key → n` of a two-column count query. */
async function counts(text: string, params: unknown[] = []): Promise<Record<string, number>> {
  const rows = (await database.pool.query<{ k: string; n: number }>(text, params)).rows
  return Object.fromEntries(rows.map((r) => [r.k, r.n]))
}

/** What the warnings demo made (issue 17, item 7): every public state, CAP paths, versions as decided. */
async function expectDemoWarnings(m: DemoManifest) {
  const items = m.items.filter((i) => i.kind === 'warning')
  expect(items.map((i) => i.state).sort()).toEqual(['active', 'active', 'cancelled', 'closed', 'draft', 'updated', 'active'].sort())
  for (const i of items) {
    if (i.state === 'draft') {
      expect([i.url, i.cap]).toEqual([null, null])
      continue
    }
    expect(i.url).toMatch(/^\/canh-bao\/[a-z0-9-]+$/)
    expect(i.cap).toBe(`${i.url}/cap.xml`)
  }
  // A closed warning about a person is listed by its code, never by the name in its title.
  const closed = items.find((i) => i.state === 'closed')
  expect(closed?.title).toMatch(/^CB-\d{4}-\d{4}$/)
  const versions = await counts(
    `SELECT w.state || ':' || string_agg(v.msg_type, ',' ORDER BY v.version) AS k, count(DISTINCT w.id)::int AS n
       FROM warnings w LEFT JOIN warning_versions v ON v.warning_id = w.id GROUP BY w.id, w.state`,
  )
  expect(versions).toMatchObject({ 'active:Alert,Update': 1, 'cancelled:Alert,Cancel': 1, 'closed:Alert,Cancel': 1 })
  // Published through the commands: four-eyes approvals, one urgent publication awaiting its second approver.
  expect(
    await counts("SELECT action AS k, count(*)::int AS n FROM audit_events WHERE action LIKE 'warning.%' GROUP BY action"),
  ).toMatchObject({
    'warning.created': 7,
    'warning.approved': 6,
    'warning.published_urgently': 1,
    'warning.cancelled': 1,
    'warning.closed': 1,
  })
  expect(
    (await database.pool.query('SELECT count(*)::int AS n FROM warnings WHERE urgent_by IS NOT NULL AND retro_approved_by IS NULL')).rows,
  ).toEqual([{ n: 1 }])
}

/** What the events demo made (issue 16, item 9): one held, one announced, one draft meeting. */
async function expectDemoEvents(m: DemoManifest) {
  const items = m.items.filter((i) => i.kind === 'event')
  expect(items.map((i) => i.state)).toEqual(['done', 'announced', 'draft'])
  for (const i of items) expect(i.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+07:00$/)
  const [done, announced, draft] = items
  expect(new Date(done?.start as string).getTime()).toBeLessThan(Date.now())
  expect(new Date(announced?.start as string).getTime()).toBeGreaterThan(Date.now())
  expect(announced?.url).toBe(`/lich-hop-bao#su-kien-${announced?.id}`)
  expect(announced?.ics).toBe(`/lich-hop-bao/${announced?.id}.ics`)
  expect(draft?.url).toBe(`/console/su-kien/${draft?.id}`)
  expect(draft?.ics).toBeNull()
  const rows = (
    await database.pool.query<{ id: string; state: string; starts_at: Date; speakers: number; sequence: number }>(
      'SELECT e.id, e.state, e.starts_at, e.sequence, (SELECT count(*)::int FROM event_speakers s WHERE s.event_id = e.id) AS speakers FROM events e',
    )
  ).rows
  for (const i of items) {
    const row = rows.find((r) => r.id === i.id)
    expect(row?.state).toBe(i.state)
    expect(row?.starts_at.toISOString()).toBe(new Date(i.start as string).toISOString())
  }
  expect(rows.find((r) => r.id === announced?.id)?.speakers).toBeGreaterThan(0)
  const actions = await counts("SELECT action AS k, count(*)::int AS n FROM audit_events WHERE action LIKE 'event.%' GROUP BY action")
  expect(actions).toMatchObject({ 'event.created': 3, 'event.announced': 2, 'event.done': 1 })
  // The held one, from invitation to follow-up (issue 16): answers of every kind, badges for each yes.
  const q = async <T>(text: string, params: unknown[] = []) => (await database.pool.query(text, params)).rows as T[]
  expect(
    await counts('SELECT state AS k, count(*)::int AS n FROM event_invitations WHERE event_id = $1 GROUP BY state', [done?.id]),
  ).toEqual({
    yes: 3,
    no: 1,
    maybe: 1,
    waitlisted: 1,
  })
  expect(await q('SELECT companion_role FROM event_invitations WHERE event_id = $1 AND companion_name IS NOT NULL', [done?.id])).toEqual([
    { companion_role: 'quay phim' },
  ])
  expect(
    await q(
      "SELECT (badge_code IS NOT NULL) AS badge, count(*)::int AS n FROM event_invitations WHERE event_id = $1 AND state = 'yes' GROUP BY 1",
      [done?.id],
    ),
  ).toEqual([{ badge: true, n: 3 }])
  // Check-ins at the door: a badge by camera, a code by hand, a walk-in; the badge again at the side door is a duplicate.
  expect(
    await counts('SELECT method AS k, count(*)::int AS n FROM event_checkins WHERE event_id = $1 GROUP BY method', [done?.id]),
  ).toEqual({
    qr: 1,
    code: 1,
    walk_in: 1,
  })
  expect(await q('SELECT reason, door FROM event_checkin_conflicts WHERE event_id = $1', [done?.id])).toEqual([
    { reason: 'duplicate', door: 'Cửa phụ' },
  ])
  const checkedInAt = await q<{ scanned_at: Date }>('SELECT scanned_at FROM event_checkins WHERE event_id = $1', [done?.id])
  for (const c of checkedInAt) expect(c.scanned_at.getTime()).toBeLessThan(new Date(done?.start as string).getTime())
  // Questions: answered (with its note), merged into it, one never taken up.
  expect(await counts('SELECT state AS k, count(*)::int AS n FROM event_questions WHERE event_id = $1 GROUP BY state', [done?.id])).toEqual(
    {
      answered: 1,
      merged: 1,
      pending: 1,
    },
  )
  expect(await q("SELECT answer_note IS NOT NULL AS note FROM event_questions WHERE state = 'answered'")).toEqual([{ note: true }])
  // The release sent afterwards: a published one.
  expect(
    await q('SELECT m.kind, r.status FROM event_materials m JOIN releases r ON r.id = m.release_id WHERE m.event_id = $1', [done?.id]),
  ).toEqual([{ kind: 'release', status: 'published' }])
  // The upcoming one: invitations out, two answers, the demo journalist's left open.
  const journalist = m.users.find((u) => u.role === 'journalist')?.partnerId
  expect(await q('SELECT state FROM event_invitations WHERE event_id = $1 AND partner_id = $2', [announced?.id, journalist])).toEqual([
    { state: 'invited' },
  ])
  expect(
    await counts('SELECT state AS k, count(*)::int AS n FROM event_invitations WHERE event_id = $1 GROUP BY state', [announced?.id]),
  ).toMatchObject({
    yes: 1,
    maybe: 1,
  })
  expect(actions).toMatchObject({ 'event.checked_in': 2, 'event.walk_in': 1, 'event.checkin_conflict': 1 })
}

/** What the distribution demo made (issue 15, item 7). */
async function expectDemoDistribution(m: DemoManifest) {
  const q = async <T>(text: string, params: unknown[] = []) => (await database.pool.query(text, params)).rows as T[]
  const journalist = m.users.find((u) => u.role === 'journalist')?.partnerId
  const influencer = m.users.find((u) => u.role === 'influencer')?.partnerId
  // Lists: the two builtin ones, by beat and by commune (rules), a hand-picked group; one release targeted.
  expect(await counts('SELECT kind AS k, count(*)::int AS n FROM distribution_lists GROUP BY kind')).toEqual({
    builtin: 2,
    rule: 2,
    static: 1,
  })
  expect(await q('SELECT count(*)::int AS n FROM distribution_list_members')).toEqual([{ n: 3 }])
  expect(await q('SELECT item_type, cardinality(list_ids) AS n FROM distribution_targets')).toEqual([{ item_type: 'release', n: 2 }])
  expect(m.items.filter((i) => i.kind === 'distribution.list' && i.url?.startsWith('/console/phan-phoi/danh-sach/'))).toHaveLength(3)
  // Webhook endpoints: the influencer's first receiver answered 410 (disabled, with its reason and
  // notices); his new one is live. The demo journalist has none (her settings page starts empty).
  const hooks = await q<{ partner_id: string; state: string; reason: string | null; url: string }>(
    'SELECT partner_id, state, disabled_reason AS reason, url FROM distribution_webhooks ORDER BY state',
  )
  expect(hooks.map((h) => [h.partner_id, h.state])).toEqual([
    [influencer, 'active'],
    [influencer, 'disabled'],
  ])
  expect(hooks[1]?.reason).toMatch(/410/)
  for (const h of hooks) expect(new URL(h.url).hostname).toMatch(/\.(example|invalid)$/)
  expect(await q("SELECT count(*)::int AS n FROM audit_events WHERE action = 'distribution.webhook_disabled'")).toEqual([{ n: 1 }])
  // Public subscriptions in every state.
  expect(await counts('SELECT state AS k, count(*)::int AS n FROM public_subscriptions GROUP BY state')).toEqual({
    active: 2,
    pending: 1,
    unsubscribed: 1,
  })
  // Deliveries in every state but the sender's transient claim.
  const states = await counts('SELECT state AS k, count(*)::int AS n FROM distribution_deliveries GROUP BY state')
  for (const s of ['queued', 'sent', 'failed', 'bounced', 'opened', 'downloaded', 'cancelled']) expect(states[s], s).toBeGreaterThan(0)
  expect(states.sending).toBeUndefined()
  expect(
    await q(
      "SELECT channel, last_status, last_error IS NOT NULL AS why FROM distribution_deliveries WHERE state IN ('failed', 'bounced') ORDER BY state",
    ),
  ).toEqual([
    { channel: 'email', last_status: 550, why: true },
    { channel: 'webhook', last_status: 410, why: true },
  ])
  expect(await q("SELECT kind, channel FROM distribution_deliveries WHERE state = 'cancelled'")).toEqual([
    { kind: 'publish', channel: 'email' },
  ])
  expect(
    await q("SELECT count(*)::int AS n FROM distribution_deliveries WHERE state = 'queued' AND channel = 'digest' AND partner_id = $1", [
      influencer,
    ]),
  ).not.toEqual([{ n: 0 }])
  // The journalist's portal inbox: an embargo with its lift time, publications, the correction's note, the kill notice.
  const inbox = await q<{ kind: string; payload: { liftAt?: string; changeNote?: string; reason?: string } }>(
    "SELECT kind, payload FROM distribution_deliveries WHERE partner_id = $1 AND channel = 'portal'",
    [journalist],
  )
  const kinds = new Set(inbox.map((d) => d.kind))
  for (const k of ['embargo', 'publish', 'correction', 'kill']) expect(kinds.has(k), k).toBe(true)
  expect(new Date(inbox.find((d) => d.kind === 'embargo')?.payload.liftAt ?? 0).getTime()).toBeGreaterThan(Date.now())
  expect(inbox.find((d) => d.kind === 'correction')?.payload.changeNote).toContain('từ 5 giờ đến 22 giờ')
  expect(inbox.find((d) => d.kind === 'kill')?.payload.reason).toBeTruthy()
  // Dated when the decisions were made, not at the seed's minute (the inbox sorts by it).
  expect(
    await q("SELECT count(*)::int AS n FROM distribution_deliveries WHERE kind <> 'embargo' AND created_at > now() - interval '1 hour'"),
  ).toEqual([{ n: 0 }])
  // Every decision's fan-out ran once, here: `serve` dispatching the same events later finds it done.
  expect(
    await q(`SELECT e.id FROM domain_events e WHERE e.type IN ('release.embargoed', 'release.published', 'release.corrected', 'release.withdrawn', 'verdict.published')
      AND NOT EXISTS (SELECT 1 FROM domain_event_deliveries d WHERE d.event_id = e.id AND d.subscriber = 'distribution.fanout')`),
  ).toEqual([])
  // Coverage judged faithful, excerpt and altered (a changed figure), with one correction request.
  expect(await counts('SELECT verdict AS k, count(*)::int AS n FROM coverage_reports GROUP BY verdict')).toEqual({
    faithful: 1,
    excerpt: 1,
    altered: 1,
  })
  const [altered] = await q<{ partner_id: string; changes: { kind: string; official: string; published: string }[] }>(
    "SELECT partner_id, changes FROM coverage_reports WHERE verdict = 'altered'",
  )
  expect(altered?.partner_id).toBe(influencer)
  expect(altered?.changes).toContainEqual(expect.objectContaining({ kind: 'figure', official: '7', published: '17' }))
  expect(await q('SELECT count(*)::int AS n FROM coverage_correction_requests')).toEqual([{ n: 1 }])
  expect(
    await q(
      "SELECT count(*)::int AS n FROM distribution_deliveries WHERE kind = 'correction_request' AND channel = 'portal' AND partner_id = $1",
      [influencer],
    ),
  ).toEqual([{ n: 1 }])
}

describe('seed-demo', () => {
  it('is refused in production mode', async () => {
    const r = await cli(['seed-demo', '--manifest', path.join(dir, 'p.json')], { NODE_ENV: 'production' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Demo accounts are refused in production mode.')
  })

  it('fills an empty database and writes a manifest whose accounts work', async () => {
    const file = path.join(dir, 'manifest.json')
    const r = await cli(['seed-demo', '--manifest', file])
    expect(r.code, r.stderr).toBe(0)
    const m = JSON.parse(await readFile(file, 'utf8')) as DemoManifest
    expect(m.users.map((u) => u.role).sort()).toEqual([...ROLES].sort())
    for (const u of m.users) {
      expect(u.password.length).toBeGreaterThanOrEqual(12)
      expect(u.totpSecret === null).toBe(u.role === 'journalist' || u.role === 'influencer')
    }
    expect(m.items).toContainEqual(expect.objectContaining({ kind: 'page', state: 'public', url: '/' }))
    const releases = m.items.filter((i) => i.kind === 'release')
    expect(releases.filter((i) => i.state === 'public').length).toBeGreaterThanOrEqual(4)
    expect(releases.filter((i) => i.state.startsWith('embargoed until')).length).toBe(1)
    expect(releases.filter((i) => i.state.startsWith('scheduled for')).length).toBe(1)
    expect(releases.filter((i) => i.state.includes('sealed case')).length).toBe(1)
    expect(releases.filter((i) => i.state === 'withdrawn').length).toBe(1)
    const lift = new Date(
      releases
        .find((i) => i.state.startsWith('embargoed'))
        ?.state.split(' ')
        .pop() as string,
    )
    expect(Math.abs(lift.getTime() - Date.now() - 10 * 60_000)).toBeLessThan(60_000)
    const status = await database.pool.query('SELECT status, count(*)::int AS n FROM releases GROUP BY status ORDER BY status')
    const claimStatus = await database.pool.query('SELECT status, count(*)::int AS n FROM claims GROUP BY status')
    expect(Object.fromEntries(claimStatus.rows.map((r: { status: string; n: number }) => [r.status, r.n]))).toEqual({
      published: 2,
      investigating: 1,
      new: 2,
      verdict_submitted: 1,
      merged: 1,
    })
    expect(m.items.filter((i) => i.kind === 'verdict' && i.state === 'public' && i.url?.startsWith('/kiem-chung/')).length).toBe(2)
    expect(Object.fromEntries(status.rows.map((r: { status: string; n: number }) => [r.status, r.n]))).toEqual({
      draft: 1,
      embargoed: 1,
      published: 4,
      scheduled: 1,
      withdrawn: 1,
    })
    // Spread over the past weeks at office hours (Vietnam time), not all at the seed's minute.
    const published = (
      await database.pool.query<{ at: Date; hour: number }>(
        `SELECT first_published_at AS at, extract(hour FROM first_published_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int AS hour
         FROM releases WHERE status IN ('published', 'withdrawn') ORDER BY first_published_at`,
      )
    ).rows
    expect(published).toHaveLength(5)
    const day = 86_400_000
    const days = new Set(published.map((p) => Math.floor(p.at.getTime() / day)))
    expect(days.size).toBe(published.length)
    const span = (published.at(-1)?.at.getTime() ?? 0) - (published[0]?.at.getTime() ?? 0)
    expect(span).toBeGreaterThanOrEqual(14 * day)
    for (const p of published) {
      expect(p.at.getTime()).toBeLessThan(Date.now() - day / 2)
      expect(p.at.getTime()).toBeGreaterThan(Date.now() - 45 * day)
      expect(p.hour).toBeGreaterThanOrEqual(7)
      expect(p.hour).toBeLessThan(19)
    }
    const claimTimes = (await database.pool.query<{ at: Date }>('SELECT first_seen_at AS at FROM claims')).rows
    expect(new Set(claimTimes.map((c) => c.at.getTime())).size).toBe(claimTimes.length)
    const verdictDays = (await database.pool.query<{ at: Date }>('SELECT published_at AS at FROM verdicts WHERE published_at IS NOT NULL'))
      .rows
    expect(new Set(verdictDays.map((v) => Math.floor(v.at.getTime() / day))).size).toBe(2)
    // Open claims are within their SLA (nothing escalates the moment the demo server starts).
    const overdue = await database.pool.query(
      "SELECT code FROM claims WHERE status NOT IN ('published', 'merged', 'dismissed') AND sla_due_at < now()",
    )
    expect(overdue.rows).toEqual([])
    // Joined submissions are counted (the kidnapping rumour was sent twice).
    const counted = await database.pool.query<{ requests: number }>(
      "SELECT requests FROM claims WHERE status = 'published' ORDER BY requests DESC",
    )
    expect(counted.rows[0]?.requests).toBe(2)
    const rows = await database.pool.query('SELECT email, is_demo FROM users')
    expect(rows.rows.every((row: { is_demo: boolean }) => row.is_demo)).toBe(true)
    // Vietnamese names are stored as NFC.
    const names = await database.pool.query('SELECT name FROM users')
    for (const { name } of names.rows as { name: string }[]) expect(name).toBe(name.normalize('NFC'))
    // Partners in every status of the registry; the demo partner accounts are accredited records.
    const partnerStatus = await database.pool.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM partners GROUP BY status',
    )
    expect(new Set(partnerStatus.rows.map((r) => r.status))).toEqual(
      new Set(['applied', 'more_info_needed', 'verified', 'accredited', 'suspended', 'expired', 'revoked']),
    )
    for (const role of ['journalist', 'influencer'] as const) {
      const u = m.users.find((x) => x.role === role)
      expect(u?.partnerStatus).toBe('accredited')
      const linked = await database.pool.query(
        'SELECT p.status FROM partners p JOIN users u ON u.id = p.user_id WHERE p.id = $1 AND u.email = $2',
        [u?.partnerId, u?.email],
      )
      expect(linked.rows).toEqual([{ status: 'accredited' }])
    }
    expect((await database.pool.query('SELECT count(*)::int AS n FROM press_outlets')).rows[0]).toEqual({ n: 4 })
    // Press inquiries in every state, each listed in the manifest; the answered one is a public Q&A.
    const inquiryStates = m.items.filter((i) => i.kind === 'inquiry').map((i) => i.state)
    const stored = await database.pool.query<{ status: string }>('SELECT DISTINCT status FROM inquiries')
    expect(new Set(stored.rows.map((r) => r.status))).toEqual(new Set(['received', 'assigned', 'answered', 'refused', 'withdrawn']))
    expect(inquiryStates.length).toBeGreaterThanOrEqual(5)
    expect(m.items.some((i) => i.kind === 'inquiry' && i.url?.startsWith('/hoi-dap/'))).toBe(true)
    await expectDemoDistribution(m)
    await expectDemoEvents(m)
    await expectDemoWarnings(m)
    // The editor's TOTP secret from the manifest produces valid codes.
    const editor = m.users.find((u) => u.role === 'editor')
    expect(totpNow(editor?.totpSecret as string)).toMatch(/^\d{6}$/)
  })

  it('refuses a database that already has accounts', async () => {
    const r = await cli(['seed-demo', '--manifest', path.join(dir, 'again.json')])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('empty database only')
  })
})
