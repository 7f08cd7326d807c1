/**
 * `withTransaction(…, { retries })` on a real deadlock: two transactions lock two rows in
 * opposite orders; PostgreSQL aborts one as the victim (40P01). Without retries the victim's
 * error reaches the caller; with them it runs again and both decisions land.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../test/support/db.ts'
import { type Database, withTransaction } from './index.ts'

let database: Database

beforeAll(async () => {
  database = await createTestDatabase()
  await database.pool.query('CREATE TABLE retry_probe (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)')
  await database.pool.query('INSERT INTO retry_probe (id) VALUES (1), (2)')
})
afterAll(async () => {
  await database?.close()
})

/** Two transactions that lock rows 1 and 2 in opposite orders, meeting in the middle. */
async function collide(retries: number): Promise<PromiseSettledResult<number>[]> {
  let arrived = 0
  let release: () => void = () => undefined
  const bothHoldFirst = new Promise<void>((r) => {
    release = r
  })
  const attempts = [0, 0]
  const run = (i: number, first: number, second: number) =>
    withTransaction(
      database.pool,
      async (tx) => {
        attempts[i] = (attempts[i] ?? 0) + 1
        await tx.$client.query('UPDATE retry_probe SET n = n + 1 WHERE id = $1', [first])
        // Meet only on the first attempt: a retry runs alone and passes.
        if ((attempts[i] ?? 0) === 1) {
          arrived++
          if (arrived === 2) release()
          await bothHoldFirst
        }
        await tx.$client.query('UPDATE retry_probe SET n = n + 1 WHERE id = $1', [second])
        return attempts[i] ?? 0
      },
      { retries },
    )
  return Promise.allSettled([run(0, 1, 2), run(1, 2, 1)])
}

describe('withTransaction on a deadlock', () => {
  it('without retries, the victim fails with 40P01', async () => {
    const out = await collide(0)
    const failed = out.filter((r) => r.status === 'rejected')
    expect(failed).toHaveLength(1)
    const err = (failed[0] as PromiseRejectedResult).reason as { code?: string; cause?: { code?: string } }
    expect(err.code ?? err.cause?.code).toBe('40P01')
  })

  it('with retries, the victim runs again and both land', async () => {
    const before = (await database.pool.query<{ s: number }>('SELECT sum(n)::int AS s FROM retry_probe')).rows[0]?.s ?? 0
    const out = await collide(2)
    expect(out.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled'])
    // One of them ran twice (the victim).
    expect(out.map((r) => (r as PromiseFulfilledResult<number>).value).sort()).toEqual([1, 2])
    const after = (await database.pool.query<{ s: number }>('SELECT sum(n)::int AS s FROM retry_probe')).rows[0]?.s ?? 0
    expect(after - before).toBe(4)
  })
})
