/**
 * Builds the Fastify app from the platform plugins and the modules. `buildApp` is what
 * `serve` runs and what route tests inject into.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { LogController, type FastifyInstance, type FastifyRequest, type RouteOptions } from 'fastify'
import type { Config } from './config.ts'
import type { Database } from './db/index.ts'
import type { EventListener } from './platform/events.ts'
import { loadSession } from './modules/accounts/sessions.ts'
import {
  authenticatePartnerBearer,
  documentTokenRoute,
  isPartnerBearerRequest,
  PARTNER_TOKEN_API_DOC,
} from './modules/portal/tokens/bearer.ts'
import { AppError } from './platform/errors.ts'
import type { AppContext, RouteAccess } from './platform/http/context.ts'
import { verifyCsrf } from './platform/http/csrf.ts'
import { FastPath, requestIdOf } from './platform/http/fast-path.ts'
import { sendError, toAppError } from './platform/http/errors.tsx'
import { observeRequest } from './platform/http/metrics.ts'
import { refuseNulBytes } from './platform/http/nul-bytes.ts'
import { trustProxyOption } from './platform/http/trust-proxy.ts'
import { parseLocale } from './platform/i18n/index.ts'
import { can } from './platform/policy/index.ts'
import { installedModules } from './platform/modules.ts'
import { loadMenuCounts } from './platform/html/layout.tsx'
import type { Tenant } from './platform/tenancy/index.ts'
// Installs the module list (policies, audit actions, error codes, catalogues) on first import.
import './modules.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '..')

/** What the app needs to run. */
export interface BuildAppOptions {
  config: Config
  database: Database
  tenant: Tenant
  /** This process's LISTEN/NOTIFY connection. */
  events: EventListener
  /** Pass false to silence request logs (tests). */
  logger?: boolean
  /** Where the logs go instead of JSON on stdout (`serve` on a terminal: log-output.ts). */
  logStream?: { write(line: string): void }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Marks every route registered inside `fn`'s scope as public (for plugin-made routes: docs, assets). */
async function publicScope(app: FastifyInstance, fn: (scope: FastifyInstance) => Promise<void>): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: 'public', csrf: false }
    })
    await fn(scope)
  })
}

/** Checks a route's declared access for this request; throws 401/403 (fail closed). */
function checkAccess(req: FastifyRequest, access: RouteAccess | undefined): void {
  if (access === undefined) throw new AppError('FORBIDDEN', { action: 'undeclared' })
  if (access === 'public') return
  if (access === 'partial') {
    if (!req.session || req.session.stage === 'full') throw new AppError('UNAUTHENTICATED')
    return
  }
  if (!req.actor) {
    if (req.session && req.session.stage !== 'full') throw new AppError('MFA_REQUIRED')
    throw new AppError('UNAUTHENTICATED')
  }
  if (access === 'signed-in') return
  if (!can(req.actor, access.action, access.subject)) throw new AppError('FORBIDDEN', { action: access.action })
}

/** Builds the app (routes, hooks, error handling) without listening. */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database, tenant, events } = opts
  const fastPath = new FastPath()
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel, ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: 1_048_576,
    // Only the configured proxies' X-Forwarded-* are believed (TRUST_PROXY; default: none), so a
    // client cannot pick its own address for the per-IP limits. See config.ts.
    trustProxy: trustProxyOption(config.trustProxy),
    genReqId: requestIdOf,
    // Cached public pages are answered before Fastify (see platform/http/fast-path.ts).
    serverFactory: fastPath.serverFactory(),
    logController: new LogController({ requestIdLogLabel: 'reqId', disableRequestLogging: config.env === 'test' }),
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>()

  const ctx: AppContext = { config, database, tenant, events, fastPath }
  app.decorate('ctx', ctx)
  app.decorateRequest('session', null)
  app.decorateRequest('actor', null)
  app.decorateRequest('locale', 'vi')

  const routes: RouteOptions[] = []
  app.addHook('onRoute', (route) => {
    routes.push(route as RouteOptions)
    // Routes a partner API token may call show both security schemes in /docs.
    documentTokenRoute(route as RouteOptions)
  })
  app.decorate('routeTable', routes)

  // Only JSON, urlencoded forms (and multipart where a module registers it) are accepted:
  // anything else is a clear 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain')
  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 1_048_576 })
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: config.publicUrl.startsWith('https://'),
    crossOriginEmbedderPolicy: false,
  })
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Đồng Hành API',
        description: `API của cổng thông tin báo chí Công an tỉnh / press office hub API\n\n${PARTNER_TOKEN_API_DOC}`,
        version: '0.1.0',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'dh_sid' },
          partnerToken: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  })

  // NUL characters are refused once here for every route (PostgreSQL cannot store them).
  refuseNulBytes(app)
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id)
    const q = (req.query as Record<string, unknown> | undefined)?.lang
    if (q === 'vi' || q === 'en') {
      req.locale = q
      reply.setCookie('lang', q, { path: '/', sameSite: 'lax', maxAge: 31_536_000 })
    } else {
      req.locale = parseLocale(req.cookies.lang)
    }
    const token = req.cookies.dh_sid
    if (token) {
      const session = await loadSession(database.db, token, {
        idleMinutes: config.sessionIdleMinutes,
        absoluteHours: config.sessionAbsoluteHours,
      })
      if (session && session.user.tenantId === tenant.id) {
        req.session = session
        if (session.stage === 'full') {
          req.actor = { id: session.user.id, tenantId: session.user.tenantId, role: session.user.role, email: session.user.email }
        }
      } else {
        reply.clearCookie('dh_sid', { path: '/' })
      }
    }
    // A partner API token (Authorization: Bearer dhp_…) on a route that declares tokenScope.
    await authenticatePartnerBearer(req, reply)
    // Access is checked before the body is even parsed: unauthenticated or forbidden
    // requests are refused first, whatever they carry. Unmatched URLs fall to the 404 handler.
    if (req.is404) return
    checkAccess(req, req.routeOptions.config.access)
  })

  app.addHook('preHandler', async (req) => {
    // A partner-token request without a session cookie has no cookie authority to forge.
    if (UNSAFE.has(req.method) && req.routeOptions.config.csrf !== false && !isPartnerBearerRequest(req)) verifyCsrf(req)
    // The console menu's badges (things waiting for this person) before the page renders.
    if (req.method === 'GET' && req.actor && req.url.startsWith('/console')) await loadMenuCounts(req)
  })

  app.addHook('onResponse', async (req, reply) => {
    observeRequest(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000)
  })

  app.setErrorHandler((err, req, reply) => {
    const appError = toAppError(err as Error)
    if (!appError || appError.status >= 500) req.log.error({ err }, 'request failed')
    else req.log.info({ code: appError.code }, 'request refused')
    return sendError(req, reply, appError)
  })
  app.setNotFoundHandler((req, reply) => sendError(req, reply, new AppError('NOT_FOUND')))

  await publicScope(app, async (scope) => {
    await scope.register(fastifyStatic, {
      root: path.join(ROOT, 'src/platform/html/assets'),
      prefix: '/assets/',
      maxAge: '1d',
    })
    await scope.register(fastifyStatic, {
      root: path.join(ROOT, 'node_modules/@fontsource/be-vietnam-pro/files'),
      prefix: '/assets/fonts/',
      decorateReply: false,
      maxAge: '30d',
      immutable: true,
    })
    await scope.register(fastifyStatic, {
      root: path.join(ROOT, 'node_modules/htmx.org/dist'),
      prefix: '/assets/htmx/',
      decorateReply: false,
      allowedPath: (p) => p === '/htmx.min.js',
      maxAge: '1d',
    })
    // The WebAuthn browser library for partners' passkeys (portal/auth, assets/passkeys.js).
    await scope.register(fastifyStatic, {
      root: path.join(ROOT, 'node_modules/@simplewebauthn/browser/dist/bundle'),
      prefix: '/assets/webauthn/',
      decorateReply: false,
      allowedPath: (p) => p === '/index.umd.min.js',
      maxAge: '1d',
    })
    // The QR decoder of the check-in page at the door (events/checkin, assets/checkin.js).
    await scope.register(fastifyStatic, {
      root: path.join(ROOT, 'node_modules/jsqr/dist'),
      prefix: '/assets/jsqr/',
      decorateReply: false,
      allowedPath: (p) => p === '/jsQR.js',
      maxAge: '1d',
    })
    await scope.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: false } })
  })

  for (const m of installedModules()) await m.routes?.(app)

  app.addHook('onReady', async () => {
    const undeclared = routes.filter((r) => !(r.config as { access?: unknown } | undefined)?.access)
    if (undeclared.length > 0) {
      throw new Error(`routes without declared access: ${undeclared.map((r) => `${r.method} ${r.url}`).join(', ')}`)
    }
  })
  return app
}

/** A registered route and who may call it. */
export interface RouteEntry {
  method: string
  url: string
  access: RouteAccess | undefined
}

/** Every registered route with its declared access (for the route tests and docs). */
export function listRoutes(app: FastifyInstance): RouteEntry[] {
  return (app as unknown as { routeTable: RouteOptions[] }).routeTable.flatMap((r) =>
    (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({
      method,
      url: r.url,
      access: (r.config as { access?: RouteAccess } | undefined)?.access,
    })),
  )
}
