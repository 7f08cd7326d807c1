/**
 * The staff side of deliveries: the overview (/console/phan-phoi), one item's distribution
 * (/console/phan-phoi/muc/:type/:id: lists, progress, failures, deliveries), "retry all failed",
 * and the item's live progress as server-sent events (…/tien-do). The recipients' tokenised
 * links (/l/:token…) are registered from here too (links.routes.tsx).
 *
 * Need-to-know: an item is loaded through its own module's rule (`loadConsoleItem`), so a
 * release of a sealed case answers 404 to a non-member here, on the stream and on retry alike.
 */
import { Type } from '@sinclair/typebox'
import { withTransaction } from '../../../db/index.ts'
import { actorOf, auditOf } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize, can } from '../../../platform/policy/index.ts'
import type { DeliveryChannel, DeliveryState } from '../distribution.types.ts'
import { retryFailedDeliveries } from './commands/retry-failed.ts'
import { itemPage, itemPath, overviewPage } from './item.pages.tsx'
import { endpointHealth, itemProgress, listItemDeliveries, loadConsoleItem, recentItems } from './item.queries.ts'
import { registerLinkRoutes } from './links.routes.tsx'
import { openProgressStream, prepareProgressStreams } from './progress-stream.ts'
import { targetsPanel } from './targets-slot.tsx'

const READ = { access: { action: 'read', subject: 'distribution' } } as const
const MANAGE = { access: { action: 'manage', subject: 'distribution' } } as const
const Hidden = { hide: true }
const ItemParams = Type.Object({ type: Type.String({ maxLength: 16 }), id: Type.String({ maxLength: 64 }) })
const ItemQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 16 })),
  channel: Type.Optional(Type.String({ maxLength: 16 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  fpage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  retried: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  skipped: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
})
const RetryBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) })

/** An item's distribution: /console/phan-phoi (overview), /console/phan-phoi/muc/:type/:id (lists, live progress, failures, retry), tokenised links /l/:token. */
export async function registerItemRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db

  app.get('/console/phan-phoi', { config: READ, schema: Hidden }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'distribution')
    const [items, health] = await Promise.all([recentItems(db, actor), endpointHealth(db, tenant.id)])
    return overviewPage({ req, reply }, { items, health, mayTrace: can(actor, 'trace', 'distribution') })
  })

  app.get(
    '/console/phan-phoi/muc/:type/:id',
    { config: READ, schema: { ...Hidden, params: ItemParams, querystring: ItemQuery } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'read', 'distribution')
      const item = await loadConsoleItem(db, actor, req.params.type, req.params.id)
      const q = req.query
      const filter = {
        states: q.state ? [q.state as DeliveryState] : undefined,
        channel: (q.channel || undefined) as DeliveryChannel | undefined,
        page: q.page ?? 1,
      }
      const fpage = q.fpage ?? 1
      const [progress, failures, deliveries, targets] = await Promise.all([
        itemProgress(db, tenant.id, item.type, item.deliveryIds),
        listItemDeliveries(db, tenant.id, item.type, item.deliveryIds, { states: ['failed', 'bounced'], page: fpage }),
        listItemDeliveries(db, tenant.id, item.type, item.deliveryIds, filter),
        targetsPanel({ req, reply }, item),
      ])
      return itemPage(
        { req, reply },
        {
          item,
          progress,
          failures: { ...failures, page: fpage },
          deliveries,
          filter,
          mayManage: can(actor, 'manage', 'distribution'),
          targets,
          notice: q.retried !== undefined ? { retried: q.retried, skipped: q.skipped ?? 0 } : null,
        },
      )
    },
  )

  app.post(
    '/console/phan-phoi/muc/:type/:id/gui-lai',
    { config: MANAGE, schema: { ...Hidden, params: ItemParams, body: RetryBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'distribution')
      const { item, result } = await withTransaction(database.pool, async (tx) => {
        const item = await loadConsoleItem(tx, actor, req.params.type, req.params.id)
        const result = await retryFailedDeliveries({
          tx,
          tenantId: tenant.id,
          actor: auditOf(actor),
          itemType: item.type,
          itemId: item.id,
          deliveryItemIds: item.deliveryIds,
          ip: req.ip,
        })
        return { item, result }
      })
      return reply.redirect(`${itemPath(item.type, item.id)}?retried=${result.retried}&skipped=${result.skipped}#failures-h`, 303)
    },
  )

  app.get('/console/phan-phoi/muc/:type/:id/tien-do', { config: READ, schema: { ...Hidden, params: ItemParams } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'distribution')
    const item = await loadConsoleItem(db, actor, req.params.type, req.params.id)
    openProgressStream(app, req, reply, () => itemProgress(db, tenant.id, item.type, item.deliveryIds))
    return reply
  })

  prepareProgressStreams(app)
  await registerLinkRoutes(app)
}
