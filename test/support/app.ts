/**
 * Route-test helpers: an app on a fresh database, account factories and sign-in helpers
 * (fastify/demo test/helper.ts style). Factories make their own rows; no seeded ids.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { type Config, loadConfig } from '../../src/config.ts'
import type { Database } from '../../src/db/index.ts'
import { users } from '../../src/modules/accounts/accounts.tables.ts'
import { createSession } from '../../src/modules/accounts/sessions.ts'
import { hashPassword, newTotpSecret, randomToken, tokenHash } from '../../src/platform/auth/secrets.ts'
import { sessionToken } from '../../src/platform/http/csrf.ts'
import { createEventListener } from '../../src/platform/events.ts'
import { startJobs, stopJobs } from '../../src/platform/jobs/index.ts'
import { configureMail } from '../../src/platform/mail/index.ts'
import type { Role } from '../../src/platform/policy/index.ts'
import { ensureDefaultTenant, type Tenant } from '../../src/platform/tenancy/index.ts'
import { startProcessServices } from '../../src/runtime.ts'
import { createTestDatabase } from './db.ts'
import { sessions } from '../../src/modules/accounts/accounts.tables.ts'
import { eq } from 'drizzle-orm'

/** A running test app. */
export interface TestApp {
  app: FastifyInstance
  database: Database
  tenant: Tenant
  config: Config
  close(): Promise<void>
}

/** Builds the app on a fresh database; jobs run in-process with fast polling. */
export async function createTestApp(
  env: Record<string, string> = {},
  /** Adds routes before the app is ready (e.g. a route that throws, for the 5xx test). */
  configure?: (app: FastifyInstance) => void,
  /** Reuse a database (a "restart" of the app on the same data); it is then not dropped on close. */
  reuse?: { database: Database },
): Promise<TestApp> {
  const database = reuse?.database ?? (await createTestDatabase())
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'http://donghanh.test', DATA_DIR: '/tmp/donghanh-test-unused', ...env })
  const tenant = await ensureDefaultTenant(database.db)
  configureMail({ db: database.db, smtpUrl: config.smtpUrl, from: config.mailFrom })
  await startJobs({ database, work: true, pollingIntervalSeconds: 0.5 })
  const events = createEventListener(database.url)
  // Tests that need claim counts refreshed call refreshClaimCounts themselves (deterministic).
  const stopServices = await startProcessServices({ config, database, events, log: () => undefined }, true, ['factcheck.claim-refresh'])
  // Server errors (5xx, logged at level error) go to stderr, so that a test failing on a 500 in
  // CI shows its cause; nothing below that level is written.
  const app = await buildApp({
    config: { ...config, logLevel: env.LOG_LEVEL ?? 'error' },
    database,
    tenant,
    events,
    logStream: process.stderr,
  })
  configure?.(app)
  await app.ready()
  return {
    app,
    database,
    tenant,
    config,
    async close() {
      await app.close()
      await stopServices()
      await events.close()
      await stopJobs()
      if (!reuse) await database.close()
    },
  }
}

/** A user made by the factory, with its clear password and TOTP secret. */
export interface MadeUser {
  id: string
  email: string
  role: Role
  password: string
  totpSecret: string | null
}

/** Creates an active account (staff get TOTP enabled unless `totp: false`). */
export async function makeUser(
  t: { database: Database; tenant: Tenant },
  o: { role: Role; email?: string; password?: string; totp?: boolean; status?: 'active' | 'invited' | 'disabled'; isDemo?: boolean },
): Promise<MadeUser> {
  const email = o.email ?? `${o.role}-${randomToken(6).toLowerCase()}@example.vn`
  const password = o.password ?? `Mat-khau-${randomToken(9)}`
  const staff = ['admin', 'editor', 'approver', 'officer'].includes(o.role)
  const totpSecret = staff && o.totp !== false ? newTotpSecret() : null
  const [row] = await t.database.db
    .insert(users)
    .values({
      tenantId: t.tenant.id,
      email,
      name: `Người dùng ${o.role}`,
      role: o.role,
      status: o.status ?? 'active',
      passwordHash: await hashPassword(password),
      totpSecret,
      totpEnabledAt: totpSecret ? new Date() : null,
      isDemo: o.isDemo ?? false,
    })
    .returning({ id: users.id })
  return { id: row?.id as string, email, role: o.role, password, totpSecret }
}

/** Cookie header and CSRF token of a signed-in test user. */
export interface Login {
  cookie: string
  csrf: string
  headers: Record<string, string>
}

/** Creates a full session for `user` directly (the sign-in flow has its own tests). */
export async function loginAs(t: TestApp, user: MadeUser): Promise<Login> {
  const token = await createSession(t.database.db, {
    userId: user.id,
    tenantId: t.tenant.id,
    stage: 'full',
    limits: { idleMinutes: 30, absoluteHours: 12 },
  })
  const [s] = await t.database.db
    .select()
    .from(sessions)
    .where(eq(sessions.id, tokenHash(token)))
  const csrf = sessionToken(s?.csrfSecret as string)
  const cookie = `dh_sid=${token}`
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } }
}

/** Cookies set by a response, as a Cookie header value merged over `previous`. */
export function mergeCookies(previous: string, res: LightMyRequestResponse): string {
  const jar = new Map(
    previous
      .split(';')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => [p.split('=')[0] as string, p] as const),
  )
  for (const c of res.cookies) {
    if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) jar.delete(c.name)
    else jar.set(c.name, `${c.name}=${c.value}`)
  }
  return [...jar.values()].join('; ')
}

/** The value of the hidden `_csrf` field in an HTML page. */
export function csrfFrom(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/)
  if (!m?.[1]) throw new Error('no _csrf field in page')
  return m[1]
}

/** Encodes a form body. */
export function form(fields: Record<string, string>): { payload: string; headers: Record<string, string> } {
  return { payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
}

/** The first match of `pattern` in a mail body (throws when absent). */
export function linkIn(text: string | undefined, pattern: RegExp): string {
  const m = text?.match(pattern)
  if (!m) throw new Error(`no link matching ${pattern} in mail`)
  return m[0]
}
