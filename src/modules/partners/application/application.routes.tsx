/**
 * The public application (`/doi-tac/dang-ky`: the form, e-mail verification, the applicant's
 * private status page with the answer form and consent withdrawal) and the staff review queue
 * (`/console/doi-tac/ho-so`, with the proof files served to staff only). Multipart is registered
 * in this plugin's scope only. Routes are thin: read the form, call one command, present.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf } from '../../../platform/html/forms.tsx'
import { sendError, toAppError, wantsJson } from '../../../platform/http/errors.tsx'
import { createRateLimiter } from '../../../platform/http/rate-limit.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { FILE_TYPES, safeFileName } from '../../../platform/uploads/index.ts'
import { isUuid } from '../partners.normalize.ts'
import { answerApplication } from './commands/answer-application.ts'
import { closeDuplicateApplication } from './commands/close-duplicate-application.ts'
import { confirmApplicationEmail } from './commands/confirm-application-email.ts'
import { decideApplication, QUEUE_DECISIONS, type QueueDecision } from './commands/decide-application.ts'
import { submitApplication } from './commands/submit-application.ts'
import { withdrawApplicationConsent } from './commands/withdraw-application-consent.ts'
import {
  formValues,
  honeypotFilled,
  MAX_FIELD_BYTES,
  MAX_PROOF_BYTES,
  MAX_PROOF_FILES,
  proofFilesOf,
  readApplicationMultipart,
} from './application.intake.ts'
import { statusPath, wellFormedToken } from './application.links.ts'
import {
  applicationFormPage,
  applicationSentPage,
  confirmPage,
  FORM_PATH,
  QUEUE_PATH,
  queuePage,
  statusPage,
} from './application.pages.tsx'
import { applicationByStatusToken, applicationFile, applicationStatus, listReviewQueue, outletChoices } from './application.repository.ts'

const Str = (max: number) => Type.Optional(Type.String({ maxLength: max }))
const Any = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())]))
// Multipart fields arrive as strings (repeated names as arrays); lengths are enforced while
// reading (MAX_FIELD_BYTES) so a refusal can still show the form with everything else.
const FormBody = Type.Object({}, { additionalProperties: Any })
const TokenQuery = Type.Object({ token: Str(200) })
const TokenBody = Type.Object({ token: Str(200), _csrf: Str(100) })
const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) })
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) })
const DecisionBody = Type.Object({
  decision: Type.String({ maxLength: 20 }),
  reason: Str(4000),
  accreditationEndsOn: Str(20),
  _csrf: Str(100),
})
const CloseBody = Type.Object({ reason: Str(4000), _csrf: Str(100) })
const WithdrawBody = Type.Object({ confirm: Str(10), _csrf: Str(100) })
const QueueQuery = Type.Object({ ok: Str(1) })
const StatusQuery = Type.Object({ ok: Str(20) })

/** The content disposition of a proof: ASCII fallback name and the UTF-8 one. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const safe = safeFileName(name)
  const ascii = safe
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_')
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safe)}`
}

/** Registers the application's public routes and the staff review queue. */
export async function registerApplicationRoutes(app: TypedApp): Promise<void> {
  const { database, tenant, config } = app.ctx
  const db = database.db
  const pub = { access: 'public' as const }
  const staff = { access: { action: 'read', subject: 'partner' } }
  // Applications: a few per address (a family or newsroom may share one); the other public
  // steps more freely, still bounded so tokens cannot be tried in bulk.
  const applyLimiter = createRateLimiter({ name: 'partners.apply', capacity: 5, perMinute: 2 })
  const stepLimiter = createRateLimiter({ name: 'partners.apply.step', capacity: 30, perMinute: 30 })
  const limitApply = async (req: FastifyRequest) => applyLimiter.take(req.ip)
  const limitStep = async (req: FastifyRequest) => stepLimiter.take(req.ip)

  const form = async (req: FastifyRequest, reply: FastifyReply, o: { error?: AppError; status?: number } = {}) =>
    applicationFormPage({ req, reply }, { outlets: await outletChoices(db, tenant.id), values: formValues(req.body), ...o })

  const statusOf = async (token: string) => {
    const ok = wellFormedToken(token)
    const application = ok ? await applicationByStatusToken(db, tenant.id, ok) : null
    if (!application) throw new AppError('APPLICATION_TOKEN_INVALID')
    return application
  }

  // The public form and the answer form: multipart in this scope only.
  await app.register(async (scope: TypedApp) => {
    await scope.register(multipart, {
      limits: {
        fileSize: MAX_PROOF_BYTES,
        files: MAX_PROOF_FILES + 2,
        fields: 40,
        fieldSize: MAX_FIELD_BYTES,
        parts: MAX_PROOF_FILES + 42,
        headerPairs: 200,
      },
      throwFileSizeLimit: false,
    })
    scope.addHook('preValidation', readApplicationMultipart)

    // A refused form is shown again with what was typed and the error in both languages
    // (files cannot be refilled by a page: the page says so); the rest goes to the app's
    // error presentation.
    scope.setErrorHandler(async (err, req, reply) => {
      let e = toAppError(err as Error)
      if (e?.code === 'PAYLOAD_TOO_LARGE') e = new AppError('APPLICATION_FIELD_TOO_LONG', { field: '—', maxKb: MAX_FIELD_BYTES / 1024 })
      if (!e || e.status >= 500) req.log.error({ err }, 'request failed')
      else req.log.info({ code: e.code }, 'request refused')
      if (e && e.status < 500 && req.method === 'POST' && !wantsJson(req)) {
        for (const [k, v] of Object.entries(e.headers)) reply.header(k, v)
        if (req.routeOptions.url === FORM_PATH) return form(req, reply, { error: e, status: e.status })
        const token = (req.params as { token?: string } | undefined)?.token
        if (req.routeOptions.url?.endsWith('/tra-loi') && token && e.code !== 'APPLICATION_TOKEN_INVALID') {
          const application = await statusOf(token)
          return statusPage(
            { req, reply },
            {
              token,
              status: await applicationStatus(db, application),
              answer: formValues(req.body).answer,
              error: e,
              httpStatus: e.status,
            },
          )
        }
      }
      return sendError(req, reply, e)
    })

    scope.get(FORM_PATH, { config: pub, schema: { hide: true } }, async (req, reply) => form(req, reply))

    scope.post(FORM_PATH, { config: pub, onRequest: limitApply, schema: { hide: true, body: FormBody } }, async (req, reply) => {
      // A filled honeypot gets the normal answer; nothing is stored.
      if (honeypotFilled(req.body)) return applicationSentPage({ req, reply })
      const files = proofFilesOf(req)
      await withTransaction(database.pool, (tx) =>
        submitApplication({
          tx,
          tenantId: tenant.id,
          publicUrl: config.publicUrl,
          dataDir: config.dataDir,
          form: formValues(req.body),
          files,
          ip: req.ip,
        }),
      )
      return reply.code(303).header('location', `${FORM_PATH}/da-gui`).send()
    })

    scope.post(
      '/doi-tac/dang-ky/trang-thai/:token/tra-loi',
      { config: pub, onRequest: limitStep, schema: { hide: true, params: TokenParams, body: FormBody } },
      async (req, reply) => {
        const application = await statusOf(req.params.token)
        const files = proofFilesOf(req)
        await withTransaction(database.pool, (tx) =>
          answerApplication({ tx, application, answer: formValues(req.body).answer, files, dataDir: config.dataDir, ip: req.ip }),
        )
        return reply
          .code(303)
          .header('location', `${statusPath(req.params.token)}?ok=answered`)
          .send()
      },
    )
  })

  app.get(`${FORM_PATH}/da-gui`, { config: pub, schema: { hide: true } }, async (req, reply) => applicationSentPage({ req, reply }))

  // GET only shows a button: mail scanners fetch links, and must not use up the token.
  app.get(
    '/doi-tac/dang-ky/xac-nhan',
    { config: pub, onRequest: limitStep, schema: { hide: true, querystring: TokenQuery } },
    async (req, reply) => {
      const token = wellFormedToken(req.query.token)
      if (!token) return confirmPage({ req, reply }, { token: '', error: new AppError('APPLICATION_TOKEN_INVALID'), status: 404 })
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer')
      return confirmPage({ req, reply }, { token })
    },
  )

  app.post(
    '/doi-tac/dang-ky/xac-nhan',
    { config: pub, onRequest: limitStep, schema: { hide: true, body: TokenBody } },
    async (req, reply) => {
      const token = wellFormedToken(req.body.token)
      try {
        if (!token) throw new AppError('APPLICATION_TOKEN_INVALID')
        const r = await withTransaction(database.pool, (tx) =>
          confirmApplicationEmail({ tx, tenantId: tenant.id, publicUrl: config.publicUrl, token, ip: req.ip }),
        )
        return reply
          .code(303)
          .header('location', `${statusPath(r.statusToken)}?ok=verified`)
          .send()
      } catch (e) {
        const err = toAppError(e as Error)
        if (!err || err.status >= 500) throw e
        return confirmPage({ req, reply }, { token: '', error: err, status: err.status })
      }
    },
  )

  app.get(
    '/doi-tac/dang-ky/trang-thai/:token',
    { config: pub, onRequest: limitStep, schema: { hide: true, params: TokenParams, querystring: StatusQuery } },
    async (req, reply) => {
      const application = await statusOf(req.params.token)
      const flash = req.query.ok === 'answered' || req.query.ok === 'withdrawn' || req.query.ok === 'verified' ? req.query.ok : undefined
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex')
      return statusPage({ req, reply }, { token: req.params.token, status: await applicationStatus(db, application), flash })
    },
  )

  app.post(
    '/doi-tac/dang-ky/trang-thai/:token/rut-dong-y',
    { config: pub, onRequest: limitStep, schema: { hide: true, params: TokenParams, body: WithdrawBody } },
    async (req, reply) => {
      const application = await statusOf(req.params.token)
      // Withdrawal revokes the record: it takes a deliberate tick, not a stray tap.
      if (req.body.confirm !== 'yes') {
        const error = new AppError('APPLICATION_FIELD_REQUIRED', { field: 'xác nhận rút lại / confirm withdrawal' })
        return statusPage(
          { req, reply },
          { token: req.params.token, status: await applicationStatus(db, application), error, httpStatus: 400 },
        )
      }
      await withTransaction(database.pool, (tx) =>
        withdrawApplicationConsent({ tx, application, officeEmail: app.ctx.tenant.email || undefined, ip: req.ip }),
      )
      return reply
        .code(303)
        .header('location', `${statusPath(req.params.token)}?ok=withdrawn`)
        .send()
    },
  )

  // --- staff ---------------------------------------------------------------------------------

  app.get(QUEUE_PATH, { config: staff, schema: { hide: true, querystring: QueueQuery } }, async (req, reply) =>
    queuePage({ req, reply }, { items: await listReviewQueue(db, tenant.id), flash: req.query.ok }),
  )

  app.post(`${QUEUE_PATH}/:id`, { config: staff, schema: { hide: true, params: IdParams, body: DecisionBody } }, async (req, reply) => {
    const actor = actorOf(req)
    const decision = req.body.decision as QueueDecision
    try {
      if (!Object.hasOwn(QUEUE_DECISIONS, decision) || !isUuid(req.params.id)) throw new AppError('NOT_FOUND')
      await withTransaction(database.pool, (tx) =>
        decideApplication({
          tx,
          actor,
          partnerId: req.params.id,
          decision,
          reason: req.body.reason ?? '',
          accreditationEndsOn: req.body.accreditationEndsOn,
          publicUrl: config.publicUrl,
          ip: req.ip,
        }),
      )
    } catch (e) {
      const err = toAppError(e as Error)
      if (!err || err.status >= 500 || err.status === 401 || err.status === 403) throw e
      return queuePage({ req, reply }, { items: await listReviewQueue(db, tenant.id), error: err, status: err.status })
    }
    return reply.code(303).header('location', `${QUEUE_PATH}?ok=1`).send()
  })

  app.post(`${QUEUE_PATH}/trung/:id`, { config: staff, schema: { hide: true, params: IdParams, body: CloseBody } }, async (req, reply) => {
    const actor = actorOf(req)
    try {
      await withTransaction(database.pool, (tx) =>
        closeDuplicateApplication({ tx, actor, applicationId: req.params.id, reason: req.body.reason ?? '', ip: req.ip }),
      )
    } catch (e) {
      const err = toAppError(e as Error)
      if (!err || err.status >= 500 || err.status === 401 || err.status === 403) throw e
      return queuePage({ req, reply }, { items: await listReviewQueue(db, tenant.id), error: err, status: err.status })
    }
    return reply.code(303).header('location', `${QUEUE_PATH}?ok=1`).send()
  })

  // Proof files: staff only, never cached, never sniffed, sandboxed if opened directly.
  app.get(`${QUEUE_PATH}/tep/:id`, { config: staff, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    const file = isUuid(req.params.id) ? await applicationFile(db, tenant.id, req.params.id) : null
    if (!file) throw new AppError('NOT_FOUND')
    const info = FILE_TYPES[file.fileType]
    const size = await stat(file.storagePath)
      .then((s) => (s.isFile() ? s.size : null))
      .catch(() => null)
    if (size === null) {
      req.log.error({ fileId: file.id }, 'application proof missing on disk')
      throw new AppError('NOT_FOUND')
    }
    return reply
      .header('content-type', info.mime)
      .header('content-length', String(size))
      .header('content-disposition', disposition(info.kind === 'image' ? 'inline' : 'attachment', file.fileName))
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('x-robots-tag', 'noindex, nofollow')
      .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox")
      .send(createReadStream(file.storagePath))
  })
}
