/**
 * The door (permission 'checkin' event, every staff member):
 * - GET  /console/su-kien/:id/diem-danh            the phone page (camera, code, walk-ins);
 * - POST /console/su-kien/:id/diem-danh/quet       JSON { scans: [...] } (1–200) → results, counts;
 * - POST /console/su-kien/:id/diem-danh/khach      a walk-in (JSON, or the page's form);
 * - GET  /console/su-kien/:id/diem-danh/tinh-hinh  JSON counts and latest conflicts (polled);
 * - GET  /console/su-kien/:id/diem-danh/anh/:inv   the attendee's press-card photo, no-store.
 * CSRF: the page's script sends the session token (its hidden `_csrf` field) in `x-csrf-token`.
 */
import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, auditOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize } from '../../../platform/policy/index.ts'
import { FILE_TYPES } from '../../../platform/uploads/index.ts'
import { findEvent } from '../commands/load-event.ts'
import { eventInvitations } from '../events.tables.ts'
import { checkinPage } from './checkin.pages.tsx'
import { checkinCounts, latestConflicts, pressCardPhoto } from './checkin.queries.ts'
import { checkinOpen, MAX_SCANS, recordScans, type ScanInput } from './record-scans.ts'
import { and, eq } from 'drizzle-orm'

const CHECKIN = { access: { action: 'checkin', subject: 'event' } } as const
const Hidden = { hide: true }
const Str = (max: number) => Type.String({ maxLength: max })
const IdParams = Type.Object({ id: Str(64) })
const PhotoParams = Type.Object({ id: Str(64), invitationId: Str(64) })
const NoticeQuery = Type.Object({ ok: Type.Optional(Str(20)) })
const Scan = Type.Object({
  scanId: Type.String({ minLength: 8, maxLength: 64 }),
  token: Type.Optional(Str(500)),
  code: Type.Optional(Str(40)),
  walkIn: Type.Optional(Type.Object({ name: Str(1000), outlet: Type.Optional(Str(1000)), note: Type.Optional(Str(2000)) })),
  door: Str(60),
  deviceId: Str(64),
  scannedAt: Str(40),
  offline: Type.Boolean(),
})
const ScansBody = Type.Object({ scans: Type.Array(Scan, { minItems: 1, maxItems: MAX_SCANS }), _csrf: Type.Optional(Str(200)) })
// A walk-in from the page's form (strings) or from its script (JSON, queued like a scan).
const WalkInBody = Type.Object({
  name: Str(1000),
  outlet: Type.Optional(Str(1000)),
  note: Type.Optional(Str(2000)),
  door: Type.Optional(Str(60)),
  deviceId: Type.Optional(Str(64)),
  scanId: Type.Optional(Type.String({ minLength: 8, maxLength: 64 })),
  scannedAt: Type.Optional(Str(40)),
  offline: Type.Optional(Type.Union([Type.Boolean(), Str(5)])),
  _csrf: Type.Optional(Str(200)),
})

const isJson = (req: FastifyRequest) => (req.headers['content-type'] ?? '').includes('application/json')

/** Registers the door's page and endpoints. */
export async function registerCheckinRoutes(app: TypedApp): Promise<void> {
  const { database } = app.ctx
  const db = database.db

  const showPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    o: { notice?: string; error?: AppError; walkIn?: { name?: string; outlet?: string; note?: string } } = {},
  ) => {
    const actor = actorOf(req)
    const event = await findEvent(db, actor.tenantId, id)
    if (!event) throw new AppError('EVENT_NOT_FOUND')
    const [counts, conflicts] = await Promise.all([
      checkinCounts(db, actor.tenantId, event.id),
      latestConflicts(db, actor.tenantId, event.id),
    ])
    const open = (event.state === 'announced' || event.state === 'done') && checkinOpen(event, now())
    return checkinPage({ req, reply }, { event, counts, conflicts, open, ...o })
  }

  app.get(
    '/console/su-kien/:id/diem-danh',
    { config: CHECKIN, schema: { ...Hidden, params: IdParams, querystring: NoticeQuery } },
    async (req, reply) => {
      authorize(actorOf(req), 'checkin', 'event')
      return showPage(req, reply, req.params.id, { notice: req.query.ok === 'walkin' ? 'evcheckin.done.walkIn' : undefined })
    },
  )

  app.post(
    '/console/su-kien/:id/diem-danh/quet',
    { config: CHECKIN, schema: { ...Hidden, params: IdParams, body: ScansBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'checkin', 'event')
      const scans: ScanInput[] = req.body.scans
      // A deadlock victim runs again: scans are idempotent by their device-made id.
      const results = await withTransaction(
        database.pool,
        (tx) => recordScans(tx, { tenantId: actor.tenantId, eventId: req.params.id, actor: auditOf(actor), ip: req.ip, scans }),
        { retries: 3 },
      )
      // Counted after the commit: the decision's locks (the audit chain's among them) are held no
      // longer than the decision needs.
      const counts = await checkinCounts(db, actor.tenantId, req.params.id)
      return reply.header('cache-control', 'no-store').send({ results, counts })
    },
  )

  app.post(
    '/console/su-kien/:id/diem-danh/khach',
    { config: CHECKIN, schema: { ...Hidden, params: IdParams, body: WalkInBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'checkin', 'event')
      const b: Static<typeof WalkInBody> = req.body
      const scan: ScanInput = {
        scanId: b.scanId ?? randomUUID(),
        walkIn: { name: b.name, outlet: b.outlet, note: b.note },
        door: b.door ?? '',
        deviceId: b.deviceId ?? '',
        scannedAt: b.scannedAt ?? now().toISOString(),
        offline: b.offline === true || b.offline === 'true',
      }
      const run = () =>
        withTransaction(database.pool, async (tx) => {
          const results = await recordScans(tx, {
            tenantId: actor.tenantId,
            eventId: req.params.id,
            actor: auditOf(actor),
            ip: req.ip,
            scans: [scan],
          })
          return { results, counts: await checkinCounts(tx, actor.tenantId, req.params.id) }
        })
      if (isJson(req)) return reply.header('cache-control', 'no-store').send(await run())
      return runForm(
        reply,
        async () => {
          await run()
          return reply.redirect(`/console/su-kien/${req.params.id}/diem-danh?ok=walkin`, 303)
        },
        (e) => {
          if (e.code === 'EVENT_NOT_FOUND') throw e
          return showPage(req, reply, req.params.id, { error: e, walkIn: { name: b.name, outlet: b.outlet, note: b.note } })
        },
      )
    },
  )

  app.get('/console/su-kien/:id/diem-danh/tinh-hinh', { config: CHECKIN, schema: { ...Hidden, params: IdParams } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'checkin', 'event')
    const event = await findEvent(db, actor.tenantId, req.params.id)
    if (!event) throw new AppError('EVENT_NOT_FOUND')
    const [counts, conflicts] = await Promise.all([
      checkinCounts(db, actor.tenantId, event.id),
      latestConflicts(db, actor.tenantId, event.id),
    ])
    return reply.header('cache-control', 'no-store').send({
      counts,
      conflicts: conflicts.map((c) => ({
        id: c.id,
        reason: c.reason,
        name: c.name,
        door: c.door,
        scannedAt: c.scannedAt.toISOString(),
        offline: c.offline,
        kept: c.kept ? { door: c.kept.door, scannedAt: c.kept.scannedAt.toISOString() } : null,
      })),
    })
  })

  // The press-card photo of an invitation's partner: staff at the door only, never cached.
  app.get(
    '/console/su-kien/:id/diem-danh/anh/:invitationId',
    { config: CHECKIN, schema: { ...Hidden, params: PhotoParams } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'checkin', 'event')
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
      if (!uuid.test(req.params.id) || !uuid.test(req.params.invitationId)) throw new AppError('NOT_FOUND')
      const [inv] = await db
        .select({ partnerId: eventInvitations.partnerId })
        .from(eventInvitations)
        .where(
          and(
            eq(eventInvitations.tenantId, actor.tenantId),
            eq(eventInvitations.eventId, req.params.id),
            eq(eventInvitations.id, req.params.invitationId),
          ),
        )
      const photo = inv ? await pressCardPhoto(db, actor.tenantId, inv.partnerId) : null
      if (!photo) throw new AppError('NOT_FOUND')
      const size = await stat(photo.storagePath)
        .then((s) => (s.isFile() ? s.size : null))
        .catch(() => null)
      if (size === null) {
        req.log.error({ fileId: photo.id }, 'press-card photo missing on disk')
        throw new AppError('NOT_FOUND')
      }
      return reply
        .header('content-type', FILE_TYPES[photo.fileType].mime)
        .header('content-length', String(size))
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox")
        .send(createReadStream(photo.storagePath))
    },
  )
}
