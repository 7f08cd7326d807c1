/**
 * The JS fold and the database's `fold_vi` must agree: search queries are folded in JS, the
 * stored search text in SQL ("Ðà Nẵng" typed with the Icelandic Ð must still find "Đà Nẵng").
 * Compared letter by letter over the Latin ranges, on the real PostgreSQL of the test run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/index.ts'
import { createTestDatabase } from '../../test/support/db.ts'
import { fold } from './normalize.ts'

let database: Database

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.close()
})

describe('fold and fold_vi', () => {
  it('fold every Latin letter the same way, where the SQL fold keeps one letter', async () => {
    const letters: string[] = []
    for (const [a, b] of [
      [0x41, 0x5a],
      [0x61, 0x7a],
      [0xc0, 0x24f],
      [0x1e00, 0x1eff],
    ] as const) {
      for (let c = a; c <= b; c++) if (/\p{L}/u.test(String.fromCharCode(c))) letters.push(String.fromCharCode(c))
    }
    const { rows } = await database.pool.query<{ c: string; f: string }>('SELECT c, fold_vi(c) AS f FROM unnest($1::text[]) AS c', [
      letters,
    ])
    const differ = rows
      // Letters the SQL fold writes as two (Æ → AE, ß → ss) cannot keep offsets in JS; left as they are.
      .filter((r) => r.f.length === 1 && fold(r.c) !== r.f)
      .map((r) => `${r.c} U+${r.c.charCodeAt(0).toString(16).padStart(4, '0')}: js ${fold(r.c)} sql ${r.f}`)
    expect(differ).toEqual([])
    expect(rows.length).toBe(letters.length)
  })

  it('fold Vietnamese text, with the Icelandic Ð some keyboards give for Đ, as the database does', async () => {
    const samples = ['Ðà Nẵng', 'Đồng Hành', 'THANH HÓA', 'Nghệ An', 'ðường', 'Quảng Xương']
    const { rows } = await database.pool.query<{ f: string }>(
      'SELECT fold_vi(c) AS f FROM unnest($1::text[]) WITH ORDINALITY AS x(c, n) ORDER BY n',
      [samples],
    )
    expect(samples.map(fold)).toEqual(rows.map((r) => r.f))
    expect(fold('Ðà Nẵng')).toBe('da nang')
  })
})
