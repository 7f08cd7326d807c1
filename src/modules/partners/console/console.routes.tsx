/**
 * The partners registry in the staff console (/console/doi-tac…): list and search, new
 * partner with duplicates shown before anything is written, detail with status steps, edit,
 * channels, acknowledgement and merge, near-duplicates, press outlets. Thin routes: validate,
 * authorise, one command or query, present.
 */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { AppError, isAppError } from '../../../platform/errors.ts'
import { actorOf, listOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize, can } from '../../../platform/policy/index.ts'
import { parseLocalDateTime } from '../../../platform/time.ts'
import { addPartnerChannel } from '../commands/add-partner-channel.ts'
import { changePartnerStatus } from '../commands/change-partner-status.ts'
import { createPartner, type PartnerInput } from '../commands/create-partner.ts'
import { createPressOutlet, type PressOutletInput } from '../commands/create-press-outlet.ts'
import { mergePartners, survivingPartnerId } from '../commands/merge-partners.ts'
import { recordAcknowledgement } from '../commands/record-acknowledgement.ts'
import { removePartnerChannel } from '../commands/remove-partner-channel.ts'
import { updatePartner } from '../commands/update-partner.ts'
import { updatePressOutlet } from '../commands/update-press-outlet.ts'
import { isUuid } from '../partners.normalize.ts'
import { type Duplicate, findDuplicates } from '../partners.repository.ts'
import {
  CHANNEL_PLATFORMS,
  type ChannelPlatform,
  OUTLET_KINDS,
  type OutletKind,
  PARTNER_KINDS,
  PARTNER_STATUSES,
  type PartnerKind,
  type PartnerStatus,
  type SigningMethod,
} from '../partners.tables.ts'
import { PARTNER_TRANSITIONS, TRANSITION_ACTION } from '../partners.workflow.ts'
import { partnerActivity } from './activity.queries.ts'
import { type DetailView, partnerDetailPage } from './detail.pages.tsx'
import { emptyPartnerForm, type PartnerFormValues } from './fields.tsx'
import { outletsPage } from './outlets.pages.tsx'
import { newPartnerPage, nearDuplicatesPage, registryListPage } from './registry.pages.tsx'
import {
  expiryWindow,
  journalistsOfOutlets,
  listOutlets,
  listRegistry,
  loadPartnerDetail,
  mergeCandidates,
  nearDuplicateGroups,
  type RegistryFilter,
  soonest,
} from './registry.queries.ts'

const Str = (max: number) => Type.String({ maxLength: max })
const Opt = (max: number) => Type.Optional(Str(max))
const Csrf = { _csrf: Opt(100) }
const Hidden = { hide: true }
const IdParams = Type.Object({ id: Str(64) })
const READ = { access: { action: 'read', subject: 'partner' } }
const MANAGE = { access: { action: 'manage', subject: 'partner' } }
const MERGE = { access: { action: 'merge', subject: 'partner' } }

const ListQuery = Type.Object({
  q: Opt(200),
  kind: Opt(20),
  status: Opt(30),
  outlet: Opt(64),
  beat: Opt(80),
  commune: Opt(100),
  expiring: Opt(4),
  page: Opt(8),
  done: Opt(20),
})
const PartnerFieldsBody = {
  name: Str(400),
  outletId: Opt(64),
  pressCardNumber: Opt(80),
  pressCardExpiresOn: Opt(20),
  phone: Opt(80),
  email: Opt(400),
  beats: Opt(2000),
  communes: Type.Optional(Type.Union([Str(100), Type.Array(Str(100), { maxItems: 200 })])),
  accreditationEndsOn: Opt(20),
}
const NewBody = Type.Object({
  kind: Str(20),
  ...PartnerFieldsBody,
  channelPlatform: Opt(20),
  channelUrl: Opt(1000),
  channelFollowers: Opt(20),
  ...Csrf,
})
const EditBody = Type.Object({ ...PartnerFieldsBody, ...Csrf })
const StatusBody = Type.Object({ to: Str(30), reason: Str(4000), accreditationEndsOn: Opt(20), ...Csrf })
const AckBody = Type.Object({ method: Str(20), signedAt: Opt(40), ...Csrf })
const ChannelBody = Type.Object({ channelPlatform: Str(20), channelUrl: Str(1000), channelFollowers: Opt(20), ...Csrf })
const MergeBody = Type.Object({ other: Opt(64), otherId: Opt(64), keep: Str(10), reason: Str(4000), ...Csrf })
const OutletBody = Type.Object({
  name: Str(400),
  kind: Str(20),
  licenceNumber: Opt(200),
  licenceIssuer: Opt(400),
  website: Opt(600),
  contactDesk: Opt(600),
  ...Csrf,
})
const DetailQuery = Type.Object({ done: Opt(20), gop: Opt(64) })
const NOTICES = new Set(['created', 'updated', 'status', 'ack', 'channel', 'merged', 'unchanged'])

const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | undefined =>
  v && (list as readonly string[]).includes(v) ? (v as T) : undefined

/** The form's partner fields as the command takes them (the command validates). */
function partnerInputOf(kind: PartnerKind, b: Static<typeof EditBody> & Partial<Static<typeof NewBody>>): PartnerInput {
  const channel =
    kind === 'influencer' && b.channelUrl?.trim()
      ? [
          {
            platform: (b.channelPlatform ?? 'other') as ChannelPlatform,
            url: b.channelUrl,
            followers: followersOf(b.channelFollowers),
          },
        ]
      : []
  return {
    kind,
    name: b.name,
    outletId: b.outletId || null,
    pressCardNumber: b.pressCardNumber || null,
    pressCardExpiresOn: b.pressCardExpiresOn || null,
    phone: b.phone || null,
    email: b.email || null,
    beats: (b.beats ?? '').split(/[,;\n]/),
    communeCodes: listOf(b.communes),
    accreditationEndsOn: b.accreditationEndsOn || null,
    channels: channel,
  }
}

/** Declared followers as typed ("12.500", "12 500"); the command refuses what is not a number. */
function followersOf(v: string | undefined): number | null {
  const digits = (v ?? '').replace(/[\s.,]/g, '')
  if (!digits) return null
  if (!/^\d+$/.test(digits)) throw new AppError('PARTNER_INVALID', { field: 'followers' })
  return Number(digits)
}

function formValuesOf(kind: PartnerKind, b: Static<typeof EditBody> & Partial<Static<typeof NewBody>>): PartnerFormValues {
  return {
    kind,
    name: b.name,
    outletId: b.outletId ?? '',
    pressCardNumber: b.pressCardNumber ?? '',
    pressCardExpiresOn: b.pressCardExpiresOn ?? '',
    phone: b.phone ?? '',
    email: b.email ?? '',
    beats: b.beats ?? '',
    communes: listOf(b.communes),
    accreditationEndsOn: b.accreditationEndsOn ?? '',
    channelPlatform: b.channelPlatform,
    channelUrl: b.channelUrl,
    channelFollowers: b.channelFollowers,
  }
}

const DUPLICATE_CODES = new Set(['PARTNER_DUPLICATE_EMAIL', 'PARTNER_DUPLICATE_PHONE', 'PARTNER_DUPLICATE_PRESS_CARD'])

/** Registers the console routes of the partners registry. */
export async function registerPartnerConsoleRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db

  /** The records holding the keys typed in a refused form (malformed keys have no holder). */
  const duplicatesOf = async (input: PartnerInput, exceptId?: string): Promise<Duplicate[]> => {
    try {
      return (await findDuplicates(db, tenant.id, input)).filter((d) => d.partnerId !== exceptId)
    } catch (e) {
      if (isAppError(e)) return []
      throw e
    }
  }

  // ---- List ----------------------------------------------------------------------------
  app.get('/console/doi-tac', { config: READ, schema: { ...Hidden, querystring: ListQuery } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'partner')
    const q = req.query
    const filter: RegistryFilter = {
      q: q.q?.trim() || undefined,
      kind: oneOf(PARTNER_KINDS, q.kind),
      status: oneOf(PARTNER_STATUSES, q.status),
      outletId: isUuid(q.outlet) ? q.outlet : undefined,
      beat: q.beat?.trim() || undefined,
      communeCode: q.commune || undefined,
      expiring: q.expiring === '1',
      page: Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1),
    }
    const [list, outlets] = await Promise.all([listRegistry(db, tenant.id, filter), listOutlets(db, tenant.id)])
    return registryListPage(
      { req, reply },
      {
        filter,
        ...list,
        outlets,
        today: expiryWindow().today,
        canManage: can(actor, 'manage', 'partner'),
        notice: q.done && NOTICES.has(q.done) ? `partners.console.done.${q.done}` : undefined,
      },
    )
  })

  // ---- New partner ---------------------------------------------------------------------
  app.get(
    '/console/doi-tac/moi',
    { config: MANAGE, schema: { ...Hidden, querystring: Type.Object({ kind: Opt(20) }) } },
    async (req, reply) => {
      authorize(actorOf(req), 'manage', 'partner')
      const kind = oneOf(PARTNER_KINDS, req.query.kind) ?? 'journalist'
      return newPartnerPage({ req, reply }, { values: emptyPartnerForm(kind), outlets: await listOutlets(db, tenant.id) })
    },
  )
  app.post('/console/doi-tac/moi', { config: MANAGE, schema: { ...Hidden, body: NewBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'manage', 'partner')
    const b = req.body
    const kind = oneOf(PARTNER_KINDS, b.kind) ?? 'journalist'
    return runForm(
      reply,
      async () => {
        const input = partnerInputOf(kind, b)
        const { id } = await withTransaction(database.pool, (tx) => createPartner({ tx, actor, input, ip: req.ip }))
        return reply.redirect(`/console/doi-tac/${id}?done=created`, 303)
      },
      async (error) => {
        // A refused duplicate names the records that hold the key, linked, before anything is written.
        let duplicates: Duplicate[] = []
        if (DUPLICATE_CODES.has(error.code)) {
          try {
            duplicates = await duplicatesOf(partnerInputOf(kind, b))
          } catch {
            duplicates = []
          }
        }
        return newPartnerPage(
          { req, reply },
          { values: formValuesOf(kind, b), outlets: await listOutlets(db, tenant.id), error, duplicates },
        )
      },
    )
  })

  // ---- Near-duplicates -------------------------------------------------------------------
  app.get('/console/doi-tac/trung-lap', { config: READ, schema: Hidden }, async (req, reply) => {
    authorize(actorOf(req), 'read', 'partner')
    return nearDuplicatesPage({ req, reply }, { groups: await nearDuplicateGroups(db, tenant.id) })
  })

  // ---- Outlets -----------------------------------------------------------------------------
  const showOutlets = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { error?: AppError; errorFor?: string; values?: Partial<PressOutletInput>; notice?: string } = {},
  ) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'partner')
    const outlets = await listOutlets(db, tenant.id)
    const journalists = await journalistsOfOutlets(
      db,
      tenant.id,
      outlets.map((x) => x.id),
    )
    return outletsPage({ req, reply }, { outlets, journalists, canManage: can(actor, 'manage', 'partner'), ...o })
  }
  app.get(
    '/console/doi-tac/co-quan',
    { config: READ, schema: { ...Hidden, querystring: Type.Object({ done: Opt(20) }) } },
    async (req, reply) => showOutlets(req, reply, { notice: req.query.done === 'saved' ? 'partners.console.done.outletSaved' : undefined }),
  )
  const outletInput = (b: Static<typeof OutletBody>): PressOutletInput => ({
    name: b.name,
    kind: (oneOf(OUTLET_KINDS, b.kind) ?? b.kind) as OutletKind,
    licenceNumber: b.licenceNumber,
    licenceIssuer: b.licenceIssuer,
    website: b.website,
    contactDesk: b.contactDesk,
  })
  app.post('/console/doi-tac/co-quan', { config: MANAGE, schema: { ...Hidden, body: OutletBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'manage', 'partner')
    const input = outletInput(req.body)
    return runForm(
      reply,
      async () => {
        await withTransaction(database.pool, (tx) => createPressOutlet({ tx, actor, input, ip: req.ip }))
        return reply.redirect('/console/doi-tac/co-quan?done=saved', 303)
      },
      (error) => showOutlets(req, reply, { error, errorFor: 'new', values: input }),
    )
  })
  app.post(
    '/console/doi-tac/co-quan/:id',
    { config: MANAGE, schema: { ...Hidden, params: IdParams, body: OutletBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'partner')
      const { id } = req.params
      if (!isUuid(id)) throw new AppError('NOT_FOUND')
      const input = outletInput(req.body)
      return runForm(
        reply,
        async () => {
          await withTransaction(database.pool, (tx) => updatePressOutlet({ tx, actor, outletId: id, input, ip: req.ip }))
          return reply.redirect('/console/doi-tac/co-quan?done=saved', 303)
        },
        (error) => showOutlets(req, reply, { error, errorFor: id, values: input }),
      )
    },
  )

  // ---- Detail --------------------------------------------------------------------------------
  const showDetail = async (req: FastifyRequest, reply: FastifyReply, id: string, o: Partial<DetailView> = {}) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'partner')
    const detail = isUuid(id) ? await loadPartnerDetail(db, tenant.id, id) : null
    if (!detail) throw new AppError('NOT_FOUND')
    const p = detail.partner
    const { today, soon } = expiryWindow()
    const live = !p.mergedInto
    return partnerDetailPage(
      { req, reply },
      {
        detail,
        outlets: await listOutlets(db, tenant.id),
        nextStatuses: live ? PARTNER_TRANSITIONS[p.status].filter((to) => can(actor, TRANSITION_ACTION[to], 'partner')) : [],
        canManage: live && can(actor, 'manage', 'partner'),
        canMerge: live && can(actor, 'merge', 'partner'),
        candidates: live && can(actor, 'merge', 'partner') ? await mergeCandidates(db, tenant.id, p) : [],
        today,
        expiresSoon: soonest(p, soon),
        activity: await partnerActivity(db, actor, p.id, req.locale),
        ...o,
      },
    )
  }

  app.get(
    '/console/doi-tac/:id',
    { config: READ, schema: { ...Hidden, params: IdParams, querystring: DetailQuery } },
    async (req, reply) => {
      authorize(actorOf(req), 'read', 'partner')
      const { id } = req.params
      if (!isUuid(id)) throw new AppError('NOT_FOUND')
      const { done, gop } = req.query
      // A merged record stands for its survivor: old links land there, saying what happened.
      const survivor = await withTransaction(database.pool, (tx) => survivingPartnerId(tx, tenant.id, id))
      if (!survivor) throw new AppError('NOT_FOUND')
      if (survivor !== id) return reply.redirect(`/console/doi-tac/${survivor}?gop=${id}`, 303)
      let mergedName: string | undefined
      if (gop && isUuid(gop)) {
        const merged = await loadPartnerDetail(db, tenant.id, gop)
        if (merged?.partner.mergedInto === id) mergedName = merged.partner.name
      }
      return showDetail(req, reply, id, {
        notice: done && NOTICES.has(done) ? `partners.console.done.${done}` : undefined,
        mergedName,
      })
    },
  )

  app.post(
    '/console/doi-tac/:id/trang-thai',
    { config: MANAGE, schema: { ...Hidden, params: IdParams, body: StatusBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      const { id } = req.params
      const to = oneOf(PARTNER_STATUSES, req.body.to)
      if (!to) throw new AppError('PARTNER_INVALID', { field: 'status' })
      // The target's own right (accredit, suspend, revoke…), before anything else: 403, nothing written.
      authorize(actor, TRANSITION_ACTION[to as PartnerStatus], 'partner')
      return runForm(
        reply,
        async () => {
          await withTransaction(database.pool, (tx) =>
            changePartnerStatus({
              tx,
              actor,
              partnerId: id,
              to,
              reason: req.body.reason,
              accreditationEndsOn: req.body.accreditationEndsOn || undefined,
              ip: req.ip,
            }),
          )
          return reply.redirect(`/console/doi-tac/${id}?done=status#status`, 303)
        },
        (error) => showDetail(req, reply, id, { error, errorAt: 'status', errorTo: to }),
      )
    },
  )

  app.post('/console/doi-tac/:id/sua', { config: MANAGE, schema: { ...Hidden, params: IdParams, body: EditBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'manage', 'partner')
    const { id } = req.params
    if (!isUuid(id)) throw new AppError('NOT_FOUND')
    const detail = await loadPartnerDetail(db, tenant.id, id)
    if (!detail || detail.partner.mergedInto) throw new AppError('NOT_FOUND')
    const kind = detail.partner.kind
    return runForm(
      reply,
      async () => {
        const { kind: _k, channels: _c, ...input } = partnerInputOf(kind, req.body)
        const { changed } = await withTransaction(database.pool, (tx) => updatePartner({ tx, actor, partnerId: id, input, ip: req.ip }))
        return reply.redirect(`/console/doi-tac/${id}?done=${changed.length ? 'updated' : 'unchanged'}`, 303)
      },
      async (error) =>
        showDetail(req, reply, id, {
          error,
          errorAt: 'edit',
          editValues: formValuesOf(kind, req.body),
          duplicates: DUPLICATE_CODES.has(error.code) ? await duplicatesOf(partnerInputOf(kind, req.body), id) : [],
        }),
    )
  })

  app.post(
    '/console/doi-tac/:id/cam-ket',
    { config: MANAGE, schema: { ...Hidden, params: IdParams, body: AckBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'partner')
      const { id } = req.params
      return runForm(
        reply,
        async () => {
          const method = oneOf(['portal', 'paper', 'email'] as const, req.body.method)
          if (!method) throw new AppError('PARTNER_INVALID', { field: 'signing method' })
          // Typed as Vietnam wall time; empty means "now".
          const signedAt = req.body.signedAt ? parseLocalDateTime(req.body.signedAt) : undefined
          if (signedAt === null) throw new AppError('PARTNER_INVALID', { field: 'signed at' })
          await withTransaction(database.pool, (tx) =>
            recordAcknowledgement({ tx, actor, partnerId: id, method: method as SigningMethod, signedAt, ip: req.ip }),
          )
          return reply.redirect(`/console/doi-tac/${id}?done=ack#acknowledgement`, 303)
        },
        (error) => showDetail(req, reply, id, { error, errorAt: 'ack' }),
      )
    },
  )

  app.post(
    '/console/doi-tac/:id/kenh',
    { config: MANAGE, schema: { ...Hidden, params: IdParams, body: ChannelBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'partner')
      const { id } = req.params
      return runForm(
        reply,
        async () => {
          const platform = oneOf(CHANNEL_PLATFORMS, req.body.channelPlatform)
          if (!platform) throw new AppError('PARTNER_INVALID', { field: 'channel' })
          const channel = { platform, url: req.body.channelUrl, followers: followersOf(req.body.channelFollowers) }
          await withTransaction(database.pool, (tx) => addPartnerChannel({ tx, actor, partnerId: id, channel, ip: req.ip }))
          return reply.redirect(`/console/doi-tac/${id}?done=channel#channels`, 303)
        },
        (error) => showDetail(req, reply, id, { error, errorAt: 'channel' }),
      )
    },
  )

  app.post(
    '/console/doi-tac/:id/kenh/:channelId/xoa',
    { config: MANAGE, schema: { ...Hidden, params: Type.Object({ id: Str(64), channelId: Str(64) }), body: Type.Object(Csrf) } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'partner')
      const { id, channelId } = req.params
      if (!isUuid(channelId)) throw new AppError('NOT_FOUND')
      await withTransaction(database.pool, (tx) => removePartnerChannel({ tx, actor, partnerId: id, channelId, ip: req.ip }))
      return reply.redirect(`/console/doi-tac/${id}?done=channel#channels`, 303)
    },
  )

  app.post('/console/doi-tac/:id/gop', { config: MERGE, schema: { ...Hidden, params: IdParams, body: MergeBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'merge', 'partner')
    const { id } = req.params
    const b = req.body
    return runForm(
      reply,
      async () => {
        // A typed record id wins over the picked candidate (the list holds only likely ones).
        const other = (b.otherId?.trim() || b.other || '').toLowerCase()
        if (!isUuid(other)) throw new AppError('PARTNER_INVALID', { field: 'other record' })
        const keepThis = b.keep !== 'other'
        const survivorId = keepThis ? id : other
        const duplicateId = keepThis ? other : id
        await withTransaction(database.pool, (tx) => mergePartners({ tx, actor, survivorId, duplicateId, reason: b.reason, ip: req.ip }))
        return reply.redirect(`/console/doi-tac/${survivorId}?done=merged&gop=${duplicateId}`, 303)
      },
      (error) => showDetail(req, reply, id, { error, errorAt: 'merge' }),
    )
  })
}
