/**
 * The queues pg-boss runs our jobs from: a domain-event delivery held by a killed worker comes
 * back after two minutes (its own expiry), not pg-boss's default 15, also in a database whose
 * queue was created before the expiry was set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../../test/support/db.ts'
import type { Database } from '../../db/index.ts'
import '../domain-events/index.ts'
import { startJobs, stopJobs } from './index.ts'

describe('job queues', () => {
  let database: Database
  beforeAll(async () => {
    database = await createTestDatabase()
  })
  afterAll(async () => {
    await stopJobs()
    await database.close()
  })

  const expiry = async (name: string): Promise<number | null> => {
    const r = await database.pool.query<{ expire_seconds: number | null }>('SELECT expire_seconds FROM pgboss.queue WHERE name = $1', [
      name,
    ])
    expect(r.rows).toHaveLength(1)
    return r.rows[0]?.expire_seconds ?? null
  }

  it('gives event deliveries a 120-s expiry, and sets it again on a queue made without it', async () => {
    expect(await expiry('events.deliver')).toBe(120)
    await database.pool.query("UPDATE pgboss.queue SET expire_seconds = NULL WHERE name = 'events.deliver'")
    expect(await expiry('events.deliver')).toBeNull()
    await startJobs({ database, work: false })
    await stopJobs()
    expect(await expiry('events.deliver')).toBe(120)
  })
})
