/**
 * The queue (`GET /console/kiem-chung`) and staff entry (`POST /console/kiem-chung`, a
 * submission on channel 'staff'). Validate → authorise → one query or command → present.
 */
import { type Static, Type } from '@sinclair/typebox'
import { withTransaction } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { authorize } from '../../../platform/policy/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { submitClaim } from '../commands/submit-claim.ts'
import { actorOf, auditOf, claimSubject, DESK, linesOf, runForm } from './desk-kit.tsx'
import { queueRows } from './desk.queries.ts'
import { type EntryValues, queuePage } from './queue.pages.tsx'

const Str = (max: number) => Type.String({ maxLength: max })
const QueueQuery = Type.Object({
  status: Type.Optional(Str(30)),
  level: Type.Optional(Str(20)),
  mine: Type.Optional(Str(4)),
})
// The text may be longer than the domain's limit, so the command refuses it with its own message.
const EntryBody = Type.Object({
  text: Type.Optional(Str(45_000)),
  links: Type.Optional(Str(8000)),
  seenWhere: Type.Optional(Str(1000)),
  _csrf: Type.Optional(Str(100)),
})
const EMPTY: EntryValues = { text: '', links: '', seenWhere: '' }

/** Registers the queue and staff entry routes. */
export async function registerQueueRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx

  // `q`: the list's filters, validated by the GET route's querystring schema; a refused entry
  // (POST) shows the unfiltered queue.
  const show = async (
    req: Parameters<typeof queuePage>[0]['req'],
    reply: Parameters<typeof queuePage>[0]['reply'],
    entry: EntryValues,
    error?: Parameters<typeof queuePage>[1]['error'],
    q: Static<typeof QueueQuery> = {},
  ) => {
    const actor = actorOf(req)
    const filter = { status: q.status, level: q.level, assignedTo: q.mine ? actor.id : undefined, mine: !!q.mine }
    const rows = await queueRows(database.db, tenant.id, filter)
    return queuePage({ req, reply }, { rows, filter, now: now(), entry, error })
  }

  app.get(
    DESK,
    { config: { access: { action: 'list', subject: 'claim' } }, schema: { hide: true, querystring: QueueQuery } },
    async (req, reply) => {
      authorize(req.actor, 'list', claimSubject(tenant.id))
      return show(req, reply, EMPTY, undefined, req.query)
    },
  )

  app.post(
    DESK,
    { config: { access: { action: 'investigate', subject: 'claim' } }, schema: { hide: true, body: EntryBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'investigate', claimSubject(tenant.id))
      const b = req.body
      const entry: EntryValues = { text: b.text ?? '', links: b.links ?? '', seenWhere: b.seenWhere ?? '' }
      return runForm(
        reply,
        async () => {
          const r = await withTransaction(database.pool, (tx) =>
            submitClaim({
              tx,
              tenantId: tenant.id,
              channel: 'staff',
              actor: auditOf(actor),
              text: entry.text,
              links: linesOf(entry.links),
              seenWhere: entry.seenWhere,
              ip: req.ip,
            }),
          )
          const done = r.duplicate ? 'duplicate' : r.merged ? 'joined' : 'created'
          return reply.redirect(`${DESK}/${r.claimId}?done=${done}&ticket=${encodeURIComponent(r.ticket)}`, 303)
        },
        (e) => show(req, reply, entry, e),
      )
    },
  )
}
