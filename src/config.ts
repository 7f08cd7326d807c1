/**
 * Typed settings read from the environment. Every setting has a default that works on a
 * fresh machine: the embedded PostgreSQL, mail kept in the outbox, port 3000.
 */
import { isIP } from 'node:net'
import path from 'node:path'

/** The settings of one process. */
export interface Config {
  /** HTTP port (PORT, default 3000). */
  port: number
  /** Interface to listen on (HOST, default 0.0.0.0). */
  host: string
  /** Folder for the embedded database and uploads (DATA_DIR, default ./data). */
  dataDir: string
  /** External PostgreSQL; unset means the embedded server under DATA_DIR/postgres. */
  databaseUrl: string | undefined
  /** SMTP server for outgoing mail; unset keeps mail in the console outbox. */
  smtpUrl: string | undefined
  /** Sender address for outgoing mail (MAIL_FROM). */
  mailFrom: string
  /** Public base URL used in links sent by mail (PUBLIC_URL, default http://localhost:PORT). */
  publicUrl: string
  /** development | production | test (NODE_ENV). */
  env: 'development' | 'production' | 'test'
  /** Web processes of `serve` (WEB_CONCURRENCY, default 1; more makes `serve` a supervisor, see serve.ts). */
  webConcurrency: number
  /** Run the job worker inside `serve` (WORKER_IN_PROCESS, default true). */
  workerInProcess: boolean
  /** pino log level (LOG_LEVEL, default info; warn under test). */
  logLevel: string
  /** Idle session expiry in minutes (SESSION_IDLE_MINUTES, default 30). */
  sessionIdleMinutes: number
  /** Absolute session expiry in hours (SESSION_ABSOLUTE_HOURS, default 12). */
  sessionAbsoluteHours: number
  /**
   * Which peers' `X-Forwarded-For`/`-Proto`/`-Host` are believed (TRUST_PROXY): false (unset,
   * the default) believes nobody, so the client address is the socket's; a number believes that
   * many proxy hops in front of the server; a list believes the proxies at those addresses or
   * CIDR ranges (or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`). Fastify's
   * `trustProxy` takes exactly these forms.
   */
  trustProxy: false | number | string[]
  /** Bearer token that opens /metrics to non-loopback scrapers (METRICS_TOKEN; unset: loopback only). */
  metricsToken: string | undefined
  /** Prints the embedded server's and the job queue's messages from `serve` (DEBUG, any value). */
  debug: boolean
  /** Days a claim submitter's e-mail is kept (CONTACT_RETENTION_DAYS, default 30). */
  contactRetentionDays: number
  /**
   * Let outgoing requests (webhooks, coverage capture) reach private, loopback and link-local
   * addresses (OUTBOUND_ALLOW_PRIVATE=true; default false: only public addresses).
   */
  outboundAllowPrivate: boolean
  /** SLA hours per triage level (SLA_CRITICAL_HOURS 4, SLA_HIGH_HOURS 24, SLA_NORMAL_HOURS 72). */
  slaHours: { critical: number; high: number; normal: number }
  /** True in a web process started by the `serve` supervisor (set by serve.ts, not by users). */
  webProcess: boolean
}

/** Environment variable marking a supervisor's web process (serve.ts sets it when forking). */
export const WEB_PROCESS_ENV = 'DONGHANH_WEB_PROCESS'

/** True when this process is a `serve` supervisor's web process (read once per process). */
export function isSupervisedWebProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[WEB_PROCESS_ENV] === '1'
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number.parseInt(value, 10)
  if (!Number.isFinite(n)) throw new Error(`Invalid number in environment: ${value}`)
  return n
}

/** A positive number, or `fallback` when unset, empty, not a number or not above 0. */
function positive(value: string | undefined, fallback: number): number {
  const n = Number(value)
  return value && Number.isFinite(n) && n > 0 ? n : fallback
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/**
 * Parses TRUST_PROXY: unset, empty, `false`, `none` or `0` trust nobody; digits are a hop count;
 * anything else a comma-separated list of IP addresses or CIDR ranges. `true` (trust every
 * peer, i.e. let any client write its own address) is refused, as is a malformed entry: a typo
 * must stop the start, not silently trust nobody or everybody.
 */
export function parseTrustProxy(value: string | undefined): false | number | string[] {
  const v = (value ?? '').trim()
  if (v === '' || v === 'false' || v === 'none') return false
  if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Math.min(Number(v), 32)
  if (v === 'true' || v === '*') {
    throw new Error(
      "TRUST_PROXY=true would believe any client's X-Forwarded-For; give the hop count or the proxies' addresses (e.g. TRUST_PROXY=1 or TRUST_PROXY=10.0.0.0/8)",
    )
  }
  const entries = v
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')
  for (const e of entries) {
    if (PROXY_NAMES.has(e)) continue
    const [address, bits, extra] = e.split('/')
    const family = isIP(address ?? '')
    const max = family === 4 ? 32 : 128
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max)
    if (family === 0 || !bitsOk || extra !== undefined)
      throw new Error(`Invalid TRUST_PROXY entry: ${e} (an IP address, a CIDR range such as 10.0.0.0/8, or a hop count)`)
  }
  return entries.length > 0 ? entries : false
}

/** Reads METRICS_TOKEN: unset or empty is none; a set token must be long enough not to be guessed. */
function metricsToken(value: string | undefined): string | undefined {
  if (!value) return undefined
  if (value.length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 24`)')
  return value
}

let started: Config | undefined

/**
 * The configuration this process's runtime started with (set when its services start: `serve`,
 * `worker`, the test app), else the environment's. Jobs and domain-event subscribers receive
 * only the database; they read settings such as PUBLIC_URL or OUTBOUND_ALLOW_PRIVATE here, so a
 * test app's overrides reach them too.
 */
export function processConfig(): Config {
  return started ?? loadConfig(process.env)
}

/** Records the configuration of the runtime starting in this process (see {@link processConfig}). */
export function setProcessConfig(config: Config | undefined): void {
  started = config
}

/** Reads the settings from `env` (default `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env.PORT, 3000)
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development'
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Đồng Hành <no-reply@donghanh.local>',
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    env: nodeEnv,
    webConcurrency: Math.max(1, Math.min(64, int(env.WEB_CONCURRENCY, 1))),
    workerInProcess: env.WORKER_IN_PROCESS !== 'false',
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'warn' : 'info'),
    sessionIdleMinutes: int(env.SESSION_IDLE_MINUTES, 30),
    sessionAbsoluteHours: int(env.SESSION_ABSOLUTE_HOURS, 12),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    metricsToken: metricsToken(env.METRICS_TOKEN),
    debug: Boolean(env.DEBUG),
    contactRetentionDays: positive(env.CONTACT_RETENTION_DAYS, 30),
    outboundAllowPrivate: env.OUTBOUND_ALLOW_PRIVATE === 'true',
    slaHours: {
      critical: positive(env.SLA_CRITICAL_HOURS, 4),
      high: positive(env.SLA_HIGH_HOURS, 24),
      normal: positive(env.SLA_NORMAL_HOURS, 72),
    },
    webProcess: isSupervisedWebProcess(env),
  }
}
