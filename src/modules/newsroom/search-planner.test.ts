/**
 * The search planner's statistics: a failed read is not swallowed. The search still answers
 * (through the index alone, null statistics) and the reason is written to stderr.
 */
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Db } from '../../db/index.ts'
import { searchStats } from './search-planner.ts'

describe('searchStats', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('says why when the statistics cannot be read, and answers without them', async () => {
    // A real pool, already ended: every query on it fails at once, without a server.
    const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' })
    await pool.end()
    const db = drizzle(pool) as unknown as Db
    const written: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
    expect(await searchStats(db)).toBeNull()
    expect(written.join('')).toMatch(/^search statistics unreadable, the index answers alone: .*pool.*\n$/i)
  })
})
