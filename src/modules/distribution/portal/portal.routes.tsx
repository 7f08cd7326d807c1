/**
 * The partner's side of distribution: the inbox (`/doi-tac/hop-thu`, one message at
 * `/doi-tac/hop-thu/:deliveryId`) and the delivery settings (`/doi-tac/nhan-tin`: e-mail mode,
 * lists left and rejoined; `/doi-tac/nhan-tin/webhook…`: endpoints).
 *
 * Partner roles only (`read portal`); every request loads the live partner record
 * (`requirePartner`: 403 PARTNER_REQUIRED without one), and every query is keyed on that
 * partner's id, so another partner's message or endpoint answers 404 like a missing one.
 * Suspended or expired partners still read their inbox (kill notices matter to them) and change
 * their settings, but embargoed text is shown only while the live record may read it
 * (`read-embargoed`, the portal's rule) and only until the lift.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { type Actor, can } from '../../../platform/policy/index.ts'
import { requirePartner } from '../../partners/partners.actor.ts'
import type { PartnerRow } from '../../partners/partners.tables.ts'
import type { EmbargoReader } from '../../portal/portal.policy.ts'
import { listsOfPartner } from '../lists/recipients.ts'
import { createWebhook } from './commands/create-webhook.ts'
import { deleteWebhook } from './commands/delete-webhook.ts'
import { enableWebhook } from './commands/enable-webhook.ts'
import { openMessage } from './commands/open-message.ts'
import { rotateWebhookSecret } from './commands/rotate-webhook-secret.ts'
import { sendWebhookTest } from './commands/send-webhook-test.ts'
import { setEmailPreference } from './commands/set-email-preference.ts'
import { setListMembership } from './commands/set-list-membership.ts'
import { type EmbargoView, inboxPage, messagePage } from './inbox.pages.tsx'
import { findOwnMessage, type InboxMessage, listInbox, liveEmbargoLift } from './inbox.queries.ts'
import { settingsPage, webhookPage, webhooksPage } from './settings.pages.tsx'
import { emailPreferenceOf, findOwnWebhook, listOwnWebhooks, recentDeliveries } from './settings.queries.ts'

// The portal's rule (journalists and influencers); each handler then loads the live partner record.
const PORTAL = { access: { action: 'read', subject: 'portal' } } as const
const Hidden = { hide: true }
const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(200)) }
const CsrfBody = Type.Object(Csrf)
const InboxQuery = Type.Object({ trang: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) })
const MessageParams = Type.Object({ deliveryId: Str(64) })
const IdParams = Type.Object({ id: Str(64) })
const SettingsQuery = Type.Object({ ok: Type.Optional(Str(20)) })
const WebhookQuery = Type.Object({ ok: Type.Optional(Str(20)), test: Type.Optional(Str(64)) })
// Loose on purpose: the command checks the values, so a bad one re-renders the form with the
// bilingual message instead of a bare validation error.
const EmailBody = Type.Object({ mode: Type.Optional(Str(40)), digestHour: Type.Optional(Str(10)), ...Csrf })
// Long enough to reach the URL check (which refuses anything over 2,048 characters with its own
// message); a body beyond this is a plain 400.
const WebhookBody = Type.Object({ url: Type.Optional(Str(16_384)), ...Csrf })

/** Notices a redirect may ask for (`?ok=`): anything else shows nothing. */
const NOTICES: Record<string, string> = {
  email: 'dist.portal.notice.emailSaved',
  left: 'dist.portal.notice.listLeft',
  rejoined: 'dist.portal.notice.listRejoined',
  deleted: 'dist.portal.notice.webhookDeleted',
  enabled: 'dist.portal.notice.webhookEnabled',
  test: 'dist.portal.notice.testQueued',
}
const noticeOf = (ok: string | undefined) => (ok ? NOTICES[ok] : undefined)

/** Registers the inbox and the delivery settings. */
export async function registerDistributionPortalRoutes(app: TypedApp): Promise<void> {
  const { database, config } = app.ctx
  const db = database.db

  /** The portal's embargo rule, asked with the record loaded in this request. */
  const mayReadEmbargoed = (actor: Actor, partner: PartnerRow) =>
    can(actor, 'read-embargoed', { type: 'release', tenantId: actor.tenantId, record: { partner } satisfies EmbargoReader })

  /** What an embargo message may show now: the live record first, then the live lift. */
  const embargoView = async (actor: Actor, partner: PartnerRow, m: InboxMessage): Promise<EmbargoView | null> => {
    if (m.kind !== 'embargo') return null
    if (!mayReadEmbargoed(actor, partner)) return { state: 'denied' }
    const lift = m.itemType === 'release' && m.itemId ? await liveEmbargoLift(db, actor.tenantId, m.itemId) : null
    return lift && lift.getTime() > now().getTime() ? { state: 'open', liftAt: lift } : { state: 'lifted' }
  }

  app.get('/doi-tac/hop-thu', { config: PORTAL, schema: { ...Hidden, querystring: InboxQuery } }, async (req, reply) => {
    const actor = actorOf(req)
    const partner = await requirePartner(db, actor)
    const inbox = await listInbox(db, actor.tenantId, partner.id, req.query.trang ?? 1)
    return inboxPage({ req, reply }, { ...inbox, embargoAccess: mayReadEmbargoed(actor, partner) })
  })

  app.get('/doi-tac/hop-thu/:deliveryId', { config: PORTAL, schema: { ...Hidden, params: MessageParams } }, async (req, reply) => {
    const actor = actorOf(req)
    const partner = await requirePartner(db, actor)
    const m = await findOwnMessage(db, actor.tenantId, partner.id, req.params.deliveryId)
    if (!m) throw new AppError('NOT_FOUND')
    const embargo = await embargoView(actor, partner, m)
    if (await openMessage({ db, tenantId: actor.tenantId, partnerId: partner.id, deliveryId: m.id })) {
      m.state = m.state === 'sent' ? 'opened' : m.state
    }
    return messagePage({ req, reply }, { m, embargo, publicUrl: config.publicUrl })
  })

  const showSettings = async (
    req: FastifyRequest,
    reply: FastifyReply,
    partner: PartnerRow,
    o: Pick<Parameters<typeof settingsPage>[1], 'notice' | 'error' | 'values'> = {},
  ) => {
    const tenantId = partner.tenantId
    const [preference, lists, webhooks] = await Promise.all([
      emailPreferenceOf(db, tenantId, partner.id),
      listsOfPartner(db, tenantId, partner.id),
      listOwnWebhooks(db, tenantId, partner.id),
    ])
    return settingsPage({ req, reply }, { email: partner.email, preference, lists, webhooks, ...o })
  }

  app.get('/doi-tac/nhan-tin', { config: PORTAL, schema: { ...Hidden, querystring: SettingsQuery } }, async (req, reply) => {
    const partner = await requirePartner(db, actorOf(req))
    return showSettings(req, reply, partner, { notice: noticeOf(req.query.ok) })
  })

  app.post('/doi-tac/nhan-tin/email', { config: PORTAL, schema: { ...Hidden, body: EmailBody } }, async (req, reply) => {
    const actor = actorOf(req)
    const partner = await requirePartner(db, actor)
    const b = req.body
    return runForm(
      reply,
      async () => {
        await withTransaction(database.pool, (tx) =>
          setEmailPreference({ tx, actor, partnerId: partner.id, mode: b.mode, digestHour: b.digestHour, ip: req.ip }),
        )
        return reply.redirect('/doi-tac/nhan-tin?ok=email#email', 303)
      },
      (e) => showSettings(req, reply, partner, { error: e, values: { mode: b.mode, digestHour: b.digestHour } }),
    )
  })

  for (const [segment, leave] of [
    ['roi', true],
    ['tham-gia', false],
  ] as const) {
    app.post(
      `/doi-tac/nhan-tin/danh-sach/:id/${segment}`,
      { config: PORTAL, schema: { ...Hidden, params: IdParams, body: CsrfBody } },
      async (req, reply) => {
        const actor = actorOf(req)
        const partner = await requirePartner(db, actor)
        await withTransaction(database.pool, (tx) =>
          setListMembership({ tx, actor, partnerId: partner.id, listId: req.params.id, leave, ip: req.ip }),
        )
        return reply.redirect(`/doi-tac/nhan-tin?ok=${leave ? 'left' : 'rejoined'}#lists`, 303)
      },
    )
  }

  const showWebhooks = async (
    req: FastifyRequest,
    reply: FastifyReply,
    partner: PartnerRow,
    o: Omit<Parameters<typeof webhooksPage>[1], 'webhooks'> = {},
  ) => webhooksPage({ req, reply }, { webhooks: await listOwnWebhooks(db, partner.tenantId, partner.id), ...o })

  app.get('/doi-tac/nhan-tin/webhook', { config: PORTAL, schema: { ...Hidden, querystring: SettingsQuery } }, async (req, reply) => {
    const partner = await requirePartner(db, actorOf(req))
    return showWebhooks(req, reply, partner, { notice: noticeOf(req.query.ok) })
  })

  app.post('/doi-tac/nhan-tin/webhook', { config: PORTAL, schema: { ...Hidden, body: WebhookBody } }, async (req, reply) => {
    const actor = actorOf(req)
    const partner = await requirePartner(db, actor)
    const url = req.body.url ?? ''
    return runForm(
      reply,
      async () => {
        const created = await withTransaction(database.pool, (tx) =>
          createWebhook({ tx, actor, partnerId: partner.id, url, allowPrivate: config.outboundAllowPrivate, ip: req.ip }),
        )
        // Answered directly (not a redirect): the clear secret exists only in this response.
        return showWebhooks(req, reply, partner, { created })
      },
      // A refused URL is shown again only when short enough to be worth correcting.
      (e) => showWebhooks(req, reply, partner, { error: e, values: { url: url.length <= 2048 ? url : '' } }),
    )
  })

  const showWebhook = async (
    req: FastifyRequest,
    reply: FastifyReply,
    partner: PartnerRow,
    id: string,
    o: Omit<Parameters<typeof webhookPage>[1], 'w' | 'deliveries'> = {},
  ) => {
    const w = await findOwnWebhook(db, partner.tenantId, partner.id, id)
    if (!w) throw new AppError('NOT_FOUND')
    const deliveries = await recentDeliveries(db, partner.tenantId, partner.id, w.id)
    return webhookPage({ req, reply }, { w, deliveries, ...o })
  }

  app.get(
    '/doi-tac/nhan-tin/webhook/:id',
    { config: PORTAL, schema: { ...Hidden, params: IdParams, querystring: WebhookQuery } },
    async (req, reply) => {
      const partner = await requirePartner(db, actorOf(req))
      return showWebhook(req, reply, partner, req.params.id, { notice: noticeOf(req.query.ok), testId: req.query.test })
    },
  )

  app.post(
    '/doi-tac/nhan-tin/webhook/:id/xoay-khoa',
    { config: PORTAL, schema: { ...Hidden, params: IdParams, body: CsrfBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      const partner = await requirePartner(db, actor)
      const rotated = await withTransaction(database.pool, (tx) =>
        rotateWebhookSecret({ tx, actor, partnerId: partner.id, webhookId: req.params.id, ip: req.ip }),
      )
      // Answered directly: the new secret is shown this once.
      return showWebhook(req, reply, partner, req.params.id, { rotated })
    },
  )

  app.post(
    '/doi-tac/nhan-tin/webhook/:id/bat-lai',
    { config: PORTAL, schema: { ...Hidden, params: IdParams, body: CsrfBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      const partner = await requirePartner(db, actor)
      await withTransaction(database.pool, (tx) =>
        enableWebhook({ tx, actor, partnerId: partner.id, webhookId: req.params.id, ip: req.ip }),
      )
      return reply.redirect(`/doi-tac/nhan-tin/webhook/${req.params.id}?ok=enabled`, 303)
    },
  )

  app.post(
    '/doi-tac/nhan-tin/webhook/:id/gui-thu',
    { config: PORTAL, schema: { ...Hidden, params: IdParams, body: CsrfBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      const partner = await requirePartner(db, actor)
      return runForm(
        reply,
        async () => {
          const testId = await withTransaction(database.pool, (tx) =>
            sendWebhookTest({ tx, actor, partnerId: partner.id, webhookId: req.params.id, ip: req.ip }),
          )
          return reply.redirect(`/doi-tac/nhan-tin/webhook/${req.params.id}?ok=test&test=${testId}#test-result`, 303)
        },
        (e) => (e.code === 'NOT_FOUND' ? Promise.reject(e) : showWebhook(req, reply, partner, req.params.id, { error: e })),
      )
    },
  )

  app.post(
    '/doi-tac/nhan-tin/webhook/:id/xoa',
    { config: PORTAL, schema: { ...Hidden, params: IdParams, body: CsrfBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      const partner = await requirePartner(db, actor)
      await withTransaction(database.pool, (tx) =>
        deleteWebhook({ tx, actor, partnerId: partner.id, webhookId: req.params.id, ip: req.ip }),
      )
      return reply.redirect('/doi-tac/nhan-tin/webhook?ok=deleted', 303)
    },
  )
}
