/**
 * searchPublicReleases' ways to the matches (index, recent window, walk in date order, with
 * their fallbacks and counts) on 1,500 generated releases with planner statistics: every way,
 * forced or chosen, with thresholds scaled down so that each branch runs, gives exactly the
 * page and count of a plain reference (all listed matches, by date, ranked in blocks) — and
 * never a release that is not listed. Also: the word pairs of migration 0004 are the phrases.
 */
import { randomUUID } from 'node:crypto'
import { and, desc, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../../test/support/db.ts'
import type { Database, Db } from '../../db/index.ts'
import { ensureDefaultTenant } from '../../platform/tenancy/index.ts'
import { parseSearchQuery, toTsQuery } from '../newsroom/search.ts'
import {
  SEARCH_CANDIDATES,
  SEARCH_COUNT_CAP,
  type SearchStrategy,
  type SearchTuning,
  searchPublicReleases,
} from '../newsroom/search-planner.ts'
import { publiclyListed } from './releases.public.ts'
import { releases } from './releases.tables.ts'
import { mulberry32 } from '../../platform/random.ts'

const RELEASES = 1500

// Topics of about 50 %, 20 % and 5 % of the releases, places of about 2 %; every release names
// the province (its syllables are in all of them).
const TOPICS = [
  { share: 0.5, title: 'Cảnh báo lừa đảo qua mạng', text: 'các đối tượng giả danh nhân viên ngân hàng yêu cầu cung cấp mã OTP' },
  { share: 0.2, title: 'Xử lý vi phạm nồng độ cồn', text: 'tổ công tác kiểm tra phương tiện trên quốc lộ và lập biên bản' },
  { share: 0.05, title: 'Triệt phá đường dây đánh bạc', text: 'thu giữ điện thoại, máy tính và tạm giữ người liên quan' },
]
const PLACES = ['xã Trung Thành', 'phường Hạc Thành', 'xã Thành Vinh', 'phường Sầm Sơn', 'xã Quảng Phú', 'xã Thiên Phủ']

function generate(i: number): { title: string; text: string; at: Date } {
  const rand = mulberry32(0x5eed + i * 7919)
  const place = PLACES[Math.floor(rand() * PLACES.length)] as string
  const topics = TOPICS.filter((t) => rand() < t.share)
  const title = `${topics[0]?.title ?? 'Tin hoạt động'} tại ${place}`
  const body = topics.map((t) => t.text).join('. ')
  const text = `${title}\nCông an tỉnh Thanh Hóa thông tin: ${body}. Người dân ${place} liên hệ số 113.`
  return { title, text, at: new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 700 * 86_400_000)) }
}

describe('searchPublicReleases, every way', () => {
  let database: Database
  let tenantId: string
  const hidden = new Set<string>()

  beforeAll(async () => {
    database = await createTestDatabase()
    const tenant = await ensureDefaultTenant(database.db)
    tenantId = tenant.id
    const pool = database.pool
    const user = await pool.query<{ id: string }>(
      `INSERT INTO users (tenant_id, email, name, role, status) VALUES ($1, 'search@example.vn', 'Search', 'editor', 'active') RETURNING id`,
      [tenantId],
    )
    const caseRow = await pool.query<{ id: string }>(
      `INSERT INTO cases (tenant_id, code, title, department, lead_officer_id, secrecy_ground, created_by)
       VALUES ($1, 'CA-SEARCH', 'Chuyên án', 'Phòng Cảnh sát hình sự', $2, 'Bí mật điều tra', $2) RETURNING id`,
      [tenantId, user.rows[0]?.id],
    )
    const rows = Array.from({ length: RELEASES }, (_, i) => ({ ...generate(i), id: randomUUID(), eid: randomUUID(), i }))
    // Matching releases the public must never see: withdrawn, gone, scheduled, and one of a sealed case.
    const status = (i: number) => (i % 97 === 1 ? 'withdrawn' : i % 97 === 2 ? 'gone' : i % 97 === 3 ? 'scheduled' : 'published')
    for (const r of rows) if (status(r.i) !== 'published' || r.i % 97 === 4) hidden.add(r.id)
    // Releases and their editions reference each other (the constraints are checked at commit).
    const client = await pool.connect()
    await client.query('BEGIN')
    await client.query(
      `INSERT INTO releases (id, tenant_id, kind, status, slug, spokesperson_id, case_id, working_edition_id, published_edition_id,
         first_published_at, last_published_at, created_by, search_title, search_text)
       SELECT u.id, $1, u.kind, u.status, 'tin-' || u.n, NULL, u.case_id, u.eid, u.eid, u.at, u.at, $2, u.title, u.text
       FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::uuid[], $8::timestamptz[], $9::text[], $10::text[], $11::int[])
         AS u(id, eid, kind, status, case_id, at, title, text, n)`,
      [
        tenantId,
        user.rows[0]?.id,
        rows.map((r) => r.id),
        rows.map((r) => r.eid),
        rows.map((r) => (r.i % 3 === 0 ? 'warning' : 'press_release')),
        rows.map((r) => status(r.i)),
        rows.map((r) => (r.i % 97 === 4 ? caseRow.rows[0]?.id : null)),
        rows.map((r) => r.at.toISOString()),
        rows.map((r) => r.title),
        rows.map((r) => r.text),
        rows.map((r) => r.i),
      ],
    )
    await client.query(
      `INSERT INTO release_editions (id, tenant_id, release_id, number, status, title, summary, body_md, created_by, published_at)
       SELECT r.published_edition_id, r.tenant_id, r.id, 1, 'published', r.search_title, '', r.search_text, r.created_by, r.last_published_at
       FROM releases r`,
    )
    await client.query('COMMIT')
    client.release()
    await pool.query(`UPDATE cases SET state = 'sealed' WHERE id = $1`, [caseRow.rows[0]?.id])
    await pool.query('ANALYZE releases')
  }, 60_000)

  afterAll(async () => {
    await database?.close()
  })

  /** The page and count as the plain definition has them: all listed matches by date, ranked in blocks. */
  async function reference(q: string, o: { offset: number; limit: number; kind?: string }) {
    const t = toTsQuery(parseSearchQuery(q))
    if (!t) throw new Error(`no query for ${q}`)
    const where = [publiclyListed(tenantId), sql`${releases.searchVector} @@ (${t.tsquery})`]
    if (o.kind) where.push(sql`${releases.kind} = ${o.kind}`)
    const all = await database.db
      .select({ id: releases.id, rank: sql<number>`ts_rank_cd(${releases.searchVector}, (${t.tsquery}))` })
      .from(releases)
      .where(and(...where))
      .orderBy(desc(releases.lastPublishedAt))
    const block = (i: number) => Math.floor(i / SEARCH_CANDIDATES)
    const ranked = all
      .map((r, i) => ({ id: r.id, rank: Number(r.rank), i }))
      .sort((a, b) => block(a.i) - block(b.i) || b.rank - a.rank || a.i - b.i)
    return {
      ids: ranked.slice(o.offset, o.offset + o.limit).map((r) => r.id),
      total: Math.min(all.length, SEARCH_COUNT_CAP + 1),
      all: all.length,
    }
  }

  // Scaled to 1,500 releases, so that the first read, reading on, counting in the index, the
  // recent window and the fallbacks all happen.
  const small: Partial<SearchTuning> = {
    walkFirst: 40,
    walkRows: 700,
    indexRows: 150,
    indexFirstRows: 150,
    windowRows: 20,
    windowMargin: 1.3,
  }
  const ways: [string, { strategy?: SearchStrategy; tuning?: Partial<SearchTuning> }][] = [
    ['auto', {}],
    ['walk', { strategy: 'walk' }],
    ['index', { strategy: 'index' }],
    ['auto, scaled', { tuning: small }],
    ['walk, scaled', { strategy: 'walk', tuning: small }],
    ['index, scaled', { strategy: 'index', tuning: small }],
    ['index, tight window', { strategy: 'index', tuning: { windowRows: 0, windowMargin: 1 } }],
  ]
  const queries = [
    'thanh hoa',
    'cong an thanh hoa',
    'lừa đảo',
    'lua da',
    '"nồng độ cồn"',
    'nong do con',
    '"đánh bạc"',
    'danh bac thanh',
    'Trung Thành',
    '"xã Trung Thành"',
    '"xã Thành Vinh"',
    'thanh hoa -"lừa đảo"',
    'giả danh -ngân',
    'vi phạm Hạc Thành',
    'quốc lộ Quảng Phú',
    'khongcogi',
  ]

  it('gives every way the page and count of the plain definition, on every page asked', async () => {
    // Which statements ran (told apart by their SQL): each branch must have been taken.
    const ran = new Set<string>()
    const db = drizzle(database.pool, {
      logger: {
        logQuery(query: string) {
          if (query.includes('row_number()')) ran.add('walk')
          else if (query.includes('MATERIALIZED')) ran.add('count')
          else if (query.includes('>= $') && query.includes('::timestamptz')) ran.add('window')
          else if (query.includes('count(*) OVER ()')) ran.add('all matches')
        },
      },
    }) as unknown as Db
    let compared = 0
    for (const q of queries) {
      const t = toTsQuery(parseSearchQuery(q))
      if (!t) throw new Error(`no query for ${q}`)
      for (const page of [
        { offset: 0, limit: 21 },
        { offset: 180, limit: 21 },
        { offset: 200, limit: 21 },
        { offset: 0, limit: 21, kind: 'warning' },
      ]) {
        const expected = await reference(q, page)
        for (const [name, way] of ways) {
          const rows = await searchPublicReleases(db, tenantId, t, { ...page, ...way })
          const label = `${q} ${JSON.stringify(page)} ${name}`
          expect(
            rows.map((r) => r.id),
            label,
          ).toEqual(expected.ids)
          if (rows.length > 0) expect(rows[0]?.total, label).toBe(expected.total)
          for (const r of rows) expect(hidden.has(r.id), label).toBe(false)
          compared++
        }
      }
    }
    expect(compared).toBe(queries.length * 4 * ways.length)
    expect([...ran].sort()).toEqual(['all matches', 'count', 'walk', 'window'])
  }, 120_000)

  it('has broad, middling and rare queries among the ones compared', async () => {
    const counts = await Promise.all(
      ['thanh hoa', 'lừa đảo', '"đánh bạc"', '"xã Trung Thành"'].map(async (q) => (await reference(q, { offset: 0, limit: 1 })).all),
    )
    const [broad, half, rare, place] = counts as [number, number, number, number]
    expect(broad).toBeGreaterThan(SEARCH_COUNT_CAP)
    expect(half).toBeGreaterThan(2 * SEARCH_CANDIDATES)
    expect(half).toBeLessThan(SEARCH_COUNT_CAP)
    expect(rare).toBeLessThan(SEARCH_CANDIDATES)
    expect(place).toBeGreaterThan(0)
  })

  it('stores each two consecutive words as one lexeme of search_pairs, exactly the phrase of two words', async () => {
    const { rows } = await database.pool.query<{ pairs: string }>(
      `SELECT tsvector_pairs(to_tsvector('simple', 'a b c a b'))::text AS pairs`,
    )
    expect(rows[0]?.pairs).toBe(`'a b' 'b c' 'c a'`)
    for (const [a, b] of [
      ['xa', 'trung'],
      ['trung', 'thanh'],
      ['thanh', 'hoa'],
      ['hoa', 'thanh'],
      ['dao', 'qua'],
    ] as const) {
      const { rows: n } = await database.pool.query<{ pairs: number; phrase: number }>(
        `SELECT count(*) FILTER (WHERE search_pairs @@ $1::tsquery)::int AS pairs,
                count(*) FILTER (WHERE search_vector @@ phraseto_tsquery('simple', $2))::int AS phrase FROM releases`,
        [`'${a} ${b}'`, `${a} ${b}`],
      )
      expect(n[0]?.pairs, `${a} ${b}`).toBe(n[0]?.phrase)
    }
  })
})
