/**
 * What every request and command can reach: settings, the database, the tenant. Passed
 * explicitly (no service locator); the Fastify instance carries one `AppContext`.
 */
import type { Config } from '../../config.ts'
import type { Database } from '../../db/index.ts'
import type { EventListener } from '../events.ts'
import type { FastPath } from './fast-path.ts'
import type { LoadedSession } from '../../modules/accounts/sessions.ts'
import type { Locale } from '../i18n/index.ts'
import type { Actor } from '../policy/index.ts'
import type { Tenant } from '../tenancy/index.ts'

/** Process-wide dependencies of the app. */
export interface AppContext {
  config: Config
  database: Database
  tenant: Tenant
  /** Cross-process notifications (cache invalidation, schedule changes). */
  events: EventListener
  /** Handlers asked before Fastify on the app's own server (cached public pages). */
  fastPath: FastPath
}

/**
 * Who may call a route, checked before the handler runs (fail closed: a route without
 * `access` is refused at start-up).
 * - `public`: anyone.
 * - `partial`: a session that has passed the password but not yet TOTP (enrol/verify pages).
 * - `signed-in`: any fully signed-in account.
 * - `{ action, subject }`: a fully signed-in account whose role the policy allows.
 */
/** What a partner's personal API token may be allowed to do. */
export type PartnerTokenScope = 'embargo:read' | 'inquiries' | 'coverage'

export type RouteAccess = 'public' | 'partial' | 'signed-in' | { action: string; subject: string }

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext
  }
  interface FastifyRequest {
    /** The session of the cookie, at whatever stage. */
    session: LoadedSession | null
    /** The fully signed-in actor, or null. */
    actor: Actor | null
    locale: Locale
  }
  interface FastifyContextConfig {
    access?: RouteAccess
    /** Stateless public JSON endpoints with no cookie authority may skip CSRF. */
    csrf?: false
    /**
     * The scope a partner's personal API token must carry to call this route with
     * `Authorization: Bearer`. Routes without it refuse tokens (sessions only).
     */
    tokenScope?: PartnerTokenScope
  }
}
