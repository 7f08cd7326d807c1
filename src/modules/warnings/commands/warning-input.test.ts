/**
 * Bad input to the warning form (unknown commune, until before from, HTML and control
 * characters, a missing person without consent, a wanted notice without legal basis, too much)
 * gets its clear error and writes nothing; good input is stored CAP-safe with its code and
 * slug; the console's list finds a warning by its title typed without diacritics.
 */
import { and, eq, like, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type MadeUser, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { both } from '../../../platform/i18n/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { validateCap } from '../cap/cap.test-support.ts'
import { capMessage } from '../cap/cap.ts'
import { capOptionsFor, capWarningOf } from '../cap/cap-of.ts'
import { listWarnings, loadWarning } from '../warnings.repository.ts'
import { warnings } from '../warnings.tables.ts'
import { createWarning } from './create-warning.ts'
import { snapshotOf } from './publish-version.ts'
import { parseWarningInput } from './warning-input.ts'

let t: TestApp
let officer: MadeUser

beforeAll(async () => {
  t = await createTestApp()
  officer = await makeUser(t, { role: 'officer' })
})
afterAll(async () => {
  await t?.close()
})

const GOOD = {
  kind: 'traffic',
  level: 'community',
  titleVi: 'Phân luồng giao thông lễ hội đền Bà Triệu',
  descriptionVi: 'Cấm xe ô tô trên tuyến đường vào đền từ 6 giờ đến 22 giờ.',
  communes: ['phuong-hac-thanh'],
  validFrom: '2026-03-01T06:00',
  validUntil: '2026-03-03T22:00',
}

async function counts() {
  const [w] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(warnings).where(eq(warnings.tenantId, t.tenant.id))
  const [a] = await t.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(and(eq(auditEvents.tenantId, t.tenant.id), like(auditEvents.action, 'warning.%')))
  return { warnings: w?.n, audits: a?.n }
}

/** Parses and creates in one transaction, as the console's route does. */
function create(raw: Record<string, unknown>) {
  return withTransaction(t.database.pool, (tx) =>
    createWarning({ tx, tenantId: t.tenant.id, actor: { id: officer.id, label: officer.email }, input: parseWarningInput(raw) }),
  )
}

describe('bad input to a warning', () => {
  const cases: [string, Record<string, unknown>, string, Record<string, string | number>?][] = [
    [
      'an unknown commune, named',
      { ...GOOD, communes: ['phuong-hac-thanh', 'xa-khong-co-that'] },
      'WARNING_BAD_COMMUNE',
      { code: 'xa-khong-co-that' },
    ],
    ['an unknown commune in a comma list', { ...GOOD, communes: 'phuong-hac-thanh, <b>x</b>' }, 'WARNING_BAD_COMMUNE'],
    ['no area', { ...GOOD, communes: [] }, 'WARNING_NO_AREA'],
    ['until before from', { ...GOOD, validUntil: '2026-02-28T06:00' }, 'WARNING_UNTIL_BEFORE_FROM'],
    ['until equal to from', { ...GOOD, validUntil: GOOD.validFrom }, 'WARNING_UNTIL_BEFORE_FROM'],
    ['an impossible date', { ...GOOD, validUntil: '2026-02-31T06:00' }, 'WARNING_INVALID', { field: 'validUntil', reason: 'bad_time' }],
    ['a missing person without consent', { ...GOOD, kind: 'missing_person' }, 'WARNING_CONSENT_REQUIRED'],
    [
      'consent ticked without a note',
      { ...GOOD, kind: 'missing_person', consentGiven: 'on', consentNote: ' ' },
      'WARNING_CONSENT_REQUIRED',
    ],
    ['a wanted notice without legal basis', { ...GOOD, kind: 'wanted', legalBasis: '<i></i>' }, 'WARNING_LEGAL_BASIS_REQUIRED'],
    ['an unknown kind', { ...GOOD, kind: 'rumour' }, 'WARNING_INVALID', { field: 'kind', reason: 'unknown' }],
    ['an unknown level', { ...GOOD, level: 'extreme' }, 'WARNING_INVALID', { field: 'level', reason: 'unknown' }],
    [
      'a title only of HTML',
      { ...GOOD, titleVi: '<script>alert(1)</script><b></b>' },
      'WARNING_INVALID',
      { field: 'titleVi', reason: 'required' },
    ],
    ['a title too long', { ...GOOD, titleVi: 'Cảnh báo '.repeat(40) }, 'WARNING_INVALID', { field: 'titleVi', reason: 'too_long' }],
    [
      '31 patterns',
      { ...GOOD, patterns: Array.from({ length: 31 }, (_, i) => `mẫu câu số ${i}`).join('\n') },
      'WARNING_INVALID',
      { field: 'patterns', reason: 'too_many' },
    ],
    ['a pattern of 501 characters', { ...GOOD, patterns: 'a'.repeat(501) }, 'WARNING_INVALID', { field: 'patterns', reason: 'too_long' }],
    [
      '21 links',
      { ...GOOD, links: Array.from({ length: 21 }, (_, i) => `https://lua-dao-${i}.example/`) },
      'WARNING_INVALID',
      { field: 'links', reason: 'too_many' },
    ],
    ['a bad CAP status', { ...GOOD, capStatus: 'Draft' }, 'WARNING_INVALID', { field: 'capStatus', reason: 'unknown' }],
  ]
  for (const [name, raw, code, params] of cases) {
    it(`${name} → ${code}, nothing written`, async () => {
      const before = await counts()
      let err: unknown
      try {
        await create(raw)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).code).toBe(code)
      expect((err as AppError).status).toBe(400)
      if (params) expect((err as AppError).params).toMatchObject(params)
      // The message reads well in both languages, no placeholder left.
      const m = both(`errors.${code}`, (err as AppError).params)
      expect(m.vi).not.toMatch(/\{\w+\}|^errors\./)
      expect(m.en).not.toMatch(/\{\w+\}|^errors\./)
      expect(await counts()).toEqual(before)
    })
  }
})

describe('good input', () => {
  it('is stored CAP-safe: NFC, tags and control characters gone, lines split, communes as a list', async () => {
    const decomposed = 'Cảnh báo'.normalize('NFD')
    const w = await create({
      ...GOOD,
      kind: 'scam',
      titleVi: `  <b>${decomposed}</b> giả danh\u0007 công an <script>alert("x")</script>\u0000 `,
      descriptionVi: '<p>Đoạn một.</p><p>Đoạn <a href="https://x.example">hai</a> &amp; ba\uFFFF.</p>',
      titleEn: '',
      communes: 'phuong-hac-thanh,xa-dong-tien\nphuong-hac-thanh',
      patterns: 'nộp phạt nguội\r\n\r\n<i>chuyển tiền</i> vào tài khoản\u000b tạm giữ\nnộp phạt nguội',
      links: 'https://phatnguoi.example/?utm_source=fb\n',
      consentGiven: 'on',
      consentNote: 'không cần',
    })
    expect(w.titleVi).toBe('Cảnh báo giả danh công an')
    expect(w.titleVi).toBe(w.titleVi.normalize('NFC'))
    expect(w.descriptionVi).toBe('Đoạn một.\n\nĐoạn hai & ba.')
    expect(w.titleEn).toBeNull()
    expect(w.communes).toEqual(['phuong-hac-thanh', 'xa-dong-tien'])
    expect(w.patterns).toEqual(['nộp phạt nguội', 'chuyển tiền vào tài khoản tạm giữ'])
    expect(w.links).toEqual(['https://phatnguoi.example/?utm_source=fb'])
    expect(w.validFrom.toISOString()).toBe('2026-02-28T23:00:00.000Z')
    expect(w.validUntil?.toISOString()).toBe('2026-03-03T15:00:00.000Z')
    // Its CAP (the console's preview) validates.
    const xml = capMessage(
      capWarningOf({ id: w.id, version: 1, state: 'active', issuedAt: null }, snapshotOf(w), []),
      await capOptionsFor(t.database.db, t.tenant.id, t.config.publicUrl, w.slug),
    )
    expect(await validateCap(xml)).toEqual({ valid: true, errors: [] })
  })

  it('a whole-province warning has no commune list; empty from = now, on the minute', async () => {
    const w = await create({ ...GOOD, wholeProvince: 'on', communes: ['phuong-hac-thanh'], validFrom: '', validUntil: '' })
    expect(w).toMatchObject({ wholeProvince: true, communes: [], validUntil: null })
    expect(w.validFrom.getTime() % 60_000).toBe(0)
    expect(Math.abs(w.validFrom.getTime() - Date.now())).toBeLessThan(61_000)
  })

  it('numbers codes per tenant and year; slugs are unique; the list finds titles without diacritics', async () => {
    const a = await create({ ...GOOD, titleVi: 'Cảnh báo thủ đoạn “việc nhẹ lương cao” trên mạng' })
    const b = await create({ ...GOOD, titleVi: 'Cảnh báo thủ đoạn “việc nhẹ lương cao” trên mạng' })
    const [, year, na] = /^CB-(\d{4})-(\d{4,})$/.exec(a.code) ?? []
    expect(year).toMatch(/^\d{4}$/)
    expect(b.code).toBe(`CB-${year}-${String(Number(na) + 1).padStart(4, '0')}`)
    expect(a.slug).toBe(`canh-bao-thu-doan-viec-nhe-luong-cao-tren-mang-${na}`)
    expect(b.slug).not.toBe(a.slug)
    const found = await listWarnings(t.database.db, t.tenant.id, { q: 'viec nhe luong cao' })
    expect(found.map((x) => x.id).sort()).toEqual([a.id, b.id].sort())
    expect((await listWarnings(t.database.db, t.tenant.id, { q: b.code.toLowerCase() })).map((x) => x.id)).toEqual([b.id])
    expect((await listWarnings(t.database.db, t.tenant.id, { q: '100%_' })).length).toBe(0)
    expect((await listWarnings(t.database.db, t.tenant.id, { state: 'active' })).length).toBe(0)
    const drafts = await listWarnings(t.database.db, t.tenant.id, { state: 'draft', kind: 'traffic' })
    expect(drafts[0]?.id).toBe(b.id)
    expect((await loadWarning(t.database.db, t.tenant.id, a.id)).id).toBe(a.id)
  })

  it('cuts a long title between words for the slug', async () => {
    const w = await create({ ...GOOD, titleVi: `Cảnh báo ${'lừa đảo chiếm đoạt tài sản '.repeat(8)}` })
    const baseSlug = w.slug.replace(/-\d{4,}$/, '')
    expect(baseSlug.length).toBeLessThanOrEqual(80)
    expect(baseSlug).toMatch(/^canh-bao-lua-dao-chiem-doat-tai-san-.*[a-z]$/)
    expect(`${'canh-bao-'}${'lua-dao-chiem-doat-tai-san-'.repeat(8)}`.startsWith(`${baseSlug}-`)).toBe(true)
  })
})
