/**
 * The yearly recognition of partners (issue 16 item 7).
 * Staff: GET /console/doi-tac/ghi-nhan?nam=YYYY (the ranking; 'read' event), and with
 * 'recognize' partner: POST /console/doi-tac/ghi-nhan/:partnerId/dieu-chinh (adjust, with a
 * written reason), …/trao (award), …/thu-hoi (revoke, with a reason).
 * Partners (the portal's rule, then `requirePartner`; only their own rows): GET /doi-tac/ghi-nhan.
 * Public: GET /chung-nhan/:code.pdf (the certificate; 410 once revoked), and certificate codes
 * on /xac-minh through the platform's verify-code registry (registered below at load).
 */
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, auditOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize, can } from '../../../platform/policy/index.ts'
import { registerVerifyCodeResolver } from '../../../platform/verify-codes.ts'
import { requirePartner } from '../../partners/partners.actor.ts'
import { normalizeCertificateCode } from './certificate-code.ts'
import { certificatePdf, certificateVerifyUrl } from './certificate.pdf.ts'
import { adjustScore } from './commands/adjust-score.ts'
import { awardRecognition } from './commands/award-recognition.ts'
import { checkYear, currentYear } from './commands/recognition-input.ts'
import { revokeRecognition } from './commands/revoke-recognition.ts'
import {
  certificatePath,
  certificateRevokedPage,
  type RecognitionFormState,
  recognitionConsolePage,
  recognitionPortalPage,
} from './recognition.pages.tsx'
import {
  adjustmentsOfYear,
  conferencesOfYear,
  recognitionByCode,
  recognitionsOfPartner,
  recognitionsOfYear,
} from './recognition.queries.ts'
import { partnerScores } from './score.ts'

// Certificate codes on the public verify page: the certificate's own statements only (name,
// outlet, year, date), or "revoked" with its date — never the score or the revoke reason.
registerVerifyCodeResolver({
  name: 'partner-certificate',
  match: (input) => normalizeCertificateCode(input) !== null,
  async resolve(db, tenantId, input) {
    const code = normalizeCertificateCode(input)
    const rec = code ? await recognitionByCode(db, tenantId, code) : undefined
    if (!rec) return null
    return {
      kind: 'certificate',
      titleKey: rec.revokedAt ? 'evrec.verify.revoked' : 'evrec.verify.valid',
      code: rec.certificateCode,
      status: rec.revokedAt ? 'revoked' : 'valid',
      revokedAt: rec.revokedAt,
      fields: [
        { labelKey: 'evrec.verify.name', value: rec.partnerName },
        ...(rec.outletName ? [{ labelKey: 'evrec.verify.outlet', value: rec.outletName }] : []),
        { labelKey: 'evrec.verify.year', value: String(rec.year) },
        { labelKey: 'evrec.verify.awardedAt', value: rec.awardedAt },
        ...(rec.revokedAt ? [{ labelKey: 'evrec.verify.revokedAt', value: rec.revokedAt }] : []),
      ],
      link: rec.revokedAt ? undefined : { href: certificatePath(rec.certificateCode), labelKey: 'evrec.verify.download' },
    }
  },
})

const READ = { access: { action: 'read', subject: 'event' } } as const
const RECOGNIZE = { access: { action: 'recognize', subject: 'partner' } } as const
const PORTAL = { access: { action: 'read', subject: 'portal' } } as const
const Hidden = { hide: true }
const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(200)) }
const PartnerParams = Type.Object({ partnerId: Type.String({ format: 'uuid' }) })
const PageQuery = Type.Object({ nam: Type.Optional(Str(10)), ok: Type.Optional(Str(20)) })
// Loose on purpose: the commands check the values and the form comes back with the bilingual
// message; beyond these bounds the request is a plain 400.
const AdjustBody = Type.Object({ year: Str(10), points: Type.Optional(Str(20)), reason: Type.Optional(Str(8000)), ...Csrf })
const AwardBody = Type.Object({ year: Str(10), eventId: Type.Optional(Str(64)), ...Csrf })
const RevokeBody = Type.Object({ year: Str(10), reason: Type.Optional(Str(8000)), ...Csrf })
const NOTICES = new Set(['adjusted', 'recognized', 'revoked'])
/** Years the page offers: this one and the five before. */
const YEARS_BACK = 5

/** Registers the console, portal and public routes of the recognition. */
export async function registerRecognitionRoutes(app: TypedApp): Promise<void> {
  const { database, tenant, config } = app.ctx
  const db = database.db

  const showConsole = async (
    req: FastifyRequest,
    reply: FastifyReply,
    year: number,
    o: { notice?: string; state?: RecognitionFormState } = {},
  ) => {
    const actor = actorOf(req)
    const [scores, adjustments, recognitions, conferences] = await Promise.all([
      partnerScores(db, tenant.id, year),
      adjustmentsOfYear(db, tenant.id, year),
      recognitionsOfYear(db, tenant.id, year),
      conferencesOfYear(db, tenant.id, year),
    ])
    const now = currentYear()
    return recognitionConsolePage(
      { req, reply },
      {
        year,
        years: Array.from({ length: YEARS_BACK + 1 }, (_, i) => now - i),
        scores,
        adjustments,
        recognitions,
        conferences,
        canRecognize: can(actor, 'recognize', 'partner'),
        ...o,
      },
    )
  }

  app.get('/console/doi-tac/ghi-nhan', { config: READ, schema: { ...Hidden, querystring: PageQuery } }, async (req, reply) => {
    authorize(actorOf(req), 'read', 'event')
    const year = req.query.nam ? checkYear(req.query.nam) : currentYear()
    const ok = req.query.ok
    return showConsole(req, reply, year, { notice: ok && NOTICES.has(ok) ? `evrec.done.${ok}` : undefined })
  })

  /** Runs one staff action; a refusal shows the ranking again with the form kept open. */
  const act = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { partnerId: string; year: string; form: RecognitionFormState['form']; values: RecognitionFormState['values']; done: string },
    run: (actor: ReturnType<typeof actorOf>) => Promise<unknown>,
  ) => {
    const actor = actorOf(req)
    authorize(actor, 'recognize', 'partner')
    return runForm(
      reply,
      async () => {
        await run(actor)
        const y = checkYear(o.year)
        return reply.redirect(`/console/doi-tac/ghi-nhan?nam=${y}&ok=${o.done}#row-${o.partnerId}`, 303)
      },
      (error) => {
        if (error.status === 404) throw error
        let year: number
        try {
          year = checkYear(o.year)
        } catch {
          year = currentYear()
        }
        return showConsole(req, reply, year, { state: { partnerId: o.partnerId, form: o.form, error, values: o.values } })
      },
    )
  }

  app.post(
    '/console/doi-tac/ghi-nhan/:partnerId/dieu-chinh',
    { config: RECOGNIZE, schema: { ...Hidden, params: PartnerParams, body: AdjustBody } },
    async (req, reply) => {
      const b = req.body
      const partnerId = req.params.partnerId
      return act(
        req,
        reply,
        { partnerId, year: b.year, form: 'adjust', values: { points: b.points, reason: b.reason }, done: 'adjusted' },
        (actor) =>
          withTransaction(database.pool, (tx) =>
            adjustScore({
              tx,
              tenantId: tenant.id,
              partnerId,
              year: b.year,
              points: b.points,
              reason: b.reason,
              actor: auditOf(actor),
              ip: req.ip,
            }),
          ),
      )
    },
  )

  app.post(
    '/console/doi-tac/ghi-nhan/:partnerId/trao',
    { config: RECOGNIZE, schema: { ...Hidden, params: PartnerParams, body: AwardBody } },
    async (req, reply) => {
      const b = req.body
      const partnerId = req.params.partnerId
      return act(req, reply, { partnerId, year: b.year, form: 'award', values: { eventId: b.eventId }, done: 'recognized' }, (actor) =>
        withTransaction(database.pool, (tx) =>
          awardRecognition({ tx, tenantId: tenant.id, partnerId, year: b.year, eventId: b.eventId, actor: auditOf(actor), ip: req.ip }),
        ),
      )
    },
  )

  app.post(
    '/console/doi-tac/ghi-nhan/:partnerId/thu-hoi',
    { config: RECOGNIZE, schema: { ...Hidden, params: PartnerParams, body: RevokeBody } },
    async (req, reply) => {
      const b = req.body
      const partnerId = req.params.partnerId
      return act(req, reply, { partnerId, year: b.year, form: 'revoke', values: { reason: b.reason }, done: 'revoked' }, (actor) =>
        withTransaction(database.pool, (tx) =>
          revokeRecognition({ tx, tenantId: tenant.id, partnerId, year: b.year, reason: b.reason, actor: auditOf(actor), ip: req.ip }),
        ),
      )
    },
  )

  app.get('/doi-tac/ghi-nhan', { config: PORTAL, schema: { ...Hidden } }, async (req, reply) => {
    const actor = actorOf(req)
    const partner = await requirePartner(db, actor)
    const thisYear = currentYear()
    const years = await Promise.all(
      [thisYear, thisYear - 1].map(async (year) => {
        const [score] = await partnerScores(db, tenant.id, year, { partnerId: partner.id })
        return { year, score: score ?? null, adjustments: await adjustmentsOfYear(db, tenant.id, year, partner.id) }
      }),
    )
    return recognitionPortalPage({ req, reply }, { years, certificates: await recognitionsOfPartner(db, tenant.id, partner.id) })
  })

  // `:file` is `<code>.pdf`: the certificate is meant to be shown, and says only what it prints.
  app.get(
    '/chung-nhan/:file',
    { config: { access: 'public' }, schema: { ...Hidden, params: Type.Object({ file: Str(40) }) } },
    async (req, reply) => {
      const m = /^(.+)\.pdf$/i.exec(req.params.file)
      const code = m?.[1] ? normalizeCertificateCode(m[1]) : null
      const rec = code ? await recognitionByCode(db, tenant.id, code) : undefined
      if (!rec) throw new AppError('CERTIFICATE_NOT_FOUND')
      if (rec.revokedAt) return certificateRevokedPage({ req, reply }, { code: rec.certificateCode, revokedAt: rec.revokedAt })
      const pdf = await certificatePdf({
        office: tenant.name,
        province: tenant.province,
        year: rec.year,
        partnerName: rec.partnerName,
        outletName: rec.outletName,
        awardedAt: rec.awardedAt,
        code: rec.certificateCode,
        verifyUrl: certificateVerifyUrl(config.publicUrl, rec.certificateCode),
      })
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="chung-nhan-${rec.certificateCode}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf)
    },
  )
}
