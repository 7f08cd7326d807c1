/**
 * Evidence routes: capture a page by URL (fetched before the transaction, so no lock is held
 * during the network call), paste a page, upload a file (multipart in this plugin's own scope,
 * so every other route keeps JSON and urlencoded forms only), a link, a published release; and
 * reading one item (its stored text, or the file). There is no route to edit or delete
 * evidence: it is immutable, and a database trigger refuses changes anyway.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import { runAudited } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { authorize } from '../../../platform/policy/index.ts'
import { FILE_TYPES, type FileType } from '../../../platform/uploads/index.ts'
import { looksLikeHtml, stripHtml } from '../../../text/normalize.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { addEvidence } from '../commands/add-evidence.ts'
import { capturePage } from './capture.ts'
import { claimStep } from './claim.routes.tsx'
import { showClaim } from './claim-view.ts'
import { actorOf, auditOf, claimSubject, DESK, loadClaimOr404, runForm } from './desk-kit.tsx'
import { findEvidence } from './desk.queries.ts'
import { evidencePage } from './evidence.pages.tsx'

const MB = 1024 * 1024
const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(100)) }
const IdParams = Type.Object({ id: Str(64) })
const EvidenceParams = Type.Object({ id: Str(64), evidenceId: Str(64) })
const CaptureBody = Type.Object({ url: Str(2000), title: Type.Optional(Str(1000)), ...Csrf })
// A pasted page may be a whole HTML document: up to the app's 1 MB body limit.
const PasteBody = Type.Object({ url: Str(2000), title: Str(1000), content: Str(1_000_000), ...Csrf })
const LinkBody = Type.Object({ url: Str(2000), title: Str(1000), ...Csrf })
const ReleaseBody = Type.Object({ releaseId: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }), ...Csrf })
const FileBody = Type.Object({ title: Type.Optional(Str(1000)), file: Type.Optional(Type.Unknown()), ...Csrf })

/** A file part once the multipart body is flattened. */
interface UploadedPart {
  filename: string
  mimetype: string
  data: Buffer
}

interface MultipartEntry {
  type?: 'field' | 'file'
  value?: unknown
  filename?: string
  mimetype?: string
  _buf?: Buffer
}

/** Registers the evidence routes. */
export async function registerEvidenceRoutes(app: TypedApp): Promise<void> {
  const { config, database, tenant } = app.ctx

  app.post(
    `${DESK}/:id/evidence/capture`,
    { config: { access: { action: 'investigate', subject: 'claim' } }, schema: { hide: true, params: IdParams, body: CaptureBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      const { id } = req.params
      const b = req.body
      return runForm(
        reply,
        async () => {
          authorize(actor, 'investigate', claimSubject(tenant.id))
          await loadClaimOr404(database.db, tenant.id, id)
          // Private and loopback addresses only in tests (a local server stands in for a site).
          const page = await capturePage(b.url, { allowPrivate: config.env === 'test' })
          await runAudited(database.pool, async (tx) => {
            const claim = await loadClaimOr404(tx, tenant.id, id, { forUpdate: true })
            return addEvidence({
              tx,
              claim,
              actor: auditOf(actor),
              input: {
                kind: 'page',
                url: page.finalUrl,
                title: b.title?.trim() || page.title || page.finalUrl,
                text: page.text,
                html: page.html ?? undefined,
              },
              ip: req.ip,
            })
          })
          return reply.redirect(`${DESK}/${id}?done=captured#ev-h`, 303)
        },
        (e) => showClaim(req, reply, id, { error: e }),
      )
    },
  )

  claimStep(app, 'evidence/paste', 'investigate', PasteBody, async (o) => {
    const content = o.body.content
    if (!content.trim()) throw new AppError('VALIDATION', { detail: 'content' })
    const html = looksLikeHtml(content) ? content : undefined
    await addEvidence({
      tx: o.tx,
      claim: o.claim,
      actor: o.actor,
      input: { kind: 'page', url: o.body.url, title: o.body.title, text: html ? stripHtml(html) : content, html },
      ip: o.ip,
    })
    return { done: 'pasted', anchor: 'ev-h' }
  })

  claimStep(app, 'evidence/link', 'investigate', LinkBody, async (o) => {
    await addEvidence({ tx: o.tx, claim: o.claim, actor: o.actor, input: { kind: 'link', url: o.body.url, title: o.body.title }, ip: o.ip })
    return { done: 'linked', anchor: 'ev-h' }
  })

  claimStep(app, 'evidence/release', 'investigate', ReleaseBody, async (o) => {
    await addEvidence({ tx: o.tx, claim: o.claim, actor: o.actor, input: { kind: 'release', releaseId: o.body.releaseId }, ip: o.ip })
    return { done: 'releaseLinked', anchor: 'ev-h' }
  })

  await app.register(async (scope: TypedApp) => {
    await scope.register(multipart, {
      attachFieldsToBody: true,
      limits: { fileSize: 25 * MB, files: 1, fields: 4, fieldSize: 4096, parts: 6, headerPairs: 100 },
    })
    // After the multipart hook: plain fields become strings (the CSRF check and the schema read
    // `_csrf` and `title`), the file becomes its bytes and names.
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
      `${DESK}/:id/evidence/file`,
      { config: { access: { action: 'investigate', subject: 'claim' } }, schema: { hide: true, params: IdParams, body: FileBody } },
      async (req, reply) => {
        const actor = actorOf(req)
        const { id } = req.params
        const b = (req.body ?? {}) as { title?: string; file?: UploadedPart }
        return runForm(
          reply,
          async () => {
            authorize(actor, 'investigate', claimSubject(tenant.id))
            const file = b.file
            if (!file || !Buffer.isBuffer(file.data)) throw new AppError('UPLOAD_EMPTY', { name: '—' })
            await runAudited(database.pool, async (tx) => {
              const claim = await loadClaimOr404(tx, tenant.id, id, { forUpdate: true })
              return addEvidence({
                tx,
                claim,
                actor: auditOf(actor),
                input: { kind: 'file', title: b.title ?? '', fileName: file.filename, data: file.data, dataDir: config.dataDir },
                ip: req.ip,
              })
            })
            return reply.redirect(`${DESK}/${id}?done=uploaded#ev-h`, 303)
          },
          (e) => showClaim(req, reply, id, { error: e }),
        )
      },
    )
  })

  app.get(
    `${DESK}/:id/evidence/:evidenceId`,
    { config: { access: { action: 'read', subject: 'claim' } }, schema: { hide: true, params: EvidenceParams } },
    async (req, reply) => {
      authorize(req.actor, 'read', claimSubject(tenant.id))
      const { id, evidenceId } = req.params
      const claim = await loadClaimOr404(database.db, tenant.id, id)
      const evidence = await findEvidence(database.db, tenant.id, claim.claim.id, evidenceId)
      if (!evidence) throw new AppError('NOT_FOUND')
      return evidencePage({ req, reply }, { claimId: claim.claim.id, claimCode: claim.claim.code, evidence })
    },
  )

  app.get(
    `${DESK}/:id/evidence/:evidenceId/file`,
    { config: { access: { action: 'read', subject: 'claim' } }, schema: { hide: true, params: EvidenceParams } },
    async (req, reply) => {
      authorize(req.actor, 'read', claimSubject(tenant.id))
      const { id, evidenceId } = req.params
      const claim = await loadClaimOr404(database.db, tenant.id, id)
      const e = await findEvidence(database.db, tenant.id, claim.claim.id, evidenceId)
      const info = e?.fileType ? FILE_TYPES[e.fileType as FileType] : undefined
      if (e?.kind !== 'file' || !e.storagePath || !info) throw new AppError('NOT_FOUND')
      const size = await stat(e.storagePath)
        .then((s) => (s.isFile() ? s.size : null))
        .catch(() => null)
      if (size === null) {
        req.log.error({ evidenceId: e.id }, 'evidence file missing on disk')
        throw new AppError('NOT_FOUND')
      }
      // Served with its checked type, never sniffed, always as a download, never cached.
      return reply
        .header('content-type', info.mime)
        .header('content-length', String(size))
        .header('content-disposition', `attachment; filename="evidence-${e.sha256.slice(0, 12)}.${info.ext}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex, nofollow')
        .send(createReadStream(e.storagePath))
    },
  )
}
