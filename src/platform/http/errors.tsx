/**
 * The one error handler: typed AppErrors become their status with a Vietnamese and English
 * message; validation and body errors become 400/413/415; anything else is a 500 that
 * shows only the request id. JSON for API calls, a page for browsers.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, isAppError } from '../errors.ts'
import { Alert, sendPage } from '../html/layout.tsx'
import { both, t } from '../i18n/index.ts'

/** True when the client wants JSON (API routes, fetch with Accept: application/json). */
export function wantsJson(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/')) return true
  const accept = req.headers.accept ?? ''
  if (accept.includes('text/html')) return false
  return accept.includes('application/json') || (req.headers['content-type'] ?? '').includes('application/json')
}

/** Maps framework errors (validation, body parsing, size) onto our codes. */
export function toAppError(err: FastifyError | Error): AppError | undefined {
  if (isAppError(err)) return err
  const e = err as FastifyError
  if (e.validation) return new AppError('VALIDATION', { detail: e.message.slice(0, 200) })
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE')
  }
  if (e.statusCode === 429) return new AppError('RATE_LIMITED')
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new AppError('BAD_REQUEST')
  return undefined
}

/** Sends an error as JSON or as a page. */
export function sendError(req: FastifyRequest, reply: FastifyReply, err: AppError | undefined): FastifyReply {
  const code = err?.code ?? 'INTERNAL'
  const status = err?.status ?? 500
  const params = err?.params ?? {}
  for (const [k, v] of Object.entries(err?.headers ?? {})) reply.header(k, v)
  if (status === 401 && !wantsJson(req) && req.method === 'GET') {
    // Partners have no password: their pages send them to the partner sign-in (portal/auth).
    if (req.url === '/doi-tac' || req.url.startsWith('/doi-tac/') || req.url.startsWith('/doi-tac?')) {
      return reply.redirect('/doi-tac/dang-nhap')
    }
    return reply.redirect(`/console/sign-in?next=${encodeURIComponent(req.url)}`)
  }
  if (wantsJson(req)) {
    return reply.code(status).send({ error: { code, message: both(`errors.${code}`, params), requestId: req.id } })
  }
  const l = req.locale
  return sendPage(
    req,
    reply,
    {
      title: t(l, `errors.${code}`, params),
      shell: req.session || req.url.startsWith('/console') ? 'console' : 'public',
      status,
      narrow: true,
    },
    <>
      <h1>{t(l, `errors.${code}`, params)}</h1>
      <Alert kind="error">
        <p>{t(l === 'vi' ? 'en' : 'vi', `errors.${code}`, params)}</p>
      </Alert>
      <p class="muted small">
        {t(l, 'errors.requestId')}: <code>{req.id}</code>
      </p>
      <p>
        <a href="/">{t(l, 'nav.home')}</a>
      </p>
    </>,
  )
}
