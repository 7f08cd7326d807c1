/**
 * The claim index's catch-up poll: a failed round is not swallowed. It is written to stderr
 * and the next round tries again.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTestDatabase } from '../../../test/support/db.ts'
import { catchUpAndLog, configureMatcher, findSimilarClaims, stopMatcher } from './matcher.ts'

describe('claim index catch-up', () => {
  afterEach(() => {
    vi.restoreAllMocks()
    stopMatcher()
  })

  it('logs a round that fails (database gone) instead of dropping it', async () => {
    const database = await createTestDatabase()
    configureMatcher(database)
    // Loads the tenant's (empty) index, so that a round has something to catch up.
    expect(await findSimilarClaims(randomUUID(), 'Công an tỉnh Thanh Hóa bắt giữ đối tượng lừa đảo')).toEqual([])
    await database.close()
    const written: string[] = []
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
    await catchUpAndLog()
    expect(written.join('')).toMatch(/^claim index catch-up failed, retrying in 1000 ms: .*pool.*\n$/i)
  })
})
