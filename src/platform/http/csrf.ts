/**
 * CSRF protection for every state-changing request. Signed-in: the token is an HMAC of the
 * session's secret, so a token from another session fails. Anonymous forms (sign-in, setup,
 * reset): a double-submit cookie. Checked on POST/PUT/PATCH/DELETE before the handler.
 */
import { createHmac } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { randomToken, safeEqual } from '../auth/secrets.ts'
import { AppError } from '../errors.ts'

export const CSRF_COOKIE = 'dh_csrf'
export const CSRF_FIELD = '_csrf'
export const CSRF_HEADER = 'x-csrf-token'

/** The CSRF token of a session, derived from its secret. */
export function sessionToken(secret: string): string {
  return createHmac('sha256', secret).update('csrf').digest('base64url')
}

/** The token to embed in forms of this request (sets the anonymous cookie if needed). */
export function csrfToken(req: FastifyRequest, reply: FastifyReply): string {
  if (req.session) return sessionToken(req.session.csrfSecret)
  let token = req.cookies[CSRF_COOKIE]
  if (token?.length !== 32) {
    token = randomToken(24)
    req.cookies[CSRF_COOKIE] = token
    // Secure by the site's configured address, like the session cookie: an https site reached
    // through a proxy that sends no X-Forwarded-Proto (or one not trusted) is still https.
    const secure = req.server.ctx.config.publicUrl.startsWith('https://') || req.protocol === 'https'
    reply.setCookie(CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure })
  }
  return token
}

/** Throws CSRF_INVALID unless the request carries the token of its session (or cookie). */
export function verifyCsrf(req: FastifyRequest): void {
  const body = req.body as Record<string, unknown> | undefined
  const sent = (typeof body?.[CSRF_FIELD] === 'string' ? body[CSRF_FIELD] : undefined) ?? req.headers[CSRF_HEADER]
  if (typeof sent !== 'string' || sent.length === 0) throw new AppError('CSRF_INVALID')
  const expected = req.session ? sessionToken(req.session.csrfSecret) : req.cookies[CSRF_COOKIE]
  if (!expected || !safeEqual(expected, sent)) throw new AppError('CSRF_INVALID')
}
