/**
 * The public site shell: home page with the unit's contacts, health, readiness, metrics.
 */
import { Type } from '@sinclair/typebox'
import { sql } from 'drizzle-orm'
import { now } from '../../platform/clock.ts'
import { queueSizes } from '../../platform/jobs/index.ts'
import { outboxCounts } from '../../platform/mail/index.ts'
import { AppError } from '../../platform/errors.ts'
import { metricsAllowed } from '../../platform/http/metrics-access.ts'
import { listenForMetricsRequests, serverSnapshot } from '../../platform/http/metrics-cluster.ts'
import { registerGauge, renderMetrics } from '../../platform/http/metrics.ts'
import { hasActiveAdmin } from '../accounts/users.ts'
import { publicCacheFor, servePublic } from '../newsroom/newsroom.cache.ts'
import type { TypedApp } from '../../platform/modules.ts'
import { listPublicReleases } from '../releases/releases.public.ts'
import { registerAuditCheckpointRoutes } from './audit-checkpoints.routes.ts'
import { homePage } from './public.pages.tsx'

/** Latest news on the home page. */
const HOME_LATEST = 6
/** Warnings count as current for this long after their last publication. */
const WARNING_DAYS = 14

/** Registers the public routes. */
export async function registerPublicRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const cache = await publicCacheFor(app)
  // Once an admin exists the install is set up for good; skip the check on every hit.
  let setUp = false

  registerGauge({
    name: 'donghanh_jobs_queued',
    help: 'Jobs waiting per queue.',
    collect: async () => Object.entries(await queueSizes()).map(([queue, value]) => ({ labels: { queue }, value })),
  })
  registerGauge({
    name: 'donghanh_mail_outbox',
    help: 'Outgoing mail per status.',
    collect: async () => Object.entries(await outboxCounts(database.db)).map(([status, value]) => ({ labels: { status }, value })),
  })

  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    // A fresh installation has no admin: send the visitor to the setup wizard.
    if (!setUp && !(await hasActiveAdmin(database.db, tenant.id))) return reply.redirect('/console/setup', 303)
    setUp = true
    return servePublic(cache, req, reply, async (sink) => {
      const since = new Date(now().getTime() - WARNING_DAYS * 86_400_000)
      const [latest, warnings] = await Promise.all([
        listPublicReleases(database.db, tenant.id, { limit: HOME_LATEST }),
        listPublicReleases(database.db, tenant.id, { kind: 'warning', since, limit: 4 }),
      ])
      return homePage({ req, reply: sink }, tenant, { latest, warnings })
    })
  })

  app.get(
    '/healthz',
    {
      config: { access: 'public', csrf: false },
      schema: { summary: 'Tiến trình còn sống / liveness', tags: ['ops'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'no-store')
      return { status: 'ok' as const }
    },
  )

  app.get(
    '/readyz',
    {
      config: { access: 'public', csrf: false },
      schema: {
        summary: 'Sẵn sàng phục vụ (cơ sở dữ liệu) / readiness (database reachable)',
        tags: ['ops'],
        response: {
          200: Type.Object({ status: Type.String(), database: Type.String() }),
          503: Type.Object({ status: Type.String(), database: Type.String() }),
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store')
      try {
        await database.db.execute(sql`select 1`)
        return { status: 'ready', database: 'ok' }
      } catch (err) {
        req.log.warn({ err }, 'readiness: database unreachable')
        return reply.code(503).send({ status: 'unavailable', database: 'unreachable' })
      }
    },
  )

  // Under a supervisor, this process must answer its requests for counters from the start.
  listenForMetricsRequests()
  app.get(
    '/metrics',
    {
      // Not a public page: the loopback/token rule below is checked before anything is computed.
      config: { access: 'public', csrf: false },
      schema: {
        summary: 'Số liệu Prometheus (chỉ loopback hoặc METRICS_TOKEN) / Prometheus metrics (loopback or METRICS_TOKEN only)',
        tags: ['ops'],
        produces: ['text/plain'],
      },
    },
    async (req, reply) => {
      if (!metricsAllowed(req, app.ctx.config.metricsToken)) throw new AppError('METRICS_FORBIDDEN')
      reply.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').header('cache-control', 'no-store')
      return renderMetrics(await serverSnapshot())
    },
  )

  await registerAuditCheckpointRoutes(app)
}
