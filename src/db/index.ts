/**
 * Database connection: the embedded server by default, or DATABASE_URL. One pg Pool per
 * process, Drizzle on top; `withTransaction` gives commands a transaction whose client can
 * also be handed to pg-boss so that jobs are enqueued atomically with the change.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import type { Config } from '../config.ts'
import { type EmbeddedServer, runningEmbeddedUrl, startEmbedded } from './embedded.ts'

// timestamptz → Date (default), bigint (int8) → number: our counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10))

/** A Drizzle handle bound to one client inside a transaction (or to the pool). */
export type Db = NodePgDatabase<Record<string, never>> & { $client: pg.Pool | pg.PoolClient }
/** A Drizzle handle bound to the client of an open transaction. */
export type Tx = NodePgDatabase<Record<string, never>> & { $client: pg.PoolClient }

/** An open database: pool, Drizzle handle and the embedded server when one was started. */
export interface Database {
  /** Connection string (with the database name). */
  url: string
  pool: pg.Pool
  db: Db
  /** The embedded server this process started, if any. */
  embedded?: EmbeddedServer
  /** Closes the pool and stops the embedded server. */
  close(): Promise<void>
}

/** Opens a pool to `url`. */
export function openPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000 })
  // An idle client that loses its server must not crash the process; it is logged and replaced.
  // Once the pool is ending, its clients are closing on their own (pool.end() resolves before they
  // have): a server stopped right after may still terminate them, which is expected, not news.
  pool.on('error', (err) => {
    if (pool.ending) return
    process.stderr.write(`postgres pool error: ${err.message}\n`)
  })
  return pool
}

/** Connects to DATABASE_URL, or starts the embedded server under DATA_DIR/postgres. */
export async function connect(config: Config, opts: { log?: (m: string) => void } = {}): Promise<Database> {
  let embedded: EmbeddedServer | undefined
  let url = config.databaseUrl
  if (!url) {
    embedded = await startEmbedded(path.join(config.dataDir, 'postgres'), opts)
    url = await ensureDatabase(embedded.url, 'donghanh')
  }
  const pool = openPool(url)
  const db = drizzle(pool) as unknown as Db
  let closed = false
  return {
    url,
    pool,
    db,
    embedded,
    async close() {
      if (closed) return
      closed = true
      await pool.end()
      await embedded?.stop()
    },
  }
}

/**
 * For local tools that only need the database (`audit verify`, `admin create`, `migrate`,
 * `seed-demo`): when no DATABASE_URL is set and a live process (`serve`) runs the embedded
 * server of DATA_DIR, returns the settings with that server's `donghanh` database as
 * DATABASE_URL (read from its owner-only runtime record), so the tool uses it instead of
 * refusing the busy folder. Otherwise returns `config` unchanged.
 */
export function attachToRunningEmbedded(config: Config): Config {
  if (config.databaseUrl) return config
  const serverUrl = runningEmbeddedUrl(path.join(config.dataDir, 'postgres'))
  if (!serverUrl) return config
  const url = new URL(serverUrl)
  url.pathname = '/donghanh'
  return { ...config, databaseUrl: url.toString() }
}

/** Creates database `name` on the server of `serverUrl` if missing; returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name ${name}`)
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

const afterCommit = new WeakMap<Tx, (() => void)[]>()

/**
 * Runs independent reads side by side on a pool, and one after another on a single client (a
 * transaction's): a client runs one query at a time anyway, and pg@9 refuses overlapping ones.
 */
export async function readAll<T extends readonly unknown[]>(db: Db | Tx, reads: { [K in keyof T]: () => PromiseLike<T[K]> }): Promise<T> {
  if (db.$client instanceof pg.Pool) return (await Promise.all(reads.map((read) => read()))) as unknown as T
  const out: unknown[] = []
  for (const read of reads) out.push(await read())
  return out as unknown as T
}

/** Runs `fn` once the transaction `tx` has committed (never if it rolls back). */
export function onCommit(tx: Tx, fn: () => void): void {
  const list = afterCommit.get(tx)
  if (list) list.push(fn)
  else afterCommit.set(tx, [fn])
}

/** SQLSTATEs after which a whole transaction may simply run again: deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001'])

function sqlState(e: unknown): string | undefined {
  let cur = e as { code?: unknown; cause?: unknown } | undefined
  for (let i = 0; cur && i < 3; i++, cur = cur.cause as typeof cur) if (typeof cur.code === 'string') return cur.code
  return undefined
}

/**
 * Runs `fn` in a transaction; commits when it resolves, rolls back when it throws. With
 * `retries`, a transaction that PostgreSQL aborted as a deadlock victim (or for a serialization
 * failure) runs again, up to that many times: only for decisions that are safe to repeat whole
 * (idempotent by a key the client made, like a door's scan id), since `fn` runs again.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>, o: { retries?: number } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await runTransaction(pool, fn)
    } catch (e) {
      if (attempt >= (o.retries ?? 0) || !RETRYABLE.has(sqlState(e) ?? '')) throw e
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)))
    }
  }
}

async function runTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const tx = drizzle(client) as unknown as Tx
    const result = await fn(tx)
    await client.query('COMMIT')
    for (const hook of afterCommit.get(tx) ?? []) hook()
    return result
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw e
  } finally {
    client.release()
  }
}

/**
 * Runs `fn` on one client WITHOUT a transaction, for work that is a single statement (atomic by
 * itself, e.g. the public intake): it saves the BEGIN and COMMIT round trips. A second
 * statement is refused before it is sent, so the guarantee cannot silently erode. The
 * after-commit hooks run when `fn` resolves.
 */
export async function withSingleStatement<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  const own = client as unknown as { query: (...args: unknown[]) => unknown }
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  let statements = 0
  own.query = (...args: unknown[]) => {
    if (++statements > 1) throw new Error('withSingleStatement: a second statement needs withTransaction')
    return query(...args)
  }
  try {
    const tx = drizzle(client) as unknown as Tx
    const result = await fn(tx)
    for (const hook of afterCommit.get(tx) ?? []) hook()
    return result
  } finally {
    delete (own as { query?: unknown }).query
    client.release()
  }
}

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/**
 * Applies the SQL files of src/db/migrations, and of the module folders given (from their
 * manifests), in name order across all folders, each once, each in its own transaction, under
 * an advisory lock so that several processes starting together are safe. File names are unique
 * across folders (a repeated name is refused). Returns the names applied now.
 */
export async function migrate(pool: pg.Pool, moduleDirs: readonly string[] = []): Promise<string[]> {
  const byName = new Map<string, string>()
  for (const dir of [MIGRATIONS_DIR, ...moduleDirs]) {
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.sql'))) {
      if (byName.has(f)) throw new Error(`migration ${f} exists in two folders (${byName.get(f)} and ${dir})`)
      byName.set(f, dir)
    }
  }
  const files = [...byName.keys()].sort()
  const client = await pool.connect()
  const applied: string[] = []
  try {
    await client.query('SELECT pg_advisory_lock(7140001)')
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    )
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name))
    for (const file of files) {
      if (done.has(file)) continue
      const sql = readFileSync(path.join(byName.get(file) as string, file), 'utf8')
      try {
        await client.query('BEGIN')
        await client.query(sql)
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file])
        await client.query('COMMIT')
        applied.push(file)
      } catch (e) {
        await client.query('ROLLBACK')
        throw new Error(`Migration ${file} failed: ${(e as Error).message}`)
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(7140001)').catch(() => undefined)
    client.release()
  }
  return applied
}
