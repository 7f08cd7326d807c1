/**
 * Import and export of the partners registry: `/console/doi-tac/nhap` (upload, multipart in
 * this plugin's own scope; preview and mapping; progress; the error report as CSV) and
 * `/console/doi-tac/xuat?format=xlsx|csv` with the list filters (streamed, audited).
 */
import { readFileSync } from 'node:fs'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { desc, eq } from 'drizzle-orm'
import { recordAudit } from '../../../platform/audit/index.ts'
import { withTransaction } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize } from '../../../platform/policy/index.ts'
import { saveImportMapping, startPartnerImport } from './commands/start-import.ts'
import { IMPORT_MAX_BYTES, loadImport, uploadPartnerImport } from './commands/upload-import.ts'
import { countExport, exportFiltersOf, writePartnersExport } from './export.ts'
import { countsText, importListPage, previewPage, progressPage, progressPercent, progressText } from './import.pages.tsx'
import { partnerImports } from './import.tables.ts'
import { importReportCsv } from './report.ts'
import { IMPORT_FIELDS, type Mapping } from './mapping.ts'
import type { CsvEncoding } from './read.ts'
import { readPreview } from './source.ts'

const BASE = '/console/doi-tac/nhap'
const Str = (max: number) => Type.String({ maxLength: max })
const IdParams = Type.Object({ id: Str(64) })
const MappingBody = Type.Object(
  {
    _csrf: Type.Optional(Str(100)),
    action: Type.Optional(Type.Union([Type.Literal('apply'), Type.Literal('start')])),
    encoding: Type.Optional(Str(20)),
    ...Object.fromEntries(IMPORT_FIELDS.map((f) => [`map_${f}`, Type.Optional(Type.String({ pattern: '^[0-9]{0,4}$' }))])),
  },
  { additionalProperties: false },
)
const ExportQuery = Type.Object({
  format: Type.Optional(Str(10)),
  status: Type.Optional(Str(40)),
  kind: Type.Optional(Str(40)),
  q: Type.Optional(Str(200)),
  outlet: Type.Optional(Str(64)),
  beat: Type.Optional(Str(80)),
  commune: Type.Optional(Str(100)),
  // The list's other filters (expiring, page) are accepted and not applied: an export is everyone matching.
  expiring: Type.Optional(Str(4)),
  page: Type.Optional(Str(8)),
})

interface MultipartEntry {
  type?: 'field' | 'file'
  value?: unknown
  filename?: string
  _buf?: Buffer
}

/** Registers the import and export routes. */
export async function registerImportRoutes(app: TypedApp): Promise<void> {
  const { config, database, tenant } = app.ctx
  const access = { access: { action: 'import', subject: 'partner' } } as const

  const recent = () =>
    database.db
      .select()
      .from(partnerImports)
      .where(eq(partnerImports.tenantId, tenant.id))
      .orderBy(desc(partnerImports.createdAt))
      .limit(20)

  app.get(BASE, { config: access, schema: { hide: true } }, async (req, reply) => {
    authorize(actorOf(req), 'import', { type: 'partner', tenantId: tenant.id })
    return importListPage({ req, reply }, { imports: await recent() })
  })

  await app.register(async (scope: TypedApp) => {
    await scope.register(multipart, {
      attachFieldsToBody: true,
      // One byte over the limit is enough to know the file is too big.
      limits: { fileSize: IMPORT_MAX_BYTES + 1, files: 1, fields: 2, fieldSize: 4096, parts: 4, headerPairs: 100 },
      throwFileSizeLimit: false,
    })
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
    scope.post(
      BASE,
      {
        config: access,
        schema: { hide: true, body: Type.Object({ _csrf: Type.Optional(Str(100)), file: Type.Optional(Type.Unknown()) }) },
      },
      async (req, reply) => {
        const actor = actorOf(req)
        const file = (req.body as { file?: { filename: string; data: Buffer } }).file
        return runForm(
          reply,
          async () => {
            if (!file || !Buffer.isBuffer(file.data)) throw new AppError('UPLOAD_EMPTY', { name: '—' })
            const { id } = await uploadPartnerImport({
              database,
              actor,
              dataDir: config.dataDir,
              fileName: file.filename,
              data: file.data,
              ip: req.ip,
            })
            return reply.redirect(`${BASE}/${id}`, 303)
          },
          async (e) => importListPage({ req, reply }, { imports: await recent(), error: e }),
        )
      },
    )
  })

  const show = async (req: FastifyRequest, reply: FastifyReply, id: string, error?: AppError) => {
    const imp = await loadImport(database, tenant.id, id)
    if (imp.status !== 'preview') return progressPage({ req, reply }, { imp })
    const preview = await readPreview(config.dataDir, {
      tenantId: tenant.id,
      fileSha256: imp.fileSha256,
      kind: imp.kind,
      encoding: imp.encoding as CsvEncoding,
    })
    return previewPage({ req, reply }, { imp: { ...imp, header: preview.header.length ? preview.header : imp.header }, preview, error })
  }

  // The progress page's script (CSP `script-src 'self'`: served, never inline).
  const progressJs = readFileSync(fileURLToPath(new URL('./progress.js', import.meta.url)), 'utf8')
  app.get(`${BASE}/tien-do.js`, { config: access, schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(progressJs),
  )

  app.get(`${BASE}/:id/tien-do`, { config: access, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    authorize(actorOf(req), 'import', { type: 'partner', tenantId: tenant.id })
    const imp = await loadImport(database, tenant.id, req.params.id)
    const l = req.locale
    return reply.header('cache-control', 'no-store').send({
      status: imp.status,
      finished: imp.status === 'done' || imp.status === 'failed',
      rowsDone: imp.rowsDone,
      rowsTotal: imp.rowsTotal,
      pct: progressPercent(imp),
      text: progressText(l, imp),
      counts: countsText(l, imp),
    })
  })

  app.get(`${BASE}/:id`, { config: access, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    authorize(actorOf(req), 'import', { type: 'partner', tenantId: tenant.id })
    return show(req, reply, req.params.id)
  })

  app.post(`${BASE}/:id`, { config: access, schema: { hide: true, params: IdParams, body: MappingBody } }, async (req, reply) => {
    const actor = actorOf(req)
    const body = req.body as Record<string, string | undefined>
    const mapping: Mapping = {}
    for (const f of IMPORT_FIELDS) {
      const v = body[`map_${f}`]
      if (v !== undefined && v !== '') mapping[f] = Number(v)
    }
    const encoding = (body.encoding || null) as CsvEncoding | null
    return runForm(
      reply,
      async () => {
        await withTransaction(database.pool, (tx) =>
          body.action === 'start'
            ? startPartnerImport({ tx, actor, importId: req.params.id, mapping, encoding, dataDir: config.dataDir, ip: req.ip })
            : saveImportMapping({ tx, actor, importId: req.params.id, mapping, encoding, dataDir: config.dataDir }),
        )
        return reply.redirect(`${BASE}/${req.params.id}`, 303)
      },
      (e) => show(req, reply, req.params.id, e),
    )
  })

  app.get(`${BASE}/:id/loi.csv`, { config: access, schema: { hide: true, params: IdParams } }, async (req, reply) => {
    authorize(actorOf(req), 'import', { type: 'partner', tenantId: tenant.id })
    const imp = await loadImport(database, tenant.id, req.params.id)
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="loi-nhap-${imp.id.slice(0, 8)}.csv"`)
      .header('cache-control', 'no-store')
      .send(await importReportCsv(database.db, tenant.id, imp.id, req.locale))
  })

  app.get(
    '/console/doi-tac/xuat',
    { config: { access: { action: 'export', subject: 'partner' } }, schema: { hide: true, querystring: ExportQuery } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'export', { type: 'partner', tenantId: tenant.id })
      const format = req.query.format ?? 'xlsx'
      if (format !== 'xlsx' && format !== 'csv') throw new AppError('PARTNER_EXPORT_FORMAT')
      const filters = exportFiltersOf(req.query)
      const rows = await countExport(database.db, tenant.id, filters)
      // The decision to export is what is audited: who, which filters, how many rows.
      await withTransaction(database.pool, (tx) =>
        recordAudit(tx, {
          tenantId: tenant.id,
          actor: { id: actor.id, label: actor.email },
          action: 'partner.exported',
          subjectType: 'partner',
          summary: { format, filters: { ...filters }, rows },
          ip: req.ip,
        }),
      )
      const out = new PassThrough()
      const day = new Date().toISOString().slice(0, 10)
      reply
        .header(
          'content-type',
          format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
        .header('content-disposition', `attachment; filename="doi-tac-${day}.${format}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
      writePartnersExport({ db: database.db, tenantId: tenant.id, filters, format, locale: req.locale, out }).catch((e: unknown) => {
        req.log.error({ err: e }, 'partners export failed midway')
        out.destroy(e as Error)
      })
      return reply.send(out)
    },
  )
}
