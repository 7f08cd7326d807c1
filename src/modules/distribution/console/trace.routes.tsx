/**
 * Trace a leak (/console/phan-phoi/truy-vet, `trace` on `distribution`: approvers and admins).
 * Staff paste a link or text that holds a recipient's link, or upload a file (≤ 25 MB) that was
 * served through one: the token (tokenInText, or the file's mark read by `extractMark`) names the
 * delivery, so the recipient. Each successful trace is audited (it names a person); a paste or
 * file with no token answers "Không tìm thấy dấu / No mark found".
 *
 * Multipart is registered in this plugin's own scope (as the release uploads do), so other
 * routes keep their parsers.
 */
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import { withTransaction } from '../../../db/index.ts'
import { AppError, isAppError } from '../../../platform/errors.ts'
import { actorOf, auditOf } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize } from '../../../platform/policy/index.ts'
import { tokenInText } from '../distribution.links.ts'
import { traceLeak } from './commands/trace-leak.ts'
import { extractMark } from './marks.ts'
import { tracePage } from './trace.pages.tsx'

const MB = 1024 * 1024
const TRACE = { access: { action: 'trace', subject: 'distribution' } } as const

/** The multipart body, flattened: the pasted text and the file's bytes. */
const TraceBody = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  q: Type.Optional(Type.String({ maxLength: 20_000 })),
  file: Type.Optional(Type.Unknown()),
})

interface MultipartEntry {
  type?: 'field' | 'file'
  value?: unknown
  filename?: string
  _buf?: Buffer
}

/** Trace a leak: /console/phan-phoi/truy-vet (a pasted link or an uploaded file names its recipient). */
export async function registerTraceRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx

  app.get('/console/phan-phoi/truy-vet', { config: TRACE, schema: { hide: true } }, async (req, reply) => {
    authorize(req.actor, 'trace', 'distribution')
    return tracePage({ req, reply }, {})
  })

  await app.register(async (scope: TypedApp) => {
    await scope.register(multipart, {
      attachFieldsToBody: true,
      limits: { fileSize: 25 * MB, files: 1, fields: 4, fieldSize: 20_000, parts: 6, headerPairs: 100 },
    })
    // Plain fields become strings (the CSRF check and the schema read `_csrf` and `q`), the file its bytes.
    scope.addHook('preValidation', async (req) => {
      if (!req.isMultipart() || !req.body || typeof req.body !== 'object') return
      const flat: Record<string, unknown> = {}
      for (const [key, entry] of Object.entries(req.body as Record<string, MultipartEntry | MultipartEntry[]>)) {
        const one = Array.isArray(entry) ? entry[0] : entry
        if (!one) continue
        if (one.type === 'file') flat[key] = { filename: one.filename ?? '', data: one._buf ?? Buffer.alloc(0) }
        else if (typeof one.value === 'string') flat[key] = one.value
      }
      req.body = flat
    })

    scope.post('/console/phan-phoi/truy-vet', { config: TRACE, schema: { hide: true, body: TraceBody } }, async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'trace', 'distribution')
      const body = (req.body ?? {}) as { q?: string; file?: { filename: string; data: Buffer } }
      const pasted = body.q?.trim() ?? ''
      const file = body.file && Buffer.isBuffer(body.file.data) && body.file.data.length > 0 ? body.file : null
      let token: string | null = null
      let via: 'text' | 'file' = 'text'
      let format: string | null = null
      try {
        if (file) {
          const found = extractMark(file.data)
          via = 'file'
          format = found.format
          token = found.token
        }
        if (!token && pasted) {
          token = tokenInText(pasted)
          if (token) {
            via = 'text'
            format = null
          }
        }
        if (!file && !pasted) throw new AppError('TRACE_INPUT_MISSING')
        if (!token) throw new AppError('TRACE_NOT_FOUND')
        const found = token
        const traced = await withTransaction(database.pool, (tx) =>
          traceLeak({ tx, tenantId: tenant.id, actor: auditOf(actor), token: found, via, format, ip: req.ip }),
        )
        return tracePage({ req, reply }, { traced, via, format, pasted: file ? '' : pasted })
      } catch (e) {
        if (!isAppError(e) || e.status >= 500) throw e
        return tracePage({ req, reply }, { error: e, format, fileName: file?.filename, pasted })
      }
    })
  })
}
