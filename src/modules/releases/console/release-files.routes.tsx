/**
 * Uploads to a release and serving them: staff read them at
 * `/console/releases/:id/files/:fileId` (no-store, noindex); the public at `/tep/:fileId/:name`
 * only while the release is publicly visible (the one rule of `releases.public.ts`) and only
 * files that were there when the public edition was published.
 *
 * Multipart is registered in this plugin's own scope, so the content parsers of every other
 * route stay as they were (JSON and urlencoded forms only).
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { runAudited } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { and, eq } from 'drizzle-orm'
import { authorize, can } from '../../../platform/policy/index.ts'
import { FILE_TYPES, safeFileName } from '../../../platform/uploads/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { addAttachment, attachmentMarkdown } from '../commands/add-attachment.ts'
import { releaseSubject } from '../releases.repository.ts'
import { releaseAttachments } from '../releases.tables.ts'
import { type Attachment, findAttachment, findPublicAttachment } from './console.queries.ts'
import { actorOf, auditOf, runForm } from '../../../platform/html/forms.tsx'
import { loadVisibleRelease, showRelease } from './release-view.ts'

const MB = 1024 * 1024
const Str = (max: number) => Type.String({ maxLength: max })
const IdParams = Type.Object({ id: Str(64) })
const FileParams = Type.Object({ id: Str(64), fileId: Str(64) })
const PublicParams = Type.Object({ fileId: Str(64), name: Str(400) })

/** A file part as the upload route sees it once the multipart body is attached. */
interface UploadedPart {
  filename: string
  mimetype: string
  data: Buffer
}

/** The multipart body, flattened: plain fields as strings, the file as bytes. */
const UploadBody = Type.Object({
  _csrf: Type.Optional(Str(100)),
  // Looser than the 200 characters kept: addAttachment refuses a longer alt with a clear message.
  alt: Type.Optional(Str(2000)),
  file: Type.Optional(Type.Unknown()),
})

interface MultipartEntry {
  type?: 'field' | 'file'
  value?: unknown
  filename?: string
  mimetype?: string
  _buf?: Buffer
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const safe = safeFileName(name)
  const ascii = safe
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_')
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safe)}`
}

/** Streams a stored file with its own type (never sniffed) and the given caching. */
async function sendFile(req: FastifyRequest, reply: FastifyReply, a: Attachment, cache: 'private' | 'public'): Promise<FastifyReply> {
  const info = FILE_TYPES[a.fileType]
  const etag = `"${a.sha256}"`
  const size = await stat(a.storagePath)
    .then((s) => (s.isFile() ? s.size : null))
    .catch(() => null)
  if (size === null) {
    req.log.error({ attachmentId: a.id }, 'attachment file missing on disk')
    throw new AppError('NOT_FOUND')
  }
  reply
    .header('content-type', info.mime)
    .header('content-length', String(size))
    .header('content-disposition', disposition(info.kind === 'image' ? 'inline' : 'attachment', a.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('etag', etag)
  if (cache === 'private') reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow')
  // Short public lifetime: a withdrawal or "gone" must stop serving the file soon.
  else reply.header('cache-control', 'public, max-age=300')
  if (cache === 'public' && req.headers['if-none-match'] === etag) return reply.code(304).send()
  return reply.send(createReadStream(a.storagePath))
}

/** Registers the upload and file routes. */
export async function registerReleaseFileRoutes(app: TypedApp): Promise<void> {
  const { config, database, tenant } = app.ctx

  await app.register(async (scope: TypedApp) => {
    await scope.register(multipart, {
      attachFieldsToBody: true,
      limits: { fileSize: 25 * MB, files: 1, fields: 4, fieldSize: 4096, parts: 6, headerPairs: 100 },
    })
    // Runs after the multipart hook has attached the parts: plain fields become strings (so the
    // CSRF check and the schema see `_csrf` and `alt`), the file becomes its bytes and names.
    scope.addHook('preValidation', async (req) => {
      if (!req.isMultipart() || !req.body || typeof req.body !== 'object') return
      const flat: Record<string, unknown> = {}
      for (const [key, entry] of Object.entries(req.body as Record<string, MultipartEntry | MultipartEntry[]>)) {
        const one = Array.isArray(entry) ? entry[0] : entry
        if (!one) continue
        if (one.type === 'file')
          flat[key] = {
            filename: one.filename ?? '',
            mimetype: one.mimetype ?? '',
            data: one._buf ?? Buffer.alloc(0),
          } satisfies UploadedPart
        else if (typeof one.value === 'string') flat[key] = one.value
      }
      req.body = flat
    })

    scope.post(
      '/console/releases/:id/files',
      { config: { access: { action: 'create', subject: 'release' } }, schema: { hide: true, params: IdParams, body: UploadBody } },
      async (req, reply) => {
        const actor = actorOf(req)
        const { id } = req.params
        const body = (req.body ?? {}) as { alt?: string; file?: UploadedPart }
        return runForm(
          reply,
          async () => {
            const file = body.file
            if (!file || !Buffer.isBuffer(file.data)) throw new AppError('UPLOAD_EMPTY', { name: '—' })
            const added = await runAudited(database.pool, async (tx) => {
              const release = await loadVisibleRelease(tx, actor, id, { forUpdate: true })
              authorize(actor, 'upload', releaseSubject(release))
              return addAttachment({
                tx,
                release,
                actor: auditOf(actor),
                dataDir: config.dataDir,
                filename: file.filename,
                data: file.data,
                declaredMime: file.mimetype,
                alt: body.alt,
                ip: req.ip,
              })
            })
            // Shown at once (not through a redirect), above the list that repeats it.
            return showRelease(req, reply, id, { notice: 'releases.done.uploaded', snippet: attachmentMarkdown(added) })
          },
          (e) => showRelease(req, reply, id, { error: e }),
        )
      },
    )
  })

  app.get(
    '/console/releases/:id/files/:fileId',
    { config: { access: { action: 'list', subject: 'release' } }, schema: { hide: true, params: FileParams } },
    async (req, reply) => {
      const actor = actorOf(req)
      const { id, fileId } = req.params
      const release = await loadVisibleRelease(database.db, actor, id)
      const file = await findAttachment(database.db, tenant.id, release.release.id, fileId)
      if (!file) throw new AppError('NOT_FOUND')
      return sendFile(req, reply, file, 'private')
    },
  )

  app.get('/tep/:fileId/:name', { config: { access: 'public' }, schema: { hide: true, params: PublicParams } }, async (req, reply) => {
    const { fileId } = req.params
    const file = await findPublicAttachment(database.db, tenant.id, fileId)
    if (file) return sendFile(req, reply, file, req.session ? 'private' : 'public')
    // Not public yet: staff who may read the release see it (editor preview, approval).
    const [row] =
      req.actor && can(req.actor, 'list', 'release') && /^[0-9a-f-]{36}$/i.test(fileId)
        ? await database.db
            .select({ releaseId: releaseAttachments.releaseId })
            .from(releaseAttachments)
            .where(and(eq(releaseAttachments.id, fileId), eq(releaseAttachments.tenantId, tenant.id)))
        : []
    if (!row || !req.actor) throw new AppError('NOT_FOUND')
    const release = await loadVisibleRelease(database.db, req.actor, row.releaseId)
    const staffFile = await findAttachment(database.db, tenant.id, release.release.id, fileId)
    if (!staffFile) throw new AppError('NOT_FOUND')
    return sendFile(req, reply, staffFile, 'private')
  })
}
