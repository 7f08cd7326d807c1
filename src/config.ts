/**
 * Typed settings read from the environment. Every setting has a default that works on a
 * fresh machine: the embedded PostgreSQL, mail kept in the outbox, port 3000.
 */
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
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number.parseInt(value, 10)
  if (!Number.isFinite(n)) throw new Error(`Invalid number in environment: ${value}`)
  return n
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
  }
}
