/**
 * NUL characters (U+0000) are refused at the boundary, once for every route. PostgreSQL cannot
 * store U+0000 in text (it fails with "invalid byte sequence"), so a `%00` in a slug, a search
 * term or a form field used to reach the database and come back as a 500. Refusing it here is
 * a clear 400 (NUL_BYTE) instead, and no route has to remember it.
 *
 * - URL (path and query): checked in `onRequest`, before the session or the body is read. A NUL
 *   in the decoded path or query can only come from `%00` or a raw NUL in the URL.
 * - Bodies (JSON, urlencoded and multipart fields, keys included): checked in `preHandler`,
 *   which runs after every scope's body readers (multipart is assembled in a scope's
 *   `preValidation`) and before any handler.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../errors.ts'

/** True when the raw request URL carries a NUL once decoded (`%00`, any case, or a raw NUL). */
export function urlHasNul(url: string): boolean {
  return url.includes('\u0000') || /%00/.test(url)
}

/** True when `value` (a string, or arrays and plain objects of them, keys included) holds a U+0000. */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  // Deeper than any form or API body we accept: refuse rather than walk on.
  if (depth > 32) return true
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1))
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value) && !ArrayBuffer.isView(value)) {
    for (const [k, v] of Object.entries(value)) if (k.includes('\u0000') || containsNul(v, depth + 1)) return true
  }
  return false
}

/** Throws NUL_BYTE when the request's URL holds a NUL. */
export async function refuseNulInUrl(req: FastifyRequest): Promise<void> {
  if (urlHasNul(req.raw.url ?? req.url)) throw new AppError('NUL_BYTE')
}

/** Throws NUL_BYTE when the request's parsed body holds a NUL in a value or a key. */
export async function refuseNulInBody(req: FastifyRequest): Promise<void> {
  if (req.body !== undefined && containsNul(req.body)) throw new AppError('NUL_BYTE')
}

/**
 * Adds both checks to `app` (call before any route is registered, so they run first): the URL
 * in `onRequest`, the body in `preHandler`.
 */
export function refuseNulBytes(app: FastifyInstance): void {
  app.addHook('onRequest', refuseNulInUrl)
  app.addHook('preHandler', refuseNulInBody)
}
