/**
 * The settings routes: the identity form and the logo upload on /console/settings (admins),
 * and the logo itself at /logo/<sha256>.<ext> (public: the header shows it on every page).
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../db/index.ts'
import { AppError } from '../../platform/errors.ts'
import { actorOf, auditOf, runForm } from '../../platform/html/forms.tsx'
import type { TypedApp } from '../../platform/modules.ts'
import { authorize } from '../../platform/policy/index.ts'
import { applyTenant, watchTenant } from '../../platform/tenancy/index.ts'
import { FILE_TYPES, uploadPath } from '../../platform/uploads/index.ts'
import { setLogo } from './commands/set-logo.ts'
import { updateIdentity } from './commands/update-identity.ts'
import { type IdentityValues, settingsPage } from './settings.pages.tsx'

const Str = (max: number) => Type.String({ maxLength: max })
const Hidden = { hide: true }
const MANAGE = { access: { action: 'manage', subject: 'settings' } } as const
const MB = 1024 * 1024

/** The identity form's body (field names shared with the setup wizard). */
export const IdentityBody = {
  identityName: Str(400),
  shortName: Type.Optional(Str(200)),
  province: Str(200),
  hotline: Str(80),
  identityEmail: Str(254),
  address: Str(600),
  website: Type.Optional(Str(400)),
}

/** The identity typed into a form, under the command's names. */
export function identityFromBody(b: {
  identityName: string
  shortName?: string
  province: string
  hotline: string
  identityEmail: string
  address: string
  website?: string
}): Required<IdentityValues> {
  return {
    name: b.identityName,
    shortName: b.shortName ?? '',
    province: b.province,
    hotline: b.hotline,
    email: b.identityEmail,
    address: b.address,
    website: b.website ?? '',
  }
}

const NoticeQuery = Type.Object({ done: Type.Optional(Str(20)) })
const NOTICES = new Set(['identity', 'logo'])
const LogoParams = Type.Object({ file: Str(80) })

interface MultipartEntry {
  type?: 'field' | 'file'
  value?: unknown
  filename?: string
  mimetype?: string
  _buf?: Buffer
}

/** Registers the settings routes, and keeps this process's tenant current across processes. */
export async function registerSettingsRoutes(app: TypedApp): Promise<void> {
  const { config, database, tenant } = app.ctx

  // Another process (or this one) changed the identity: pages and mails read the live object.
  app.addHook('onReady', async () => {
    await watchTenant(app.ctx.events, database.db, tenant)
  })

  const show = (req: FastifyRequest, reply: FastifyReply, o: Omit<Parameters<typeof settingsPage>[1], 'tenant'> = {}) => {
    authorize(actorOf(req), 'manage', 'settings')
    return settingsPage({ req, reply }, { tenant, ...o })
  }

  app.get('/console/settings', { config: MANAGE, schema: { ...Hidden, querystring: NoticeQuery } }, async (req, reply) => {
    const done = req.query.done
    return show(req, reply, { notice: done && NOTICES.has(done) ? `settings.done.${done}` : undefined })
  })

  app.post(
    '/console/settings/identity',
    { config: MANAGE, schema: { ...Hidden, body: Type.Object({ ...IdentityBody, _csrf: Type.Optional(Str(100)) }) } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'settings')
      const input = identityFromBody(req.body)
      return runForm(
        reply,
        async () => {
          const updated = await withTransaction(database.pool, (tx) =>
            updateIdentity({ tx, tenantId: tenant.id, actor: auditOf(actor), input, ip: req.ip }),
          )
          // This process at once; the others on the notice.
          applyTenant(tenant, updated)
          return reply.redirect('/console/settings?done=identity', 303)
        },
        (e) => show(req, reply, { error: e, values: input }),
      )
    },
  )

  await app.register(async (scope: TypedApp) => {
    await scope.register(multipart, {
      attachFieldsToBody: true,
      limits: { fileSize: 10 * MB, files: 1, fields: 2, fieldSize: 4096, parts: 3, headerPairs: 100 },
    })
    // Plain fields become strings (the CSRF check reads `_csrf`), the file its bytes and names.
    scope.addHook('preValidation', async (req) => {
      if (!req.isMultipart() || !req.body || typeof req.body !== 'object') return
      const flat: Record<string, unknown> = {}
      for (const [key, entry] of Object.entries(req.body as Record<string, MultipartEntry | MultipartEntry[]>)) {
        const one = Array.isArray(entry) ? entry[0] : entry
        if (!one) continue
        if (one.type === 'file')
          flat[key] = { filename: one.filename ?? '', mimetype: one.mimetype ?? '', data: one._buf ?? Buffer.alloc(0) }
        else if (typeof one.value === 'string') flat[key] = one.value
      }
      req.body = flat
    })
    scope.post(
      '/console/settings/logo',
      {
        config: MANAGE,
        schema: { ...Hidden, body: Type.Object({ _csrf: Type.Optional(Str(100)), logo: Type.Optional(Type.Unknown()) }) },
      },
      async (req, reply) => {
        const actor = actorOf(req)
        authorize(actor, 'manage', 'settings')
        const file = (req.body as { logo?: { filename: string; mimetype: string; data: Buffer } }).logo
        return runForm(
          reply,
          async () => {
            if (!file || !Buffer.isBuffer(file.data)) throw new AppError('UPLOAD_EMPTY', { name: '—' })
            const updated = await withTransaction(database.pool, (tx) =>
              setLogo({
                tx,
                tenantId: tenant.id,
                actor: auditOf(actor),
                dataDir: config.dataDir,
                filename: file.filename,
                data: file.data,
                declaredMime: file.mimetype,
                ip: req.ip,
              }),
            )
            applyTenant(tenant, updated)
            return reply.redirect('/console/settings?done=logo', 303)
          },
          (e) => show(req, reply, { logoError: e }),
        )
      },
    )
  })

  // Only the current logo is served: an old hash is not found, so a replaced logo is gone.
  app.get('/logo/:file', { config: { access: 'public' }, schema: { ...Hidden, params: LogoParams } }, async (req, reply) => {
    const current = `${tenant.logoSha256}.${tenant.logoExt}`
    if (!tenant.logoSha256 || !tenant.logoExt || req.params.file !== current) throw new AppError('NOT_FOUND')
    const path = uploadPath(config.dataDir, tenant.id, tenant.logoSha256, tenant.logoExt)
    const size = await stat(path)
      .then((s) => (s.isFile() ? s.size : null))
      .catch(() => null)
    if (size === null) {
      req.log.error({ tenantId: tenant.id }, 'logo file missing on disk')
      throw new AppError('NOT_FOUND')
    }
    const mime = Object.values(FILE_TYPES).find((f) => f.ext === tenant.logoExt)?.mime ?? 'application/octet-stream'
    return reply
      .header('content-type', mime)
      .header('content-length', String(size))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=86400')
      .send(createReadStream(path))
  })
}
