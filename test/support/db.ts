/**
 * A fresh database for one test file, cloned from the run's migrated template.
 */
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { inject } from 'vitest'
import type { Database } from '../../src/db/index.ts'
import { openPool } from '../../src/db/index.ts'

let counter = 0

/** Creates a new database for this file; `close()` drops it. */
export async function createTestDatabase(): Promise<Database> {
  const serverUrl = inject('pgServerUrl')
  const template = inject('pgTemplate')
  const parentPid = template.split('_').pop()
  const name = `donghanh_test_f${parentPid}_${process.pid}_${Date.now().toString(36)}_${counter++}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`)
  await admin.end()
  const u = new URL(serverUrl)
  u.pathname = `/${name}`
  const url = u.toString()
  const pool = openPool(url, 5)
  return {
    url,
    pool,
    db: drizzle(pool) as unknown as Database['db'],
    async close() {
      await pool.end()
      const a = new pg.Client({ connectionString: serverUrl })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}
