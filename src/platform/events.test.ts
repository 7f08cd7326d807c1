/**
 * The LISTEN/NOTIFY listener on the real PostgreSQL of the test run: a NOTIFY reaches its
 * handler; closing while subscriptions are still being set up (a command that stops at once)
 * neither rejects nor leaves a connection open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test/support/db.ts'
import type { Database } from '../db/index.ts'
import { createEventListener } from './events.ts'

let database: Database

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.close()
})

/** Connections of this test's database other than the pool's own query. */
async function listening(): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'LISTEN%'",
  )
  return rows[0]?.n ?? 0
}

describe('createEventListener', () => {
  it('delivers a NOTIFY to the handlers of its channel', async () => {
    const events = createEventListener(database.url)
    const heard: string[] = []
    await events.on('kenh_thu', (p) => heard.push(p))
    await database.pool.query("SELECT pg_notify('kenh_thu', 'xin chào')")
    for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(heard).toEqual(['xin chào'])
    await events.close()
  })

  it('closes cleanly while subscriptions are still being set up', async () => {
    for (let round = 0; round < 5; round++) {
      const events = createEventListener(database.url)
      const subscribing = [events.on('kenh_a', () => undefined), events.on('kenh_b', () => undefined), events.on('kenh_c', () => undefined)]
      // Close at once, then a little later, while LISTENs may be in flight.
      if (round % 2 === 1) await new Promise((r) => setTimeout(r, round * 3))
      await events.close()
      const outcomes = await Promise.allSettled(subscribing)
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled'])
    }
    // A closed connection leaves pg_stat_activity when its backend has exited: allow it 5 s.
    for (let i = 0; i < 250 && (await listening()) > 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(await listening()).toBe(0)
  })
})
