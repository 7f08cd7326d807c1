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
