/**
 * The inquiries API (`/api/v1/inquiries`, in /docs): a partner asks, lists their own questions
 * and reads one with its answer. A signed-in partner session or a personal token with scope
 * `inquiries` (`tokenScope`). The partner record is loaded on every call (`requirePartner`):
 * staff accounts and accounts without a live partner record get 403 PARTNER_REQUIRED; reads
 * are scoped to the partner in the query, so another partner's id answers 404.
 */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { withTransaction } from '../../db/index.ts'
import { AppError } from '../../platform/errors.ts'
import type { TypedApp } from '../../platform/modules.ts'
import { hasEmbargoAccess, requirePartner } from '../partners/partners.actor.ts'
import { createInquiry, MAX_QUESTION, MAX_TOPIC } from './commands/create-inquiry.ts'
import { partnerMayAsk } from './inquiries.policy.ts'
import { getPartnerInquiry, listPartnerInquiries } from './inquiries.repository.ts'
import { releaseOptions } from './inquiries.releases.ts'
import { INQUIRY_CHANNELS, INQUIRY_KINDS, INQUIRY_STATUSES, type InquiryRow, REFUSAL_GROUNDS } from './inquiries.tables.ts'
import { attributionLine } from './inquiries.mail.ts'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(s: T) => Type.Union([s, Type.Null()])
const Lit = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)))
const ErrorJson = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.Object({ vi: Type.String(), en: Type.String() }) }),
})

/** An inquiry as its asker sees it (never a linked case, never internal assignees). */
const InquiryJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  code: Type.String({ description: 'e.g. HD-2026-0001' }),
  kind: Lit(INQUIRY_KINDS),
  channel: Lit(INQUIRY_CHANNELS),
  topic: Type.String(),
  question: Type.String(),
  releaseId: Nullable(Type.String({ format: 'uuid' })),
  caseRef: Nullable(Type.String()),
  neededBy: Nullable(Type.String({ format: 'date-time' })),
  receivedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time', description: 'Legal due time, fixed at receipt' }),
  status: Lit(INQUIRY_STATUSES),
  answer: Nullable(
    Type.Object({
      text: Type.String(),
      spokesperson: Type.Object({ name: Type.String(), title: Type.String() }),
      agency: Type.String(),
      attribution: Type.Object({ vi: Type.String(), en: Type.String() }, { description: 'The line to cite: spokesperson and agency' }),
      answeredAt: Type.String({ format: 'date-time' }),
    }),
  ),
  refusal: Nullable(Type.Object({ ground: Lit(REFUSAL_GROUNDS), explanation: Type.String(), at: Type.String({ format: 'date-time' }) })),
  publicUrl: Nullable(Type.String()),
})

const AskBody = Type.Object({
  kind: Lit(INQUIRY_KINDS),
  topic: Type.String({ minLength: 1, maxLength: MAX_TOPIC }),
  // The limit is enforced by the command so a too long question gets its own bilingual 413.
  question: Type.String({ minLength: 1, description: `At most ${MAX_QUESTION} characters (longer: 413 INQUIRY_TOO_LONG)` }),
  releaseId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  caseRef: Type.Optional(Nullable(Type.String({ maxLength: MAX_TOPIC, description: 'Your own reference to a case' }))),
  neededBy: Type.Optional(Nullable(Type.String({ format: 'date-time', description: 'When you need the answer' }))),
  namePublic: Type.Optional(Type.Boolean({ description: 'You agree to be named if the answer is published as a public Q&A' })),
})
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

/** The asker's view of an inquiry. */
export function presentInquiry(i: InquiryRow, publicUrl: string): Static<typeof InquiryJson> {
  const answered = i.status === 'answered' && i.answer && i.answerSpokespersonName && i.answerAgency && i.answeredAt
  const sp = { name: i.answerSpokespersonName ?? '', title: i.answerSpokespersonTitle ?? '', agency: i.answerAgency ?? '' }
  return {
    id: i.id,
    code: i.code,
    kind: i.kind,
    channel: i.channel,
    topic: i.topic,
    question: i.question,
    releaseId: i.releaseId,
    caseRef: i.caseRef,
    neededBy: i.neededBy?.toISOString() ?? null,
    receivedAt: i.receivedAt.toISOString(),
    dueAt: i.dueAt.toISOString(),
    status: i.status,
    answer: answered
      ? {
          text: i.answer as string,
          spokesperson: { name: sp.name, title: sp.title },
          agency: sp.agency,
          attribution: { vi: attributionLine('vi', sp), en: attributionLine('en', sp) },
          answeredAt: (i.answeredAt as Date).toISOString(),
        }
      : null,
    refusal:
      i.status === 'refused' && i.refusalGround
        ? { ground: i.refusalGround, explanation: i.refusalExplanation ?? '', at: (i.answeredAt ?? i.updatedAt).toISOString() }
        : null,
    publicUrl: i.publicSlug ? `${publicUrl}/hoi-dap/${i.publicSlug}` : null,
  }
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'private, no-store')
}

/** Registers `/api/v1/inquiries`. */
export async function registerInquiryApi(app: TypedApp): Promise<void> {
  const { database, tenant, config } = app.ctx
  const db = database.db
  const config_ = { access: { action: 'read', subject: 'portal' }, tokenScope: 'inquiries' } as const

  app.get(
    '/api/v1/inquiries',
    {
      config: config_,
      schema: {
        summary: 'Câu hỏi của tôi / my inquiries',
        description: 'The calling partner’s own inquiries, newest first (at most 100), with answers or refusals.',
        tags: ['inquiries'],
        security: [{ session: [] }],
        response: { 200: Type.Object({ items: Type.Array(InquiryJson) }), 401: ErrorJson, 403: ErrorJson },
      },
    },
    async (req, reply) => {
      const partner = await requirePartner(db, req.actor)
      noStore(reply)
      const rows = await listPartnerInquiries(db, tenant.id, partner.id)
      return { items: rows.map((r) => presentInquiry(r, config.publicUrl)) }
    },
  )

  app.get(
    '/api/v1/inquiries/:id',
    {
      config: config_,
      schema: {
        summary: 'Một câu hỏi của tôi / one of my inquiries',
        description: 'One of the calling partner’s inquiries; any other id (another partner’s included) is 404.',
        tags: ['inquiries'],
        params: IdParams,
        security: [{ session: [] }],
        response: { 200: InquiryJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson },
      },
    },
    async (req, reply) => {
      const partner = await requirePartner(db, req.actor)
      noStore(reply)
      const row = await getPartnerInquiry(db, tenant.id, partner.id, req.params.id)
      if (!row) throw new AppError('NOT_FOUND')
      return presentInquiry(row, config.publicUrl)
    },
  )

  app.post(
    '/api/v1/inquiries',
    {
      config: config_,
      schema: {
        summary: 'Gửi câu hỏi / ask a question',
        description:
          'Asks the press office. Kinds and their legal clocks: incident (initial information, 24 h), complaint (forwarded complaint or petition, 30 days), question (5 working days). ' +
          `A verified or accredited partner only (403 INQUIRY_CANNOT_ASK otherwise). The question is at most ${MAX_QUESTION} characters (413 INQUIRY_TOO_LONG, nothing stored). ` +
          'releaseId must be a public release, or an embargoed one while you are accredited.',
        tags: ['inquiries'],
        body: AskBody,
        security: [{ session: [] }],
        response: { 201: InquiryJson, 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 413: ErrorJson },
      },
    },
    async (req, reply) => {
      const partner = await requirePartner(db, req.actor)
      const actor = req.actor
      if (!actor) throw new AppError('UNAUTHENTICATED')
      if (!partnerMayAsk(partner.status)) throw new AppError('INQUIRY_CANNOT_ASK', { status: partner.status })
      const b = req.body
      const neededBy = b.neededBy ? new Date(b.neededBy) : null
      const row = await withTransaction(database.pool, async (tx) => {
        const allowed = b.releaseId
          ? new Set((await releaseOptions(tx, tenant.id, { embargo: hasEmbargoAccess(partner) })).map((r) => r.id))
          : new Set<string>()
        return createInquiry({
          tx,
          tenantId: tenant.id,
          publicUrl: config.publicUrl,
          asker: {
            partnerId: partner.id,
            userId: actor.id,
            name: partner.name,
            email: partner.email,
            contact: partner.phone,
            outlet: null,
          },
          channel: 'api',
          input: {
            kind: b.kind,
            topic: b.topic,
            question: b.question,
            releaseId: b.releaseId,
            caseRef: b.caseRef,
            neededBy,
            askerNamePublic: b.namePublic,
          },
          allowedReleaseIds: allowed,
          actor: { id: actor.id, label: actor.email },
          ip: req.ip,
        })
      })
      noStore(reply).code(201)
      return presentInquiry(row, config.publicUrl)
    },
  )
}
