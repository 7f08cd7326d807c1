/**
 * One PostgreSQL server per test run: the embedded server in a fresh temp folder, or the
 * server of DATABASE_URL (CI runs the database tests again against Debian's PostgreSQL).
 * A migrated template database is made once; each test file clones it (CREATE DATABASE …
 * TEMPLATE), so files start from a fresh, isolated database in milliseconds.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { type EmbeddedServer, startEmbedded } from '../../src/db/embedded.ts'
import { migrate, openPool } from '../../src/db/index.ts'
import { startJobs, stopJobs } from '../../src/platform/jobs/index.ts'
import { moduleMigrationDirs } from '../../src/platform/modules.ts'
// The module list: its jobs' queues and its migrations go into the template.
import '../../src/modules.ts'

export const TEMPLATE_DB = 'donghanh_test_template'

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string
    pgTemplate: string
  }
}

let embedded: EmbeddedServer | undefined
let dir: string | undefined

function withDb(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

export async function setup(project: TestProject): Promise<void> {
  let serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    dir = await mkdtemp(path.join(tmpdir(), 'donghanh-test-pg-'))
    // As root the server runs as the `postgres` user, which must be able to enter the folder.
    await chmod(dir, 0o755)
    embedded = await startEmbedded(path.join(dir, 'pg'))
    serverUrl = embedded.url
  }
  // Template per run, named uniquely so that two runs against one server do not collide.
  const template = `${TEMPLATE_DB}_${process.pid}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${template}`)
  await admin.query(`CREATE DATABASE ${template}`)
  await admin.end()
  const templateUrl = withDb(serverUrl, template)
  const pool = openPool(templateUrl, 2)
  await migrate(pool, moduleMigrationDirs())
  // Create pg-boss's schema and queues in the template too.
  await startJobs({ database: { url: templateUrl, pool, db: drizzle(pool) as never, close: async () => undefined }, work: false })
  await stopJobs()
  await pool.end()
  project.provide('pgServerUrl', serverUrl)
  project.provide('pgTemplate', template)
}

export async function teardown(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL ?? embedded?.url
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl })
    await admin.connect()
    const dbs = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'donghanh_test_%'`)
    for (const { datname } of dbs.rows) {
      if (datname.endsWith(`_${process.pid}`) || datname.startsWith(`donghanh_test_f${process.pid}_`)) {
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`)
      }
    }
    await admin.end()
  }
  await embedded?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
}
