/**
 * "Tin nhắn này có phải lừa đảo?" (issue 17, item 5): the public page where a citizen pastes a
 * message, call script or link, or gives a screenshot of it (GET/POST
 * `/canh-bao/kiem-tra-tin-nhan`, urlencoded or multipart with one image read by OCR in the
 * request), the report of it to the verification desk (POST `…/bao-cao`, the only path that
 * stores anything), and the same check as a rate-limited JSON API (POST
 * `/api/v1/warnings/self-check`).
 *
 * Privacy: the pasted text and the image are neither stored, audited nor logged (Fastify's
 * request log has no body; refusals log their code only; the image stays in memory); every
 * answer carries `Cache-Control: no-store`. Bodies up to TEXT_FORM_BODY_LIMIT are read so an
 * over-long paste gets SELFCHECK_TOO_LONG with the text kept in the form; a larger body is
 * refused with the same code, never Fastify's 413.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { now } from '../../../platform/clock.ts'
import { AppError, isAppError } from '../../../platform/errors.ts'
import { TEXT_FORM_BODY_LIMIT } from '../../../platform/html/too-long.tsx'
import { sendError, toAppError, wantsJson } from '../../../platform/http/errors.tsx'
import { createRateLimiter } from '../../../platform/http/rate-limit.ts'
import { t } from '../../../platform/i18n/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { localYear } from '../../../platform/time.ts'
import { acceptImageForm, createImageTextReader, withImageText } from '../../../platform/uploads/image-text.tsx'
import { closeSharedOcrEngine } from '../../../text/ocr/engine.ts'
import { verdictPath } from '../../factcheck/public/outputs.ts'
import { randomTicketCode } from '../../factcheck/ticket-code.ts'
import { SELFCHECK_PATH, warningPath } from '../warnings.paths.ts'
import { WARNING_LEVELS } from '../warnings.types.ts'
import { reportSelfCheck } from './report-selfcheck.ts'
import { SELFCHECK_MAX_CHARS, selfCheck, watchPublicChanges } from './selfcheck.index.ts'
import { SELFCHECK_HONEYPOT, SELFCHECK_REPORT_PATH, selfCheckPage, selfCheckReportedPage } from './selfcheck.pages.tsx'

/** The JSON API's address. */
export const SELFCHECK_API_PATH = '/api/v1/warnings/self-check'

const FormBody = Type.Object({
  // No maxLength: an over-long paste must reach the handler and come back with the limit.
  text: Type.Optional(Type.String()),
  [SELFCHECK_HONEYPOT]: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
})
const ApiBody = Type.Object({
  text: Type.String({
    description: `Tin nhắn, kịch bản cuộc gọi hoặc đường link nhận được (tối đa ${SELFCHECK_MAX_CHARS.toLocaleString('vi-VN')} ký tự; HTML được đưa về văn bản; có dấu hay không dấu đều được) / the message, call script or link received (at most ${SELFCHECK_MAX_CHARS.toLocaleString('en-GB')} characters; HTML is reduced to text; with or without diacritics)`,
  }),
})
const MatchedBy = Type.Union([Type.Literal('text'), Type.Literal('link')])
const ApiReply = Type.Object({
  warnings: Type.Array(
    Type.Object({
      slug: Type.String(),
      url: Type.String(),
      title: Type.String(),
      level: Type.Union(WARNING_LEVELS.map((x) => Type.Literal(x))),
      instruction: Type.String({ description: 'Cần làm gì / what to do' }),
      score: Type.Number({ minimum: 0, maximum: 1 }),
      matchedBy: MatchedBy,
    }),
  ),
  verdicts: Type.Array(
    Type.Object({
      slug: Type.String(),
      url: Type.String(),
      headline: Type.String(),
      label: Type.String(),
      score: Type.Number({ minimum: 0, maximum: 1 }),
      matchedBy: MatchedBy,
    }),
  ),
  links: Type.Array(
    Type.Object({
      url: Type.String(),
      canonical: Type.String(),
      known: Type.Boolean({
        description: 'Một cảnh báo hoặc kết luận đang hiệu lực nêu đường link này / a warning or verdict in force names it',
      }),
    }),
  ),
  hotline: Type.String(),
})

/** A body over the route's limit is a paste too long, in the module's words. */
function tooLarge(err: FastifyError | Error): boolean {
  return toAppError(err)?.code === 'PAYLOAD_TOO_LARGE'
}

/** Registers the self-check page, the report to the desk and the JSON API. */
export async function registerSelfCheckRoutes(app: TypedApp): Promise<void> {
  const { database, config } = app.ctx
  const db = database.db
  // Checks are cheap and read-only: 30 at once, 60 a minute per address; reports go to the
  // desk's queue: as many as the desk's own form takes (10 a minute).
  const checkLimiter = createRateLimiter({ name: 'warnings.selfcheck', capacity: 30, perMinute: 60 })
  const reportLimiter = createRateLimiter({ name: 'warnings.selfcheck.report', capacity: 10, perMinute: 10 })
  const limitCheck = async (req: FastifyRequest) => checkLimiter.take(req.ip)
  const limitReport = async (req: FastifyRequest) => reportLimiter.take(req.ip)
  // A screenshot costs about a second of a CPU core: 10 per 10 minutes per address.
  const imageReader = createImageTextReader({ name: 'warnings.selfcheck.ocr', capacity: 10, perMinute: 1 })
  // The OCR worker (started by the first image) ends with the app.
  app.addHook('onClose', closeSharedOcrEngine)
  const hotline = () => app.ctx.tenant.hotline?.trim() || '113'
  // Public changes reach the matcher over NOTIFY: a check then costs no query.
  await watchPublicChanges(app)

  /**
   * Refusals of the form routes: the page again, with the text (when it was read) and the
   * error in both languages; a body too large to read says the text could not be kept. Other
   * errors (CSRF, rate limit) go to the app's presentation.
   */
  const formErrors = (err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    const big = tooLarge(err)
    const e = big ? new AppError('SELFCHECK_TOO_LONG', { max: SELFCHECK_MAX_CHARS, chars: 0 }) : toAppError(err)
    if (!e || e.status >= 500) {
      req.log.error({ err }, 'request failed')
      return sendError(req, reply, e)
    }
    // The code only: the pasted text is never written to the log.
    req.log.info({ code: e.code }, 'request refused')
    if (wantsJson(req) || (e.code !== 'SELFCHECK_TOO_LONG' && e.code !== 'SELFCHECK_EMPTY')) return sendError(req, reply, e)
    const body = (req.body ?? {}) as { text?: unknown }
    const text = big || typeof body.text !== 'string' ? '' : body.text
    return selfCheckPage(
      { req, reply },
      {
        text,
        error: e,
        tooLong: e.code === 'SELFCHECK_TOO_LONG' ? (big || !text ? 'lost' : 'kept') : undefined,
        status: e.status,
      },
    )
  }

  app.get(SELFCHECK_PATH, { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => selfCheckPage({ req, reply }, {}))

  // The form may carry one screenshot (multipart, in this scope only: the app's other routes
  // keep their parsers). The image is read in the request and never stored.
  await app.register(async (scope: TypedApp) => {
    await acceptImageForm(scope)
    scope.post(
      SELFCHECK_PATH,
      {
        config: { access: 'public' },
        onRequest: limitCheck,
        bodyLimit: TEXT_FORM_BODY_LIMIT,
        errorHandler: formErrors,
        schema: { hide: true, body: FormBody },
      },
      async (req, reply) => {
        const typed = req.body.text ?? ''
        const image = await imageReader.read(req)
        if (image && !image.ok) {
          // The typed text comes back in the form; the image's reason in both languages.
          req.log.info({ code: `IMAGE_${image.reason}` }, 'request refused')
          return selfCheckPage({ req, reply }, { text: typed, image, status: image.status })
        }
        const text = withImageText(typed, image)
        if (!image) return selfCheckPage({ req, reply }, { text, result: await selfCheck(db, app.ctx.tenant.id, text) })
        try {
          return selfCheckPage({ req, reply }, { text, image, result: await selfCheck(db, app.ctx.tenant.id, text) })
        } catch (e) {
          // Empty or too long once the text read is added: the page with all of it, and what was read.
          if (!isAppError(e) || (e.code !== 'SELFCHECK_EMPTY' && e.code !== 'SELFCHECK_TOO_LONG')) throw e
          req.log.info({ code: e.code }, 'request refused')
          return selfCheckPage(
            { req, reply },
            { text, image, error: e, tooLong: e.code === 'SELFCHECK_TOO_LONG' ? 'kept' : undefined, status: e.status },
          )
        }
      },
    )
  })

  app.post(
    SELFCHECK_REPORT_PATH,
    {
      config: { access: 'public' },
      onRequest: limitReport,
      bodyLimit: TEXT_FORM_BODY_LIMIT,
      errorHandler: formErrors,
      schema: { hide: true, body: FormBody },
    },
    async (req, reply) => {
      const text = req.body.text ?? ''
      // A filled honeypot: a normal-looking answer, nothing stored.
      if ((req.body[SELFCHECK_HONEYPOT] ?? '').trim() !== '') {
        return selfCheckReportedPage({ req, reply }, { ticket: randomTicketCode(localYear(now())), ticketKey: null, duplicate: false })
      }
      const r = await reportSelfCheck(database, { tenantId: app.ctx.tenant.id, text })
      return selfCheckReportedPage({ req, reply }, { ticket: r.ticket, ticketKey: r.ticketKey, duplicate: r.duplicate })
    },
  )

  app.post(
    SELFCHECK_API_PATH,
    {
      // A stateless public API: no cookie authority, so no CSRF token; rate-limited per IP.
      config: { access: 'public', csrf: false },
      onRequest: limitCheck,
      bodyLimit: TEXT_FORM_BODY_LIMIT,
      errorHandler: (err, req, reply) => {
        if (tooLarge(err)) {
          req.log.info({ code: 'SELFCHECK_TOO_LONG' }, 'request refused')
          return sendError(req, reply, new AppError('SELFCHECK_TOO_LONG', { max: SELFCHECK_MAX_CHARS, chars: 0 }))
        }
        throw err
      },
      schema: {
        summary: 'Tin nhắn này có phải lừa đảo? / is this message a scam?',
        description: `${t('vi', 'wself.api.description')} / ${t('en', 'wself.api.description')}`,
        tags: ['warnings'],
        body: ApiBody,
        response: { 200: ApiReply },
      },
    },
    async (req, reply) => {
      const r = await selfCheck(db, app.ctx.tenant.id, req.body.text)
      reply.header('cache-control', 'no-store')
      return {
        warnings: r.warnings.map((w) => ({
          slug: w.slug,
          url: `${config.publicUrl}${warningPath(w.slug)}`,
          title: w.title,
          level: w.level,
          instruction: w.instruction,
          score: w.score,
          matchedBy: w.matchedBy,
        })),
        verdicts: r.verdicts.map((v) => ({ ...v, url: `${config.publicUrl}${verdictPath(v.slug)}` })),
        links: r.links,
        hotline: hotline(),
      }
    },
  )
}
